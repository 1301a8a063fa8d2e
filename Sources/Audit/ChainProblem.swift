import Foundation

/// The first thing wrong with a log, by position, with a reason a person understands.
public struct ChainProblem: Hashable, Sendable {
    /// What kind of change was found.
    public enum Kind: String, Sendable, CaseIterable {
        /// The record's content changed: its hash no longer matches it.
        case altered
        /// A position has no record: the log has a gap.
        case missing
        /// The record is not in its place: it was chained after another record.
        case reordered
        /// The record was replaced by one whose hash was recomputed: the next record is no longer chained to it.
        case rewritten
        /// The log ends before a position a signed checkpoint says existed.
        case truncated
        /// The log up to a checkpoint's position no longer hashes to what the checkpoint signed.
        case checkpointMismatch = "checkpoint_mismatch"
        /// A checkpoint's signature does not verify (or was made with another key than the one given).
        case badSignature = "bad_signature"
        /// A checkpoint record's data is not a checkpoint.
        case badCheckpoint = "bad_checkpoint"
    }

    public var kind: Kind
    /// The position where the log first differs from what was written (for a bad checkpoint, the checkpoint's record).
    public var position: Int64
    /// One or two sentences for a person: what is wrong, where, and what it means.
    public var message: String

    public init(_ kind: Kind, at position: Int64, _ message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }
}
