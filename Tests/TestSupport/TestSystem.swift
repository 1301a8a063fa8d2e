import Foundation
import Messaging
import PetitionDomain
import Runtime
import ZeroMQ

/// A running system for one test: its own data folder, its own free ports,
/// the real gateway and projector executables, stopped by PID at the end.
public final class TestSystem: @unchecked Sendable {
    public let dataDirectory: String
    public let basePort: Int
    public let endpoints: Endpoints
    public private(set) var gateway: TestProcess?
    public private(set) var projector: TestProcess?
    private var generation = 0

    public init(name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("petition-test-\(safe)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        basePort = FreePorts.base()
        endpoints = Endpoints(basePort: basePort)
    }

    /// Workers started by ``startWorker(_:_:)``: stopped by PID at the end.
    public private(set) var workers: [TestProcess] = []

    deinit {
        gateway?.stop()
        projector?.stop()
        for w in workers { w.stop() }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// With `--parent-pid`: should the test process die (a crash, a kill), the servers it started stop by themselves.
    private var serverArguments: [String] { ["--data-dir", dataDirectory, "--base-port", String(basePort), "--parent-pid", String(getpid())] }

    private func logPath(_ name: String) -> String {
        generation += 1
        return (dataDirectory as NSString).appendingPathComponent("\(name)-\(generation).log")
    }

    /// Arguments added to the gateway's (e.g. `--checkpoint-every-records 10`); set before starting it.
    public var gatewayArguments: [String] = []

    /// Starts (or restarts) the gateway and waits until it answers.
    public func startGateway() throws {
        gateway = try TestProcess("petition-gateway", serverArguments + gatewayArguments, outputPath: logPath("gateway"))
        try waitForStatus(endpoints.commands, process: gateway!)
    }

    /// Starts (or restarts) the projector and waits until it answers.
    public func startProjector() throws {
        projector = try TestProcess("petition-projector", serverArguments, outputPath: logPath("projector"))
        try waitForStatus(endpoints.queries, process: projector!)
    }

    /// Starts a worker executable (escalator, notifier) on this system's ports and folder, with `arguments` added.
    @discardableResult
    public func startWorker(_ name: String, _ arguments: [String] = []) throws -> TestProcess {
        let process = try TestProcess(name, serverArguments + arguments, outputPath: logPath(name))
        workers.append(process)
        return process
    }

    /// The file the workers started with ``clockArguments`` read the time from.
    public var clockFile: String { (dataDirectory as NSString).appendingPathComponent("clock.txt") }
    public var clockArguments: [String] { ["--clock-file", clockFile, "--tick-ms", "50"] }

    /// Moves the workers' clock to an RFC 3339 instant.
    public func setClock(_ instant: String) throws {
        try Data(instant.utf8).write(to: URL(fileURLWithPath: clockFile), options: .atomic)
    }

    /// The log's events of `type`, as read from history.
    public func events(_ type: String) throws -> [[String: Any]] {
        try history().filter { $0["type"] as? String == type }
    }

    /// Sends a command and returns its reply, failing the test's setup if it was refused.
    @discardableResult
    public func send(_ type: String, _ fields: [String: Any], role: Role? = nil, department: String? = nil,
                     occurredAt: String? = nil) throws -> [String: Any] {
        var body = Self.command(type, fields, role: role, department: department)
        if let occurredAt { body["occurredAt"] = occurredAt }
        guard let reply = try request(endpoints.commands, body) else { throw TestSystemError("no reply to \(type)") }
        guard reply["ok"] as? Bool == true else { throw TestSystemError("\(type) refused: \(reply)") }
        return reply
    }

    /// Starts both.
    public func start() throws {
        try startGateway()
        try startProjector()
    }

    /// Waits for `process` to answer `status`; when it does not, the error carries the end of its output, which the
    /// data folder (removed with the system) would otherwise take with it.
    private func waitForStatus(_ endpoint: String, process: TestProcess) throws {
        let ok = try waitUntil(timeout: 20) { (try? request(endpoint, ["type": "status"], timeoutMs: 300)) != nil }
        guard ok else {
            let output = (try? String(contentsOfFile: process.outputPath, encoding: .utf8)) ?? "(no output)"
            throw TestSystemError("\((process.outputPath as NSString).lastPathComponent) did not answer at \(endpoint) within 20 s; its output ends: \(output.suffix(2000))")
        }
    }

    /// The event log file of this system's data folder.
    public var eventLogPath: String { (dataDirectory as NSString).appendingPathComponent("events.sqlite") }

    /// Runs `petitionctl` against this system, with `--base-port` added.
    public func ctl(_ arguments: [String]) throws -> CommandOutput {
        try runTool("petitionctl", arguments + ["--base-port", String(basePort)])
    }

    /// One request/reply on `endpoint`; nil on timeout.
    public func request(_ endpoint: String, _ body: [String: Any], timeoutMs: Int = 5000) throws -> [String: Any]? {
        let context = try ZMQContext()
        defer { context.terminate() }
        let client = RequestClient(context: context, endpoint: endpoint)
        defer { client.close() }
        return try client.request(json: body, timeoutMs: timeoutMs)
    }

    /// Sends raw frames (no delimiter added) to `endpoint` from a DEALER and returns the reply body.
    public func rawRequest(_ endpoint: String, frames: [[UInt8]], timeoutMs: Int = 3000) throws -> [String: Any]? {
        let context = try ZMQContext()
        defer { context.terminate() }
        let socket = try context.socket(.dealer)
        defer { socket.close() }
        try socket.setMaxMessageSize(64 << 20)
        try socket.connect(endpoint)
        try socket.send(frames)
        guard try ZMQPoll.readable([socket], timeoutMs: timeoutMs)[0], let reply = try socket.receive(), let body = reply.last else { return nil }
        return try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }

    /// Every record of the log, read page by page from the gateway's history endpoint.
    public func history() throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        while true {
            guard let page = try request(endpoints.history, ["type": "history.read", "fromPosition": events.count + 1, "limit": 2000]),
                  let batch = page["events"] as? [[String: Any]] else { throw TestSystemError("history endpoint did not answer") }
            events += batch
            if batch.isEmpty || Int64(events.count) >= (page["head"] as? NSNumber)?.int64Value ?? 0 { return events }
        }
    }

    /// A command body with a fresh command id.
    public static func command(_ type: String, _ fields: [String: Any], commandId: String = UUID().uuidString, actor: String = "clerk",
                               role: Role? = nil, department: String? = nil) -> [String: Any] {
        var body = fields
        body["type"] = type
        body["commandId"] = commandId
        body["actor"] = actor
        body["role"] = (role ?? DefaultRole.forMessageType(type)).rawValue
        if let department { body["actorDepartment"] = department }
        return body
    }
}

public struct TestSystemError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
