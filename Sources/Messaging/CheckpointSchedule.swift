import Foundation

/// When the gateway signs the next checkpoint: every `everyRecords` records or
/// every `everySeconds`, whichever comes first, and only when the head moved.
///
/// Pure: the caller gives the head and a monotonic clock reading.
public struct CheckpointSchedule: Sendable {
    /// Records committed since the last checkpoint that make one due; 0 turns this off.
    public var everyRecords: Int64
    /// Seconds since the last checkpoint (or the start) that make one due when the head moved; 0 turns this off.
    public var everySeconds: Double
    /// The position of the last checkpoint record (0 when there is none).
    public private(set) var lastCheckpointRecord: Int64
    private var lastAtNanos: UInt64

    /// Starts counting from the log's last checkpoint record, signed `secondsAgo` before `nowNanos` (0 when unknown):
    /// a gateway restarted more often than `everySeconds` still signs on time, its clock does not start over.
    public init(everyRecords: Int64, everySeconds: Double, lastCheckpointRecord: Int64, secondsAgo: Double = 0, nowNanos: UInt64) {
        self.everyRecords = everyRecords
        self.everySeconds = everySeconds
        self.lastCheckpointRecord = lastCheckpointRecord
        let ago = UInt64(max(0, secondsAgo) * 1e9)
        self.lastAtNanos = nowNanos - min(nowNanos, ago)
    }

    /// Whether a checkpoint of `head` is due now.
    public func isDue(head: Int64, nowNanos: UInt64) -> Bool {
        let moved = head - lastCheckpointRecord
        guard moved > 0 else { return false }
        if everyRecords > 0, moved >= everyRecords { return true }
        if everySeconds > 0, nowNanos >= lastAtNanos, Double(nowNanos - lastAtNanos) >= everySeconds * 1e9 { return true }
        return false
    }

    /// Records that a checkpoint was appended at `position`.
    public mutating func appended(at position: Int64, nowNanos: UInt64) {
        lastCheckpointRecord = position
        lastAtNanos = nowNanos
    }

    /// Restarts the clock without a checkpoint (after a failed attempt, so it is not retried on every tick).
    public mutating func postpone(nowNanos: UInt64) {
        lastAtNanos = nowNanos
    }
}
