import EventSourcing
import Projections

/// How far into the log a rebuild goes.
public enum RebuildPoint: Sendable, Equatable {
    /// Every event recorded.
    case head
    /// Positions 1 through N.
    case position(Int64)
    /// What the log had recorded by this instant (milliseconds): through the last position whose `recorded_at` is at or before it.
    case asOf(Int64)

    /// The last position this point includes, in `log`; refused when the log does not reach it.
    public func resolve(in log: EventLogFile) throws -> Int64 {
        let head = try log.head()
        switch self {
        case .head:
            return head
        case .position(let n):
            guard n >= 0 else { throw AuditError("--position must be 0 or more, got \(n)") }
            guard n <= head else { throw AuditError("the log ends at position \(head); give --position \(head) or less") }
            return n
        case .asOf(let millis):
            return try log.lastPosition(recordedBy: millis)
        }
    }
}
