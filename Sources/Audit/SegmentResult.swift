import Foundation

/// What one scanner found in its run of positions.
struct SegmentResult: Sendable {
    /// A checkpoint record met on the way, with the hash the log gives at the position it signs.
    struct FoundCheckpoint: Sendable {
        var record: Int64
        var data: String
        /// The verified hash of the signed position, nil when no record is there.
        var actual: Data?
    }

    /// The first position of the run.
    var start: Int64
    /// The last position verified (start − 1 when none).
    var last: Int64
    /// The hash of record `last` (the seed when none was verified).
    var lastHash: Data
    /// The first problem, and the record at which it was seen (the problem may name the one before).
    var problem: (problem: ChainProblem, seenAt: Int64)?
    var checkpoints: [FoundCheckpoint] = []
}
