import EventSourcing
import Foundation

/// What a verification learned about the signed checkpoints in (and given beside) the log.
public struct CheckpointSummary: Sendable {
    /// Checkpoint records found in the log (up to the first problem).
    public var found = 0
    /// The outside public key they were checked against (hex); nil when none was given.
    public var publicKey: String?
    /// The distinct keys that signed them, hex, in order of first appearance.
    public var signers: [String] = []
    /// The last checkpoint found that matched the log, and the position of its record.
    public var last: (checkpoint: LogCheckpoint, record: Int64)?
    /// Checkpoints given from outside the log (`--checkpoint`) that were checked.
    public var outside = 0

    public init() {}

    /// Whether the checkpoints' signatures were checked against a key held outside the system.
    public var checkedAgainstOutsideKey: Bool { publicKey != nil }
}
