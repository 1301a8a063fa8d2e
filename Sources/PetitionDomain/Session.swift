import EventSourcing
import Foundation

/// `session.opened.v3`: a dialogue conference was held and its minutes opened.
public struct SessionOpened: Codable, Hashable, Sendable {
    /// v3 added `hamlet` and `attendees`, v2 `unitCode`; v1 (free-text units, before the registry) and v2 are read
    /// with what they lack absent.
    public static let eventType = "session.opened.v3"
    public static let v1 = "session.opened.v1"
    public static let v2 = "session.opened.v2"
    public var sessionId: String
    /// The unit's registered name, as views and reports show it.
    public var unit: String
    /// The unit's registered code: whose scope the session and its petitions are in; nil for a v1 session.
    public var unitCode: String?
    public var title: String
    public var chair: String
    /// The hamlet (thôn, ấp, tổ dân phố) where it was held, as the minutes name it; nil when not said.
    public var hamlet: String?
    /// How many citizens attended, as the minutes count them; nil when not said.
    public var attendees: Int?

    public init(sessionId: String, unit: String, unitCode: String? = nil, title: String, chair: String, hamlet: String? = nil, attendees: Int? = nil) {
        self.sessionId = sessionId
        self.unit = unit
        self.unitCode = unitCode
        self.title = title
        self.chair = chair
        self.hamlet = hamlet
        self.attendees = attendees
    }

    /// Every member always present: what an older version lacks is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(attendees, forKey: .attendees); try c.encode(chair, forKey: .chair); try c.encode(hamlet, forKey: .hamlet)
        try c.encode(sessionId, forKey: .sessionId); try c.encode(title, forKey: .title)
        try c.encode(unit, forKey: .unit); try c.encode(unitCode, forKey: .unitCode)
    }
}

/// Events of a dialogue session stream.
public enum SessionEvent: Hashable, Sendable {
    case opened(SessionOpened)
}

/// Open the minutes of a dialogue conference held at `occurredAt`.
public struct OpenSession: Hashable, Sendable {
    public var sessionId: String
    /// The registered unit's name and code (the gateway resolves what the clerk typed against the registry).
    public var unit: String
    public var unitCode: String?
    public var title: String
    public var chair: String
    public var hamlet: String?
    public var attendees: Int?

    public init(sessionId: String, unit: String, unitCode: String? = nil, title: String, chair: String, hamlet: String? = nil, attendees: Int? = nil) {
        self.sessionId = sessionId
        self.unit = unit
        self.unitCode = unitCode
        self.title = title
        self.chair = chair
        self.hamlet = hamlet
        self.attendees = attendees
    }
}

/// A stream's state that belongs to a registered unit: whose officials may act on it.
public protocol UnitScoped {
    /// The unit's registered code; nil for what was recorded before units were registered.
    var unitCode: String? { get }
}

extension SessionState: UnitScoped {
    public var unitCode: String? { opened?.unitCode }
}

extension PetitionState: UnitScoped {}

/// What the domain knows of a session.
public struct SessionState: Hashable, Sendable {
    public var opened: SessionOpened?

    public init(opened: SessionOpened? = nil) { self.opened = opened }

    public var exists: Bool { opened != nil }
}

/// The dialogue session decider.
public enum Session {
    public static let category = "session"

    public static func decide(_ command: OpenSession, _ state: SessionState) throws(DomainError) -> [SessionEvent] {
        guard !state.exists else { throw .sessionAlreadyExists(command.sessionId) }
        try require(command.unit, "unit")
        try require(command.title, "title")
        try require(command.chair, "chair")
        if let hamlet = command.hamlet { try require(hamlet, "hamlet", max: 200) }
        if let n = command.attendees, !(0...1_000_000).contains(n) { throw .invalidInput("attendees", "must be between 0 and 1000000, got \(n)") }
        return [.opened(SessionOpened(sessionId: command.sessionId, unit: command.unit, unitCode: command.unitCode, title: command.title, chair: command.chair,
                                      hamlet: command.hamlet, attendees: command.attendees))]
    }

    public static func evolve(_ state: SessionState, _ event: SessionEvent) -> SessionState {
        switch event {
        case .opened(let e): return SessionState(opened: e)
        }
    }
}

/// Throws `invalidInput` unless `value` has visible text.
func require(_ value: String, _ field: String, max: Int = 10_000, allowEmpty: Bool = false) throws(DomainError) {
    if !allowEmpty, value.allSatisfy(\.isWhitespace) { throw .invalidInput(field, "must not be empty") }
    if value.count > max { throw .invalidInput(field, "is longer than \(max) characters") }
}

extension SessionOpened: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(sessionId: try r.string("sessionId"), unit: try r.string("unit"), unitCode: try r.optionalString("unitCode"),
                  title: try r.string("title"), chair: try r.string("chair"), hamlet: try r.optionalString("hamlet"), attendees: try r.optionalInt("attendees"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("attendees", optionalInt: attendees); w.add("chair", chair); w.add("hamlet", optional: hamlet)
        w.add("sessionId", sessionId); w.add("title", title); w.add("unit", unit); w.add("unitCode", optional: unitCode)
    }
    var event: DomainEvent { .session(.opened(self)) }
    var summary: String { "mở biên bản hội nghị \(sessionId) tại \(unit)\(hamlet.map { ", \($0)" } ?? ""), chủ trì \(chair)\(attendees.map { ", \($0) cử tri tham dự" } ?? ""): \(title)" }
}
