import EventSourcing
import Foundation

/// The reply to a command: what was created and where it was committed, or why not.
public struct CommandReply: Codable, Hashable, Sendable {
    public var ok: Bool
    public var commandId: String?
    /// The id of the session or petition the command created or acted on.
    public var id: String?
    public var stream: String?
    /// The log position of the command's last event.
    public var position: Int64?
    public var streamVersion: Int64?
    /// The types of the events appended, in order.
    public var events: [String]?
    /// For a referral: the deadline set, `YYYY-MM-DD`.
    public var deadline: String?
    /// For a submission: the petition's tracking code, for the citizen's receipt.
    public var trackingCode: String?
    public var error: WireError?

    public init(ok: Bool, commandId: String? = nil, id: String? = nil, stream: String? = nil, position: Int64? = nil,
                streamVersion: Int64? = nil, events: [String]? = nil, deadline: String? = nil, trackingCode: String? = nil, error: WireError? = nil) {
        self.trackingCode = trackingCode
        self.ok = ok
        self.commandId = commandId
        self.id = id
        self.stream = stream
        self.position = position
        self.streamVersion = streamVersion
        self.events = events
        self.deadline = deadline
        self.error = error
    }

    /// A reply read from its JSON bytes; nil when they are not a command reply.
    public init?(json bytes: [UInt8]) {
        guard let reply = try? JSONDecoder().decode(CommandReply.self, from: Data(bytes)) else { return nil }
        self = reply
    }

    public static func failure(_ error: WireError, commandId: String? = nil) -> CommandReply {
        CommandReply(ok: false, commandId: commandId, error: error)
    }

    /// The reply's JSON text: keys sorted, absent fields omitted (what `Wire.text` gives, faster).
    public var json: String {
        var s = "{"
        s.reserveCapacity(192)
        var first = true
        func key(_ k: String) {
            s += first ? "\"" : ",\""
            first = false
            s += k
            s += "\":"
        }
        if let commandId { key("commandId"); JSONText.appendString(commandId, to: &s) }
        if let deadline { key("deadline"); JSONText.appendString(deadline, to: &s) }
        if let error {
            key("error")
            s += "{\"code\":"
            JSONText.appendString(error.code, to: &s)
            s += ",\"message\":"
            JSONText.appendString(error.message, to: &s)
            s += "}"
        }
        if let events {
            key("events")
            s += "["
            for (i, e) in events.enumerated() {
                if i > 0 { s += "," }
                JSONText.appendString(e, to: &s)
            }
            s += "]"
        }
        if let id { key("id"); JSONText.appendString(id, to: &s) }
        key("ok"); s += ok ? "true" : "false"
        if let position { key("position"); s += String(position) }
        if let stream { key("stream"); JSONText.appendString(stream, to: &s) }
        if let streamVersion { key("streamVersion"); s += String(streamVersion) }
        if let trackingCode { key("trackingCode"); JSONText.appendString(trackingCode, to: &s) }
        s += "}"
        return s
    }
}

/// A generic error reply for any socket: `{"ok":false,"error":{...}}`.
public struct ErrorReply: Codable, Sendable {
    public var ok = false
    public var error: WireError

    public init(_ error: WireError) { self.error = error }
}

/// What `status` returns from every process.
public struct ProcessStatus: Codable, Hashable, Sendable {
    public var ok = true
    public var process: String
    public var pid: Int32
    /// The last log position this process has committed (gateway) or applied (workers).
    public var position: Int64
    /// The newest head position this process has heard of.
    public var head: Int64
    public var startedAt: String
    /// Positions of records this process skipped because they could not be decoded (projector; nil elsewhere).
    public var undecodable: [Int64]?
    /// The gateway's commands by type and outcome, and its group commits (gateway; nil elsewhere).
    public var tally: CommandTally?

    public init(process: String, pid: Int32, position: Int64, head: Int64, startedAt: String, undecodable: [Int64]? = nil,
                tally: CommandTally? = nil) {
        self.tally = tally
        self.process = process
        self.pid = pid
        self.position = position
        self.head = head
        self.startedAt = startedAt
        self.undecodable = undecodable
    }
}

/// Encoding used for every reply: sorted keys, no escaped slashes.
public enum Wire {
    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The JSON bytes of a reply.
    public static func bytes<T: Encodable>(_ value: T) -> [UInt8] {
        Array(try! encoder.encode(value))
    }

    /// The JSON text of a reply.
    public static func text<T: Encodable>(_ value: T) -> String {
        String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
