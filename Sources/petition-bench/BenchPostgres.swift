import ArgumentParser
import Foundation

/// A PostgreSQL server this bench starts on loopback in a folder of its own (Debian's postgresql), and stops by its
/// PID: for the peers' INSERT and for our own log on PostgreSQL, measured in the same run as SQLite.
final class BenchPostgres {
    let port: Int
    let folder: URL
    let bin: String
    private let data: String
    private let server: Process
    static let user = "bench"

    /// Starts a server in `folder`; nil when the server's programs are not installed.
    static func startIfInstalled(in folder: URL, maxConnections: Int = 100) throws -> BenchPostgres? {
        guard let bin = Peers.postgresBin() else { return nil }
        return try BenchPostgres(bin: bin, folder: folder, maxConnections: maxConnections)
    }

    private init(bin: String, folder: URL, maxConnections: Int) throws {
        self.bin = bin
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The server refuses to run as root: as root, it runs as the `postgres` user (setpriv execs, so the PID is the server's).
        let root = getuid() == 0
        func server(_ program: String, _ arguments: [String]) -> (String, [String]) {
            root ? ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--clear-groups", "--", "\(bin)/\(program)"] + arguments)
                 : ("\(bin)/\(program)", arguments)
        }
        if root { _ = try Peers.run("/bin/chown", ["-R", "postgres", folder.path]) }
        data = folder.appendingPathComponent("data").path
        let initdb = server("initdb", ["-D", data, "-U", Self.user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        _ = try Peers.run(initdb.0, initdb.1)
        port = try Peers.freePort()
        let postgres = server("postgres", ["-D", data, "-p", "\(port)", "-k", folder.path, "-c", "listen_addresses=127.0.0.1",
                                           "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "max_connections=\(maxConnections)"])
        self.server = try Peers.start(postgres.0, postgres.1)
        try Peers.waitFor(port: port)
    }

    deinit { Peers.stop(server) }

    /// Runs SQL with psql against `database`.
    @discardableResult
    func psql(_ sql: String, database: String = "postgres") throws -> String {
        try Peers.run("\(bin)/psql", ["-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, "-d", database, "-c", sql])
    }

    /// A new empty database; its `postgresql://` address.
    func database(_ name: String) throws -> String {
        try psql("CREATE DATABASE \(name)")
        return "postgresql://\(Self.user)@127.0.0.1:\(port)/\(name)"
    }

    var connectionArguments: [String] { ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user] }
}
