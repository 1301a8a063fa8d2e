import ArgumentParser
import Foundation
import Runtime

/// The side-by-side peers: a Redis stream (XADD, appendfsync always) and a PostgreSQL table (a durable INSERT per
/// transaction), each started here on loopback in a temporary folder, given the same ~300-byte records from the same
/// number of clients as `intake`. A peer whose server is not installed is skipped, saying so.
struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Redis XADD (appendfsync always) and PostgreSQL durable INSERT of ~300-byte records, same clients as intake.")

    @Option(help: "Records to write to each peer.") var records = 100_000
    @Option(help: "Concurrent clients.") var clients = 8
    @Option(help: "Requests in flight per Redis client (pipelining; PostgreSQL clients wait for each commit).") var window = 128

    /// One record: what a submit's event row holds, about 300 bytes.
    static let record = "{\"petitionId\":\"P000001\",\"sessionId\":\"S000001\",\"unit\":\"Xã Bình Thành\",\"kind\":\"recommendation\","
        + "\"category\":\"land\",\"content\":\"Cấp giấy chứng nhận quyền sử dụng đất chậm, đề nghị xem xét giải quyết sớm\","
        + "\"citizen\":{\"personId\":\"7f3a9c\",\"sealed\":\"q8Zr2v0xKp4mT1bW6nY3cH5jL9dF\"}}"

    func run() throws {
        let folder = try temporaryFolder("peers")
        defer { try? FileManager.default.removeItem(at: folder) }
        var result: [String: Any] = ["scenario": "peers", "records": records, "clients": clients, "recordBytes": Self.record.utf8.count]
        result["redis"] = try redis(in: folder.appendingPathComponent("redis"))
        result["postgresql"] = try postgres(in: folder.appendingPathComponent("postgres"))
        emit(result)
    }

    // MARK: Redis

    private func redis(in dir: URL) throws -> [String: Any] {
        guard let server = Self.which("redis-server"), let bench = Self.which("redis-benchmark") else {
            return ["skipped": "redis-server or redis-benchmark is not installed (Debian: apt-get install redis-server)"]
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let port = try Self.freePort()
        let process = try Self.start(server, ["--port", "\(port)", "--bind", "127.0.0.1", "--dir", dir.path, "--appendonly", "yes",
                                              "--appendfsync", "always", "--save", "", "--daemonize", "no", "--protected-mode", "yes"])
        defer { Self.stop(process) }
        try Self.waitFor(port: port)
        func xadd(window: Int) throws -> [String: Any] {
            let start = Stats.now()
            let out = try Self.run(bench, ["-h", "127.0.0.1", "-p", "\(port)", "-c", "\(clients)", "-n", "\(records)", "-P", "\(window)", "-q",
                                           "XADD", "petitions", "*", "data", Self.record])
            let seconds = Stats.seconds(since: start)
            let says = out.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).last.map { String($0.split(separator: ":").last ?? "") } ?? ""
            return ["command": "XADD, appendonly yes, appendfsync always, \(clients) clients × \(window) in flight",
                    "recordsPerSecond": Stats.round(Double(records) / seconds, 0), "seconds": Stats.round(seconds, 2),
                    "redisBenchmarkSays": says.trimmingCharacters(in: .whitespaces)]
        }
        return ["pipelined": try xadd(window: window), "oneInFlight": try xadd(window: 1)]
    }

    // MARK: PostgreSQL

    private func postgres(in dir: URL) throws -> [String: Any] {
        guard Self.postgresBin() != nil, let pgbench = Self.which("pgbench") else {
            return ["skipped": "the PostgreSQL server (initdb, postgres) or pgbench is not installed (Debian: apt-get install postgresql)"]
        }
        guard let server = try BenchPostgres.startIfInstalled(in: dir, maxConnections: clients + 10) else {
            return ["skipped": "the PostgreSQL server is not installed (Debian: apt-get install postgresql)"]
        }
        defer { withExtendedLifetime(server) {} } // stopped, by its PID, when this scenario ends
        let port = server.port
        let connection = ["-h", "127.0.0.1", "-p", "\(port)", "-U", "bench"]
        let psql = URL(fileURLWithPath: pgbench).deletingLastPathComponent().appendingPathComponent("psql").path
        _ = try Self.run(psql, connection + ["-d", "postgres", "-q", "-c",
                                             "CREATE TABLE events (position bigserial PRIMARY KEY, stream text NOT NULL, data text NOT NULL)"])
        let script = dir.appendingPathComponent("insert.sql")
        try "INSERT INTO events (stream, data) VALUES ('petition-P000001', '\(Self.record.replacingOccurrences(of: "'", with: "''"))');\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let perClient = max(1, records / clients)
        let start = Stats.now()
        let out = try Self.run(pgbench, connection + ["-n", "-c", "\(clients)", "-j", "\(min(clients, 2))", "-t", "\(perClient)", "-f", script.path, "postgres"])
        let seconds = Stats.seconds(since: start)
        let tps = out.split(separator: "\n").first { $0.hasPrefix("tps") }.map(String.init) ?? ""
        return ["command": "INSERT of one record per transaction (fsync on, synchronous_commit on), \(clients) clients",
                "recordsPerSecond": Stats.round(Double(perClient * clients) / seconds, 0), "seconds": Stats.round(seconds, 2), "pgbenchSays": tps]
    }

    // MARK: Processes

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/sbin", "/usr/bin"] {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func postgresBin() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        return versions.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: "\($0)/postgres") }
    }

    static func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops exactly the server this scenario started, by its PID.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs a command to its end; its standard output, or an error with what it printed.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let (status, text) = try runStatus(executable, arguments)
        guard status == 0 else {
            throw ValidationError("\(executable) \(arguments.prefix(3).joined(separator: " ")) … failed (\(status)): \(text.suffix(600))")
        }
        return text
    }

    /// Runs a command to its end; its exit status and what it printed, whatever the status.
    static func runStatus(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The first of `count` consecutive loopback ports that are free now, below the kernel's ephemeral range (where
    /// `freePort()` and every outgoing connection take theirs, so a server started later cannot land on them).
    static func freeBasePort(count: Int = 4) throws -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let low = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32_768
        for _ in 0..<200 {
            let base = Int.random(in: 10_000...max(10_001, low - count - 1))
            if (base..<(base + count)).allSatisfy({ PortProbe.failure("tcp://127.0.0.1:\($0)", timeoutMs: 50) != nil }) { return base }
        }
        throw ValidationError("no \(count) consecutive free loopback ports below \(low)")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ValidationError("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts connections on `port` (at most 30 s).
    static func waitFor(port: Int) throws {
        for _ in 0..<300 {
            if PortProbe.failure("tcp://127.0.0.1:\(port)", timeoutMs: 100) == nil { usleep(200_000); return }
            usleep(100_000)
        }
        throw ValidationError("no server answered on 127.0.0.1:\(port) within 30 s")
    }
}
