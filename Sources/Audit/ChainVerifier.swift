import Crypto
import EventSourcing
import EventStorePostgres
import Foundation

/// Recomputes the whole log's hash chain from the store file, and checks its signed checkpoints.
///
/// It reads the log read-only through the store's ``EventLogReader`` (for SQLite a
/// WAL reader: it works while the gateway runs, and while the system is down),
/// record by record from the stored bytes with one reused buffer, so its memory
/// does not grow with the log. Each record's check needs only its own bytes and the stored hash before
/// it, so the positions are split into one run per core, verified side by
/// side; the first problem by position wins, as if scanned in order.
public struct ChainVerifier {
    /// The event log file.
    public var path: String
    /// The checkpoint key an inspector holds outside the system; nil checks each checkpoint against the key it names.
    public var publicKey: Curve25519.Signing.PublicKey?
    /// Checkpoints kept outside the log (e.g. from an earlier report); they also reveal a truncated tail.
    public var outsideCheckpoints: [LogCheckpoint]
    /// How many runs to verify side by side (default: one per core, at most 4, and one per 20,000 records).
    public var parallelism: Int?
    /// Whether to hash eight records side by side where the CPU can (AVX2); false hashes one record at a time.
    public var lanes: Bool

    public init(path: String, publicKey: Curve25519.Signing.PublicKey? = nil, outsideCheckpoints: [LogCheckpoint] = [], parallelism: Int? = nil, lanes: Bool = true) {
        self.path = path
        self.publicKey = publicKey
        self.outsideCheckpoints = outsideCheckpoints
        self.parallelism = parallelism
        self.lanes = lanes
    }

    /// Whether this CPU can hash records side by side (see ``lanes``).
    public static var canHashInLanes: Bool { CPUFeatures.hasAVX2 }

    /// Verifies the log; throws only when the file cannot be read as an event log.
    public func run() throws(AuditError) -> VerifyReport {
        guard PostgresLocation.isAddress(path) || FileManager.default.fileExists(atPath: path) else {
            throw AuditError("no event log at \(path): give --data-dir with the system's data folder (the one `petitionctl up --data-dir` uses) or --log with the file")
        }
        let log = try AuditFiles.openLog(path)
        let main = try ChainScan(log: log)
        let end = try main.head()
        let results = try segments(through: end, log: log, main: main)

        var checkpoints = CheckpointCheck(publicKey: publicKey)
        let firstBad = results.first { $0.problem != nil }?.problem
        var problem: ChainProblem?
        var records = end
        search: for result in results {
            for found in result.checkpoints where found.record < firstBad?.seenAt ?? .max {
                if let p = checkpoints.check(record: found.record, checkpoint: found.checkpoint, actual: found.actual) {
                    (problem, records) = (p, found.record)
                    break search
                }
            }
        }
        if problem == nil, let firstBad { (problem, records) = (firstBad.problem, firstBad.seenAt - 1) }
        if problem == nil {
            for checkpoint in outsideCheckpoints.sorted(by: { $0.position < $1.position }) {
                let actual = checkpoint.position <= end ? try main.storedHash(at: checkpoint.position) : nil
                if let p = checkpoints.checkOutside(checkpoint, head: end, actual: actual) {
                    problem = p
                    break
                }
            }
        }
        // Record `records` verified, so its stored hash is the recomputed one.
        let head = try main.storedHash(at: records) ?? HashChain.genesis
        return VerifyReport(file: path, records: records, headHash: head, problem: problem, checkpoints: checkpoints.summary)
    }

    /// How many runs verify a log of `records` side by side: `parallelism` when given, else one per core (at most 4)
    /// and one per 20,000 records; at least one.
    public static func runs(records: Int64, parallelism: Int?) -> Int {
        let cores = Int64(min(4, ProcessInfo.processInfo.activeProcessorCount))
        return Int(max(1, parallelism.map { min(Int64($0), records) } ?? min(cores, records / 20_000)))
    }

    /// Verifies positions 1…`end` in ``runs(records:parallelism:)`` runs; the results in position order.
    private func segments(through end: Int64, log: any EventLogReader, main: ChainScan) throws(AuditError) -> [SegmentResult] {
        let count = Self.runs(records: end, parallelism: parallelism)
        let size = (end + Int64(count) - 1) / Int64(count)
        let bounds = (0..<count).map { i in (Int64(i) * size + 1, min(end, Int64(i + 1) * size)) }
        guard count > 1 else { return [try main.verify(from: 1, through: end, lanes: lanes)] }
        let outcomes = SegmentOutcomes(count: count)
        let lanes = self.lanes
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do {
                let scanner = i == 0 ? main : try ChainScan(log: log)
                outcomes.set(i, .success(try scanner.verify(from: bounds[i].0, through: bounds[i].1, lanes: lanes)))
            } catch {
                outcomes.set(i, .failure(error as! AuditError))
            }
        }
        return try outcomes.all()
    }
}

/// The results of runs verified side by side, each set once by its own thread.
private final class SegmentOutcomes: @unchecked Sendable {
    private var outcomes: [Result<SegmentResult, AuditError>?]
    private let lock = NSLock()

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ outcome: Result<SegmentResult, AuditError>) {
        lock.lock(); defer { lock.unlock() }
        outcomes[i] = outcome
    }

    func all() throws(AuditError) -> [SegmentResult] {
        lock.lock(); defer { lock.unlock() }
        return try outcomes.map { outcome throws(AuditError) in try outcome!.get() }
    }
}
