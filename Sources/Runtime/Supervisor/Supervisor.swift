import Foundation
import Messaging
import ZeroMQ

/// `petitionctl up`: starts the server processes as children, restarts any that
/// dies, and stops exactly those children (by PID) on SIGINT/SIGTERM.
public final class Supervisor: @unchecked Sendable {
    /// One child process and how to start it.
    struct Child {
        var name: String
        var arguments: [String]
        var process: Process?
        var restarts = 0
        var nextStart: Date?
    }

    private let binDirectory: URL
    private let options: ProcessOptions
    private let logDirectory: URL
    private var children: [Child]
    private let lock = NSLock()
    private var stopping = false

    /// The folder of the running executable, where its sibling executables are.
    public static func defaultBinDirectory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["PETITION_BIN_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The HTTP API's address, which `start` waits for after the ZeroMQ servers.
    public let http: (host: String, port: Int)

    /// `extraArguments` go to the child of that name only, e.g. the notifier's sinks; `httpPort` is petition-api's.
    public init(options: ProcessOptions, httpPort: Int, binDirectory: URL = Supervisor.defaultBinDirectory(),
                extraArguments: [String: [String]] = [:]) {
        self.options = options
        http = (options.endpoints.host, httpPort)
        self.binDirectory = binDirectory
        logDirectory = URL(fileURLWithPath: options.dataDirectory).appendingPathComponent("logs")
        let common = ["--data-dir", options.dataDirectory, "--base-port", String(options.endpoints.basePort),
                      "--host", options.endpoints.host, "--parent-pid", String(getpid()), "--config-dir", options.configDirectory]
            + (options.store.map { ["--store", $0] } ?? [])
        var extra = extraArguments
        extra["petition-api", default: []] += ["--http-port", String(httpPort), "--http-host", options.endpoints.host]
        children = Self.childNames.map { Child(name: $0, arguments: common + (extra[$0] ?? [])) }
    }

    /// The processes `up` runs, in start order.
    public static let childNames = ["petition-gateway", "petition-projector", "petition-escalator", "petition-notifier", "petition-api"]

    /// The HTTP API's base URL.
    public var apiURL: String { "http://\(http.host.contains(":") ? "[\(http.host)]" : http.host):\(http.port)/api/v1" }

    public var configDirectory: String { options.configDirectory }

    /// Where a child's output goes.
    public func logPath(_ name: String) -> String { logDirectory.appendingPathComponent("\(name).log").path }

    /// Where the PID of the child `name` is written when it starts (`petitionctl status` reads it for the workers, which serve no socket).
    public func pidPath(_ name: String) -> String { Self.pidPath(name, dataDirectory: options.dataDirectory) }

    /// The PID file of the child `name` under `up --data-dir dataDirectory`.
    public static func pidPath(_ name: String, dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("logs").appendingPathComponent("\(name).pid").path
    }

    /// The PID in the child `name`'s PID file when that process is running and is that executable; nil otherwise.
    public static func runningPid(_ name: String, dataDirectory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: pidPath(name, dataDirectory: dataDirectory), encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0, kill(pid, 0) == 0,
              let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return nil }
        return command.split(separator: "\0").first.map { ($0 as NSString).lastPathComponent == name } == true ? pid : nil
    }

    private func launch(_ index: Int) throws {
        let child = children[index]
        let executable = binDirectory.appendingPathComponent(child.name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw CLIError("cannot find \(child.name) beside petitionctl in \(binDirectory.path); build with `swift build` or set PETITION_BIN_DIR")
        }
        let path = logPath(child.name)
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = executable
        process.arguments = child.arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        try? Data("\(process.processIdentifier)\n".utf8).write(to: URL(fileURLWithPath: pidPath(child.name)), options: .atomic)
        children[index].process = process
        children[index].nextStart = nil
    }

    /// Starts every child and waits until each answers `status`, or fails with the child's last log line.
    public func start(timeout: TimeInterval = 30, interrupted: () -> Bool = { false }) throws {
        try options.prepareDataDirectory()
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        // The data folder's keys, made here when the children have not made them yet (they agree on one set).
        let access = try CurveKeyFiles(dataDirectory: options.dataDirectory).access(for: "petition-gateway").access
        for i in children.indices { try launch(i) }
        let client = try CLIClient(endpoints: options.endpoints.with(access), timeoutMs: 500)
        let deadline = Date().addingTimeInterval(timeout)
        let probes = [(options.endpoints.commands, "petition-gateway"), (options.endpoints.history, "petition-gateway"),
                      (options.endpoints.queries, "petition-projector")]
        for (endpoint, name) in probes {
            while true {
                if interrupted() {
                    stop()
                    throw CLIError("interrupted while starting; every child stopped", exitCode: 130)
                }
                if let process = children.first(where: { $0.name == name })?.process, !process.isRunning {
                    let tail = (try? String(contentsOfFile: logPath(name), encoding: .utf8))?
                        .split(separator: "\n").last.map(String.init) ?? ""
                    stop()
                    throw CLIError("\(name) exited while starting (status \(process.terminationStatus)): \(tail) — see \(logPath(name))", exitCode: 2)
                }
                if let status = try? client.callRaw(endpoint, process: name, ["type": "status"], timeoutMs: 300) {
                    // Only our own child counts: another system may already hold these ports.
                    let pid = (status["pid"] as? NSNumber)?.int32Value
                    if pid == children.first(where: { $0.name == name })?.process?.processIdentifier { break }
                }
                if Date() > deadline {
                    stop()
                    throw CLIError("\(name) did not answer at \(endpoint) within \(Int(timeout)) s; see \(logPath(name))", exitCode: 2)
                }
            }
        }
        // The HTTP API: listening on its port, and still running a moment later (a port another program holds
        // makes it exit at once, which counts as failing to start).
        let httpEndpoint = "tcp://\(http.host == "localhost" ? "127.0.0.1" : http.host):\(http.port)"
        var listening = false
        while true {
            if interrupted() {
                stop()
                throw CLIError("interrupted while starting; every child stopped", exitCode: 130)
            }
            if let process = children.first(where: { $0.name == "petition-api" })?.process, !process.isRunning {
                let tail = (try? String(contentsOfFile: logPath("petition-api"), encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? ""
                stop()
                throw CLIError("petition-api exited while starting (status \(process.terminationStatus)): \(tail) — see \(logPath("petition-api")); is port \(http.port) taken? give --http-port", exitCode: 2)
            }
            if listening { break }
            if PortProbe.failure(httpEndpoint, timeoutMs: 300) == nil {
                listening = true
                Thread.sleep(forTimeInterval: 0.3)
                continue
            }
            if Date() > deadline {
                stop()
                throw CLIError("petition-api did not listen at \(apiURL) within \(Int(timeout)) s; see \(logPath("petition-api"))", exitCode: 2)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Restarts children that died, with a growing pause; call it periodically.
    public func superviseOnce(report: (String) -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard !stopping else { return }
        for i in children.indices {
            guard let process = children[i].process, !process.isRunning else { continue }
            if let at = children[i].nextStart {
                guard Date() >= at else { continue }
                do {
                    try launch(i)
                    report("\(children[i].name) restarted (pid \(children[i].process!.processIdentifier))")
                } catch {
                    report("\(children[i].name) could not be restarted: \(error)")
                    children[i].nextStart = Date().addingTimeInterval(5)
                }
            } else {
                children[i].restarts += 1
                let pause = min(5.0, 0.2 * Double(children[i].restarts))
                report("\(children[i].name) exited (status \(process.terminationStatus)); restarting in \(pause) s")
                children[i].nextStart = Date().addingTimeInterval(pause)
            }
        }
    }

    /// Sends SIGTERM to each child this supervisor started, waits, then SIGKILL what is left.
    public func stop(grace: TimeInterval = 10) {
        lock.lock()
        stopping = true
        let running = children.compactMap(\.process).filter(\.isRunning)
        lock.unlock()
        for p in running { kill(p.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while running.contains(where: \.isRunning), Date() < deadline { usleep(50_000) }
        for p in running where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in running { p.waitUntilExit() }
    }
}
