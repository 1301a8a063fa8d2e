import Crypto
import EventSourcing
import Foundation
import GRDBSQLite
import Messaging

/// Recomputes the whole log's hash chain from the store file, and checks its signed checkpoints.
///
/// It reads `events.sqlite` directly and read-only (a WAL reader: it works while
/// the gateway runs, on one consistent snapshot, and while the system is down),
/// row by row through the SQLite C API with one reused buffer, so its memory
/// does not grow with the log. It stops at the first problem and says where.
public struct ChainVerifier {
    /// The event log file.
    public var path: String
    /// The checkpoint key an inspector holds outside the system; nil checks each checkpoint against the key it names.
    public var publicKey: Curve25519.Signing.PublicKey?
    /// Checkpoints kept outside the log (e.g. from an earlier report); they also reveal a truncated tail.
    public var outsideCheckpoints: [LogCheckpoint]

    public init(path: String, publicKey: Curve25519.Signing.PublicKey? = nil, outsideCheckpoints: [LogCheckpoint] = []) {
        self.path = path
        self.publicKey = publicKey
        self.outsideCheckpoints = outsideCheckpoints
    }

    /// Verifies the log; throws only when the file cannot be read as an event log.
    public func run() throws(AuditError) -> VerifyReport {
        guard FileManager.default.fileExists(atPath: path) else {
            throw AuditError("no event log at \(path): give --data-dir with the system's data folder (the one `petitionctl up --data-dir` uses) or --log with the file")
        }
        let scan = try ChainScan(path: path)
        return try scan.run(publicKey: publicKey, outside: outsideCheckpoints)
    }
}
