import EventSourcing
import Foundation

/// `session.opened.v1`: a dialogue conference was held and its minutes opened.
public struct SessionOpened: Codable, Hashable, Sendable {
    public static let eventType = "session.opened.v1"
    public var sessionId: String
    public var unit: String
    public var title: String
    public var chair: String

    public init(sessionId: String, unit: String, title: String, chair: String) {
        self.sessionId = sessionId
        self.unit = unit
        self.title = title
        self.chair = chair
    }
}

/// Events of a dialogue session stream.
public enum SessionEvent: Hashable, Sendable {
    case opened(SessionOpened)
}

/// Open the minutes of a dialogue conference held at `occurredAt`.
public struct OpenSession: Hashable, Sendable {
    public var sessionId: String
    public var unit: String
    public var title: String
    public var chair: String

    public init(sessionId: String, unit: String, title: String, chair: String) {
        self.sessionId = sessionId
        self.unit = unit
        self.title = title
        self.chair = chair
    }
}

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
        return [.opened(SessionOpened(sessionId: command.sessionId, unit: command.unit, title: command.title, chair: command.chair))]
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
        self.init(sessionId: try r.string("sessionId"), unit: try r.string("unit"), title: try r.string("title"), chair: try r.string("chair"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("chair", chair); w.add("sessionId", sessionId); w.add("title", title); w.add("unit", unit) }
    var event: DomainEvent { .session(.opened(self)) }
    var summary: String { "session \(sessionId) opened in \(unit), chaired by \(chair): \(title)" }
}
