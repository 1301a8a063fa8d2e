import Foundation

/// A real executable started by a test, stopped by its PID.
public final class TestProcess: @unchecked Sendable {
    public let name: String
    public let process: Process
    public let outputPath: String

    /// The folder holding the built executables (beside the test bundle), or PETITION_BIN_DIR.
    public static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["PETITION_BIN_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        // On Linux the test runner is <bin>/<Package>PackageTests.xctest.
        while !FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("petition-gateway").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// Starts `name` from the build folder with `arguments`; its output goes to `outputPath`. With `namespace`, it
    /// runs in that network namespace (`ip netns exec`, which execs: the PID is still the program's).
    public convenience init(_ name: String, _ arguments: [String], outputPath: String, environment: [String: String]? = nil,
                            currentDirectory: String? = nil, namespace: String? = nil) throws {
        let program = Self.binDirectory.appendingPathComponent(name)
        if let namespace {
            try self.init(name: name, executable: URL(fileURLWithPath: "/usr/sbin/ip"), ["netns", "exec", namespace, program.path] + arguments,
                          outputPath: outputPath, environment: environment, currentDirectory: currentDirectory)
        } else {
            try self.init(name: name, executable: program, arguments, outputPath: outputPath, environment: environment, currentDirectory: currentDirectory)
        }
    }

    /// Starts the program at `executable`.
    public init(name: String, executable: URL, _ arguments: [String], outputPath: String, environment: [String: String]? = nil,
                currentDirectory: String? = nil) throws {
        self.name = name
        self.outputPath = outputPath
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        try process.run()
        try? out.close()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` to this process only, and waits for it to end (SIGKILL after `grace`).
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM, grace: TimeInterval = 10) -> Int32 {
        if process.isRunning { kill(pid, signal) }
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills with SIGKILL, as a crash would.
    public func kill9() { stop(SIGKILL) }

    deinit { if process.isRunning { kill(pid, SIGKILL); process.waitUntilExit() } }
}

/// The result of running a command to completion.
public struct CommandOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// The standard output parsed as one JSON object.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
    }
}

/// Runs an executable from the build folder to completion, capturing both outputs.
/// A tool still running after `timeout` seconds is killed, and its output says so.
public func runTool(_ name: String, _ arguments: [String], environment: [String: String]? = nil, timeout: TimeInterval = 60) throws -> CommandOutput {
    try runProgram(TestProcess.binDirectory.appendingPathComponent(name), arguments, environment: environment, timeout: timeout)
}

/// Runs the program at `url` with `arguments` (in `currentDirectory`, with `environment` when given), killed after
/// `timeout` seconds; its outputs go through files, so a chatty program never blocks on a full pipe.
public func runProgram(_ url: URL, _ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil,
                       timeout: TimeInterval = 60) throws -> CommandOutput {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { usleep(10_000) }
    let timedOut = process.isRunning
    if timedOut { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    try? out.close(); try? err.close()
    if timedOut {
        return CommandOutput(status: -1, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                             stderr: "TIMED OUT after \(Int(timeout)) s: \(url.lastPathComponent) \(arguments.joined(separator: " "))")
    }
    return CommandOutput(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

/// Polls `condition` until it holds or `timeout` passes.
public func waitUntil(timeout: TimeInterval = 15, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}
