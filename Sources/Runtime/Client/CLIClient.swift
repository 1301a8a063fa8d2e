import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import ZeroMQ

/// A failure the CLI reports on one line, with an exit code.
public struct CLIError: Error, CustomStringConvertible {
    public var message: String
    /// 1: refused (bad input, invalid transition); 2: the system is not running or not answering.
    public var exitCode: Int32
    public var code: ErrorCode?

    public init(_ message: String, exitCode: Int32 = 1, code: ErrorCode? = nil) {
        self.message = message
        self.exitCode = exitCode
        self.code = code
    }

    public var description: String { message }

    /// The error as the gateway's error reply (Schemas/messages/error-reply.json): a system that is not running is
    /// `unavailable`, a refusal the CLI makes itself (bad options or input) `invalid_input`.
    public var reply: [String: Any] {
        let wire = code.flatMap { $0 == .notRunning ? nil : $0 } ?? (exitCode == 1 ? .invalidInput : .unavailable)
        return ["ok": false, "error": ["code": wire.rawValue, "message": message]]
    }
}

/// The CLI's connection to the running system: one request, one reply, a timeout.
public final class CLIClient {
    public let endpoints: Endpoints
    public let timeoutMs: Int
    private let context: ZMQContext

    /// Why this client cannot authenticate (no identity given, no servers' keys): said once a server is found
    /// running, so that a system that is down is reported as down first.
    private let unauthenticated: CLIError?

    public init(endpoints: Endpoints, timeoutMs: Int = 10_000, unauthenticated: CLIError? = nil) throws {
        self.endpoints = endpoints
        self.timeoutMs = timeoutMs
        self.unauthenticated = unauthenticated
        context = try ZMQContext()
    }

    deinit { context.terminate() }

    /// Sends `body` to `endpoint` and returns the reply object; throws a CLIError for an error reply.
    public func call(_ endpoint: String, process: String, _ body: [String: Any], timeoutMs: Int? = nil) throws -> [String: Any] {
        try checked(try callRaw(endpoint, process: process, body, timeoutMs: timeoutMs))
    }

    /// `reply` if it is ok; else its error as a CLIError.
    private func checked(_ reply: [String: Any]) throws -> [String: Any] {
        if reply["ok"] as? Bool != true {
            let error = reply["error"] as? [String: Any]
            let code = (error?["code"] as? String).flatMap(ErrorCode.init(rawValue:))
            let unavailable = code == .unavailable || code == .notApplied || code == .overloaded
            throw CLIError((error?["message"] as? String) ?? "the request was refused", exitCode: unavailable ? 2 : 1, code: code)
        }
        return reply
    }

    /// Sends `body` and returns the reply object as it is, ok or not.
    public func callRaw(_ endpoint: String, process: String, _ body: [String: Any], timeoutMs: Int? = nil) throws -> [String: Any] {
        let bytes = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return try callRaw(endpoint, process: process, bytes: Array(bytes), timeoutMs: timeoutMs)
    }

    /// Sends one message and returns the reply object as it is, ok or not.
    func callRaw(_ endpoint: String, process: String, bytes body: [UInt8], timeoutMs: Int? = nil) throws -> [String: Any] {
        let wait = timeoutMs ?? self.timeoutMs
        if let why = PortProbe.failure(endpoint, timeoutMs: Int32(min(wait, 1000))) {
            throw CLIError("\(process) is not running at \(endpoint) (\(why)); start the system with `petitionctl up` or check --base-port",
                           exitCode: 2, code: .notRunning)
        }
        if let unauthenticated { throw unauthenticated }
        let client = RequestClient(context: context, endpoint: endpoint, curve: endpoints.pin(endpoint == endpoints.queries ? .projector : .gateway))
        defer { client.close() }
        guard let reply = try client.request(body, timeoutMs: wait) else {
            let keys = endpoints.curve == nil ? "" : " If it is running, it refused the connection's keys: your identity's key is not registered or was revoked, or servers.json is not this system's"
            throw CLIError("\(process) is not answering at \(endpoint) (waited \(wait) ms); start the system with `petitionctl up` or check --base-port.\(keys)",
                           exitCode: 2, code: .notRunning)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any] else {
            throw CLIError("\(process) at \(endpoint) sent a reply that is not a JSON object", exitCode: 2, code: .unavailable)
        }
        return object
    }

    /// Sends a command to the gateway (its one encoder, ``CommandRequest/wireJSON``); on no reply, sends it again
    /// with the same command id (so it is recorded at most once), then says how to retry by hand.
    public func command(_ request: CommandRequest, attempts: Int = 3) throws -> [String: Any] {
        var attempt = 1
        while true {
            do {
                return try checked(try callRaw(endpoints.commands, process: "petition-gateway", bytes: request.wireBytes))
            } catch let error as CLIError where error.code == .notRunning {
                guard attempt < attempts else {
                    throw CLIError("\(error.message). The command may or may not have been recorded: run it again with --command-id \(request.commandId) to record it exactly once",
                                   exitCode: 2, code: .notRunning)
                }
                attempt += 1
            }
        }
    }

    /// Sends a query to the projector.
    public func query(_ body: [String: Any]) throws -> [String: Any] {
        try call(endpoints.queries, process: "petition-projector", body)
    }

    /// Reads from the gateway's history endpoint.
    public func history(_ body: [String: Any]) throws -> [String: Any] {
        try call(endpoints.history, process: "petition-gateway (history)", body)
    }

    /// JSON text of an object, keys sorted.
    public static func json(_ object: Any, pretty: Bool = false) -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        return (try? JSONSerialization.data(withJSONObject: object, options: options)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Parsing the times a clerk types.
public enum TimeInput {
    /// RFC 3339 (`2026-03-19T08:00:00+07:00`), or a plain date taken as its start in Vietnam.
    public static func parse(_ text: String, option: String) throws -> String {
        Timestamp.format(try instant(text, option: option))
    }

    /// The instant `text` gives, as ``parse(_:option:)`` reads it.
    public static func instant(_ text: String, option: String) throws -> Date {
        if let millis = Timestamp.parseMillis(text) { return Timestamp.date(millis: millis) }
        if text.count == 10, let millis = Timestamp.parseMillis(text + "T00:00:00+07:00") { return Timestamp.date(millis: millis) }
        // As people in Vietnam write it: 19/03/2026, or 19/03/2026 08:00 (Asia/Ho_Chi_Minh).
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if (1...2).contains(parts.count), let day = LocalDate.written(String(parts[0])) {
            if parts.count == 1 { return day.instant() }
            let hm = parts[1].split(separator: ":")
            if hm.count == 2, let h = Int64(hm[0]), let m = Int64(hm[1]), (0..<24).contains(h), (0..<60).contains(m) { return day.instant(hour: h, minute: m) }
        }
        throw CLIError("\(option) must be a time such as 2026-03-19T08:00:00+07:00, 19/03/2026 08:00, or a date 19/03/2026 or 2026-03-19, got \"\(text)\"")
    }
}

/// A command's field typed on the command line, checked by the gateway's own decoder (so its error says what the
/// gateway would say) before the typed command is built.
public enum CommandInput {
    /// One of `T`'s values, e.g. a petition kind.
    public static func choice<T: RawRepresentable & CaseIterable>(_ text: String, field: String, _ type: T.Type) throws -> T where T.RawValue == String {
        try checked { () throws(WireError) in try JSONFields(object: [field: .string(text)]).choice(field, T.self) }
    }

    /// One of `T`'s values by its code or its Vietnamese name (`--category "đất đai"`, `--kind "khiếu nại"`).
    public static func choice<T: VietnameseNamed>(_ text: String, field: String, _ type: T.Type) throws -> T {
        if let typed = T(typed: text) { return typed }
        throw CLIError("\"\(field)\" must be one of \(T.allCases.map { "\($0.rawValue) (\($0.vietnamese))" }.joined(separator: ", ")), got \"\(text)\"",
                       exitCode: 1, code: .invalidValue)
    }

    /// A local date `YYYY-MM-DD`.
    public static func date(_ text: String, field: String) throws -> LocalDate {
        try checked { () throws(WireError) in try JSONFields(object: [field: .string(text)]).date(field) }
    }

    private static func checked<T>(_ read: () throws(WireError) -> T) throws -> T {
        do { return try read() } catch { throw CLIError(error.message, exitCode: 1, code: error.errorCode) }
    }
}
