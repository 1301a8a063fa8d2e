import EventSourcing
import Foundation

/// What one scanner found in its run of positions.
struct SegmentResult: Sendable {
    /// A checkpoint record met on the way, with the hash the log gives at the position it signs.
    struct FoundCheckpoint: Sendable {
        var record: Int64
        /// What the record holds, nil when it is not a checkpoint's JSON.
        var checkpoint: LogCheckpoint?
        /// The verified hash of the signed position, nil when no record is there.
        var actual: Data?
    }

    /// The first problem, and the record at which it was seen (the problem may name the one before).
    var problem: (problem: ChainProblem, seenAt: Int64)?
    var checkpoints: [FoundCheckpoint] = []
}
