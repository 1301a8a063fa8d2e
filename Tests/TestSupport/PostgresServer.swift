import Foundation

/// A real PostgreSQL server for the tests: its own cluster in a temporary folder, on a free loopback port,
/// started once per test process and stopped by its PID when the process exits. Each test takes a database of
/// its own (``database()``). When the test runs as root, the server runs as Debian's `postgres` user
/// (`setpriv`, which execs, so the PID is the server's): PostgreSQL refuses to run as root.
public final class PostgresServer: @unchecked Sendable { // set up once, then read only
    public let port: Int
    public let directory: URL
    public let binDirectory: URL
    public let pid: Int32
    /// The network namespace the server runs in (nil: this one).
    public let namespace: String?
    public static let user = "petition"

    /// The one server of this test process, started on first use; nil (with the reason in ``unavailable``)
    /// when no PostgreSQL server binaries are installed.
    public static let shared: PostgresServer? = {
        do { return try PostgresServer(namespace: nil, shared: true) } catch {
            unavailableReason = "\(error)"
            return nil
        }
    }()
    nonisolated(unsafe) public private(set) static var unavailableReason = ""
    nonisolated(unsafe) private static var serverPid: Int32 = 0
    nonisolated(unsafe) private static var serverDirectory = ""

    /// The shared server, or a failure that says why there is none (so a PostgreSQL test fails, never passes empty).
    public static func require() throws -> PostgresServer {
        guard let server = shared else { throw TestFailure("no PostgreSQL server for the tests: \(unavailableReason)") }
        return server
    }

    /// Where the server's programs are: PETITION_PG_BIN, or the newest /usr/lib/postgresql/N/bin.
    static func findBinaries() throws -> URL {
        if let dir = ProcessInfo.processInfo.environment["PETITION_PG_BIN"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        guard let newest = versions.last else { throw TestFailure("no PostgreSQL in \(root) (Debian's postgresql package; `make test` installs it)") }
        return URL(fileURLWithPath: "\(root)/\(newest)/bin")
    }

    /// A server of its own inside network namespace `namespace` (on its loopback), stopped by ``stop()`` or
    /// when it is released; for a test that puts PostgreSQL on one of its hosts.
    public static func start(inNamespace namespace: String) throws -> PostgresServer {
        try PostgresServer(namespace: namespace, shared: false)
    }

    /// `program` and its arguments, run inside ``namespace`` when there is one.
    private func inNamespace(_ program: String, _ arguments: [String]) -> (URL, [String]) {
        Self.wrap(namespace, program, arguments)
    }

    private static func wrap(_ namespace: String?, _ program: String, _ arguments: [String]) -> (URL, [String]) {
        guard let namespace else { return (URL(fileURLWithPath: program), arguments) }
        return (URL(fileURLWithPath: "/usr/sbin/ip"), ["netns", "exec", namespace, program] + arguments)
    }

    private let shared: Bool
    private let process: Process

    /// Stops the server (fast shutdown) by its PID and removes its folder.
    public func stop() {
        if process.isRunning { kill(pid, SIGINT) }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { if !shared { stop() } }

    private init(namespace: String?, shared: Bool) throws {
        self.namespace = namespace
        self.shared = shared
        binDirectory = try Self.findBinaries()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-test-\(UUID().uuidString.prefix(8))")
        let cluster = directory.appendingPathComponent("cluster")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let asRoot = geteuid() == 0
        if asRoot {
            // The server's user must own its folder.
            guard let account = getpwnam("postgres") else { throw TestFailure("running as root and there is no postgres user to run the server as") }
            chown(directory.path, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        let initdb = try runProgram(URL(fileURLWithPath: Self.command(asRoot, binDirectory.appendingPathComponent("initdb").path)),
                                    Self.arguments(asRoot, binDirectory.appendingPathComponent("initdb").path,
                                                   ["-D", cluster.path, "-U", Self.user, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]),
                                    timeout: 120)
        guard initdb.status == 0 else { throw TestFailure("initdb failed: \(initdb.stderr)") }
        port = namespace == nil ? FreePorts.base(count: 1) : 5432 // a new namespace has every port free
        let log = directory.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        if asRoot, let account = getpwnam("postgres") { chown(log.path, account.pointee.pw_uid, account.pointee.pw_gid) }
        let server = Process()
        process = server
        let postgres = binDirectory.appendingPathComponent("postgres").path
        // setpriv (which execs, so the PID is the server's) also asks the kernel to stop the server with SIGINT
        // (a fast shutdown) if this test process dies without running its exit handler.
        let (launcher, launch) = Self.wrap(namespace, "/usr/bin/setpriv",
            (asRoot ? ["--reuid=postgres", "--regid=postgres", "--clear-groups"] : []) + ["--pdeathsig", "INT", "--", postgres] + [
            "-D", cluster.path, "-p", String(port), "-k", directory.path, "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=200", "-c", "shared_buffers=64MB", "-c", "log_min_messages=warning",
        ])
        server.executableURL = launcher
        server.arguments = launch
        let out = try FileHandle(forWritingTo: log)
        server.standardOutput = out
        server.standardError = out
        server.standardInput = FileHandle.nullDevice
        // The kernel's parent-death signal follows the thread that started the server, and the test runner's
        // threads come and go: the server is started from a thread that lives as long as this process.
        try SpawningThread.shared.run { try server.run() }
        pid = process.processIdentifier
        if shared {
        Self.serverPid = pid
        Self.serverDirectory = directory.path
        atexit {
            // The server this process started, by its PID; then its folder.
            if PostgresServer.serverPid > 0 {
                kill(PostgresServer.serverPid, SIGINT)
                var status: Int32 = 0
                for _ in 0..<200 where waitpid(PostgresServer.serverPid, &status, WNOHANG) == 0 { usleep(25_000) }
                try? FileManager.default.removeItem(atPath: PostgresServer.serverDirectory)
            }
        }
        }
        let (probe, probeArguments) = Self.wrap(namespace, binDirectory.appendingPathComponent("pg_isready").path, ["-h", "127.0.0.1", "-p", String(port), "-q"])
        let ready = waitUntil(timeout: 30) { (try? runProgram(probe, probeArguments).status) == 0 }
        guard ready else {
            throw TestFailure("the PostgreSQL server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
    }

    private static func command(_ asRoot: Bool, _ program: String) -> String { asRoot ? "/usr/bin/setpriv" : program }

    private static func arguments(_ asRoot: Bool, _ program: String, _ arguments: [String]) -> [String] {
        asRoot ? ["--reuid=postgres", "--regid=postgres", "--clear-groups", "--", program] + arguments : arguments
    }

    /// The address of `database` on this server.
    public func address(_ database: String) -> String { "postgresql://\(Self.user)@127.0.0.1:\(port)/\(database)" }

    /// Runs SQL with psql against `database` and returns what it printed (tuples only, unaligned).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let (program, arguments) = inNamespace("/usr/bin/psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                                                 "-p", String(port), "-U", Self.user, "-d", database, "-c", sql])
        let result = try runProgram(program, arguments)
        guard result.status == 0 else { throw TestFailure("psql failed on \(sql): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new, empty database of its own for one test; its address.
    public func database() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try psql("CREATE DATABASE \(name)")
        return address(name)
    }

    /// The folder holding the cluster's files (for a test that looks at what is on disk).
    public var clusterDirectory: URL { directory.appendingPathComponent("cluster") }
}

/// A test's own failure with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One thread that lives as long as the test process, for starting a process whose parent-death signal
/// (`setpriv --pdeathsig`) must fire only when the test process itself ends.
final class SpawningThread: @unchecked Sendable { // jobs guarded by `condition`
    static let shared = SpawningThread()
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }
        thread.start()
    }

    /// Runs `body` on this thread and waits for it.
    func run(_ body: @escaping () throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        var failure: (any Error)?
        condition.lock()
        jobs.append {
            do { try body() } catch { failure = error }
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        if let failure { throw failure }
    }
}
