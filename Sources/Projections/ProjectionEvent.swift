import EventSourcing
import Messaging
import PetitionDomain

/// What the fold needs of a recorded event: its position, its two times (milliseconds) and its data, decoded.
struct ProjectionEvent: Sendable {
    var position: Int64
    /// When it happened (the event's `time`).
    var occurredAt: Int64
    /// When the log recorded it.
    var recordedAt: Int64
    /// Nil for a type this version does not know: skipped, but its position still counts.
    var event: DomainEvent?

    init(position: Int64, occurredAt: Int64, recordedAt: Int64, event: DomainEvent?) {
        self.position = position
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.event = event
    }

    init(_ e: WireEvent) {
        self.init(position: e.position, occurredAt: Timestamp.millis(e.occurredAt), recordedAt: Timestamp.millis(e.recordedAt), event: e.event)
    }
}
