import Foundation

/// `alert.delivered.v1`: an alert reached one sink (webhook, e-mail, log file).
public struct AlertDelivered: Codable, Hashable, Sendable {
    public static let eventType = "alert.delivered.v1"
    public var alertId: String
    public var petitionId: String
    /// The sink's name, e.g. `webhook`, `email`, `file`.
    public var sink: String
    /// How many attempts it took.
    public var attempts: Int
    /// What the sink answered, e.g. "HTTP 204".
    public var detail: String

    public init(alertId: String, petitionId: String, sink: String, attempts: Int, detail: String) {
        self.alertId = alertId
        self.petitionId = petitionId
        self.sink = sink
        self.attempts = attempts
        self.detail = detail
    }
}

/// `alert.delivery-failed.v1`: one attempt to deliver an alert to a sink failed.
public struct AlertDeliveryFailed: Codable, Hashable, Sendable {
    public static let eventType = "alert.delivery-failed.v1"
    public var alertId: String
    public var petitionId: String
    public var sink: String
    public var attempt: Int
    public var reason: String
    /// True when retrying cannot help (the receiver refused it); the notifier stops.
    public var permanent: Bool

    public init(alertId: String, petitionId: String, sink: String, attempt: Int, reason: String, permanent: Bool) {
        self.alertId = alertId
        self.petitionId = petitionId
        self.sink = sink
        self.attempt = attempt
        self.reason = reason
        self.permanent = permanent
    }
}

/// Events of an alert stream (`alert-<alertId>`).
public enum AlertEvent: Hashable, Sendable {
    case delivered(AlertDelivered)
    case deliveryFailed(AlertDeliveryFailed)
}

/// What the log knows of one alert's delivery.
public struct AlertState: Hashable, Sendable {
    /// Sinks it was delivered to.
    public var delivered: Set<String> = []
    /// Failed attempts per sink.
    public var failures: [String: Int] = [:]
    /// Sinks that refused it for good.
    public var abandoned: Set<String> = []

    public init() {}
}

/// Recording an alert's delivery: once per sink.
public enum AlertDelivery {
    public static let category = "alert"

    /// A delivery outcome to record.
    public enum Command: Hashable, Sendable {
        case delivered(alertId: String, petitionId: String, sink: String, attempts: Int, detail: String)
        case failed(alertId: String, petitionId: String, sink: String, attempt: Int, reason: String, permanent: Bool)
    }

    public static func decide(_ command: Command, _ state: AlertState) throws(DomainError) -> [AlertEvent] {
        switch command {
        case let .delivered(alertId, petitionId, sink, attempts, detail):
            try require(sink, "sink", max: 64)
            guard !state.delivered.contains(sink) else { throw .alreadyDelivered(alertId, sink: sink) }
            guard attempts >= 1 else { throw .invalidInput("attempts", "must be at least 1, got \(attempts)") }
            return [.delivered(AlertDelivered(alertId: alertId, petitionId: petitionId, sink: sink, attempts: attempts, detail: detail))]
        case let .failed(alertId, petitionId, sink, attempt, reason, permanent):
            try require(sink, "sink", max: 64)
            guard !state.delivered.contains(sink) else { throw .alreadyDelivered(alertId, sink: sink) }
            guard attempt >= 1 else { throw .invalidInput("attempt", "must be at least 1, got \(attempt)") }
            return [.deliveryFailed(AlertDeliveryFailed(alertId: alertId, petitionId: petitionId, sink: sink, attempt: attempt,
                                                        reason: reason, permanent: permanent))]
        }
    }

    public static func evolve(_ state: AlertState, _ event: AlertEvent) -> AlertState {
        var s = state
        switch event {
        case .delivered(let e): s.delivered.insert(e.sink)
        case .deliveryFailed(let e):
            s.failures[e.sink, default: 0] += 1
            if e.permanent { s.abandoned.insert(e.sink) }
        }
        return s
    }
}

extension AlertDelivered: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(alertId: try r.string("alertId"), petitionId: try r.string("petitionId"), sink: try r.string("sink"),
                  attempts: try r.int("attempts"), detail: try r.string("detail"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("alertId", alertId); w.add("attempts", int: attempts); w.add("detail", detail); w.add("petitionId", petitionId); w.add("sink", sink)
    }
    var event: DomainEvent { .alert(.delivered(self)) }
    var summary: String { "alert \(alertId) delivered to \(sink) after \(attempts) attempt(s): \(detail)" }
}

extension AlertDeliveryFailed: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(alertId: try r.string("alertId"), petitionId: try r.string("petitionId"), sink: try r.string("sink"),
                  attempt: try r.int("attempt"), reason: try r.string("reason"), permanent: try r.bool("permanent"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("alertId", alertId); w.add("attempt", int: attempt); w.add("permanent", bool: permanent); w.add("petitionId", petitionId)
        w.add("reason", reason); w.add("sink", sink)
    }
    var event: DomainEvent { .alert(.deliveryFailed(self)) }
    var summary: String { "alert \(alertId) not delivered to \(sink) (attempt \(attempt)\(permanent ? ", refused for good" : "")): \(reason)" }
}
