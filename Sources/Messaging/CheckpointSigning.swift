import Crypto

/// How the gateway signs checkpoints of the log's head: with which key, and when (not `Sendable`: the key is not; the gateway's loop thread owns it).
public struct CheckpointSigning {
    /// The Ed25519 key every checkpoint is signed with.
    public var key: Curve25519.Signing.PrivateKey
    /// When the next checkpoint is due.
    public var schedule: CheckpointSchedule

    public init(key: Curve25519.Signing.PrivateKey, schedule: CheckpointSchedule) {
        self.key = key
        self.schedule = schedule
    }
}
