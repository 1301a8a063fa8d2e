import Crypto
import EventSourcing
import Foundation
import Messaging

/// Checks signed checkpoints in log order against the key given (or the one each names) and the log's hashes.
struct CheckpointCheck {
    let publicKey: Curve25519.Signing.PublicKey?
    private(set) var summary = CheckpointSummary()

    init(publicKey: Curve25519.Signing.PublicKey?) {
        self.publicKey = publicKey
        summary.publicKey = publicKey.map { Hex.encode($0.rawRepresentation) }
    }

    /// Checks a checkpoint record of the log; `actual` is the log's hash at the position it signs.
    mutating func check(record: Int64, checkpoint: LogCheckpoint?, actual: Data?) -> ChainProblem? {
        guard let checkpoint, checkpoint.position >= 0, checkpoint.position < record else {
            return ChainProblem(.badCheckpoint, at: record, "record \(record) is a checkpoint (\(LogCheckpoint.eventType)) whose data is not a checkpoint of an earlier position")
        }
        summary.found += 1
        if !summary.signers.contains(checkpoint.publicKey) { summary.signers.append(checkpoint.publicKey) }
        if let problem = signatureProblem(checkpoint, what: "checkpoint record \(record)", at: record) { return problem }
        if let problem = headProblem(checkpoint, actual: actual, what: "checkpoint record \(record)") { return problem }
        summary.last = (checkpoint, record)
        return nil
    }

    /// Checks a checkpoint kept outside the log against a log whose last record is `head`; `actual` is the log's hash at its position.
    mutating func checkOutside(_ checkpoint: LogCheckpoint, head: Int64, actual: Data?) -> ChainProblem? {
        summary.outside += 1
        let what = "the checkpoint you gave (record \(checkpoint.position))"
        if let problem = signatureProblem(checkpoint, what: what, at: checkpoint.position) { return problem }
        if checkpoint.position > head {
            let removed = checkpoint.position == head + 1 ? "record \(head + 1) was removed" : "at least records \(head + 1)…\(checkpoint.position) were removed"
            return ChainProblem(.truncated, at: head + 1,
                                "the log ends at record \(head), but \(what) says record \(checkpoint.position) existed with hash \(checkpoint.head.prefix(16))…: \(removed) from its end")
        }
        return headProblem(checkpoint, actual: actual, what: what)
    }

    private func signatureProblem(_ checkpoint: LogCheckpoint, what: String, at position: Int64) -> ChainProblem? {
        let key: Curve25519.Signing.PublicKey
        if let publicKey {
            let given = Hex.encode(publicKey.rawRepresentation)
            guard checkpoint.publicKey.lowercased() == given else {
                return ChainProblem(.badSignature, at: position,
                                    "\(what) was signed by key \(checkpoint.publicKey.prefix(16))…, not by the key you gave (\(given.prefix(16))…): it was not written by the gateway whose key you hold")
            }
            key = publicKey
        } else {
            guard let own = CheckpointKeyFiles.publicKey(checkpoint.publicKey) else {
                return ChainProblem(.badCheckpoint, at: position, "\(what) names a public key that is not an Ed25519 key")
            }
            key = own
        }
        guard checkpoint.isSigned(by: key) else {
            return ChainProblem(.badSignature, at: position,
                                "the signature of \(what) (over record \(checkpoint.position) and hash \(checkpoint.head.prefix(16))…) does not verify with \(publicKey == nil ? "the key it names" : "the key you gave"): the checkpoint was altered or forged")
        }
        return nil
    }

    private func headProblem(_ checkpoint: LogCheckpoint, actual: Data?, what: String) -> ChainProblem? {
        let actualHex = actual.map { Hex.encode($0) } ?? "(none)"
        guard actualHex != checkpoint.head.lowercased() else { return nil }
        let since = summary.last.map { $0.checkpoint.position + 1 } ?? 1
        let range = since == checkpoint.position ? "record \(since)" : "records \(since)…\(checkpoint.position)"
        return ChainProblem(.checkpointMismatch, at: checkpoint.position,
                            "the log was rewritten after \(what) was signed: it signed hash \(checkpoint.head.prefix(16))… for record \(checkpoint.position), the log now gives \(actualHex.prefix(16))… (the change is in \(range); the chain was recomputed to hide it)")
    }
}
