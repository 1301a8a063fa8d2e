import Foundation
import GRDB
import Projections

/// `petitionctl audit rebuild`: every projection rebuilt from the log file into a fresh file, and compared with the live one.
///
/// Only reads the log and the live read model (both read-only), so it works
/// with the system up or down; writes nothing but the file it is given, and
/// never the live read model.
public struct AuditRebuild {
    public let files: AuditFiles
    /// The memory a rebuild may take (bytes): above it, it folds and writes a batch at a time.
    public var memoryLimit: Int

    public init(files: AuditFiles, memoryLimit: Int = ProjectionRebuild.defaultMemoryLimit) {
        self.files = files
        self.memoryLimit = memoryLimit
    }

    /// Rebuilds through `point` into `out`; `force` replaces a file already there.
    public func rebuild(_ point: RebuildPoint, into out: String, force: Bool, progress: ((Int64, Int64) -> Void)? = nil) throws -> RebuildSummary {
        try AuditError.converting {
            let log = try AuditFiles.openLogFile(files.eventLog)
            let position = try point.resolve(in: log)
            try prepare(out, force: force)
            return try ProjectionRebuild.rebuild(log, through: position, into: out, memoryLimit: memoryLimit) { progress?($0, position) }
        }
    }

    /// Rebuilds through the checkpoint of the live read model `live` (default: the projector's file) and compares
    /// every table row by row.
    ///
    /// The checkpoint is read, `point` (when given) resolved against it, the
    /// rebuild made and the live rows compared, all in one read transaction on
    /// the live file, so a running projector cannot move it meanwhile. A `point`
    /// other than the checkpoint is refused: an older rebuild differs from the
    /// live views by design.
    /// `logHead` is the log's head when the comparison began: identical views at a checkpoint far behind it are
    /// identical only that far (a projector that stopped applying would otherwise pass unnoticed).
    public func compare(_ point: RebuildPoint? = nil, into out: String, force: Bool, live: String? = nil, limit: Int = 1000,
                        progress: ((Int64, Int64) -> Void)? = nil) throws -> (summary: RebuildSummary, comparison: ReadModelComparison, logHead: Int64) {
        try AuditError.converting {
            let livePath = live ?? files.readModels
            let log = try AuditFiles.openLogFile(files.eventLog)
            let liveModel = try OutstandingReadModel(readingFrom: livePath)
            return try liveModel.queue.read { db in
                let checkpoint = try OutstandingReadModel.checkpoint(in: db)
                if let asked = try point?.resolve(in: log), asked != checkpoint {
                    throw AuditError("""
                        --compare compares with the live read model, which is at position \(checkpoint); a rebuild through \(asked) \
                        must differ from it. Drop --position/--as-of (the comparison rebuilds through \(checkpoint)), or rebuild \
                        through \(asked) with --out and query that file with --read-model
                        """)
                }
                try prepare(out, force: force, alsoProtecting: livePath)
                let summary = try ProjectionRebuild.rebuild(log, through: checkpoint, into: out, memoryLimit: memoryLimit) { progress?($0, checkpoint) }
                let rebuilt = try OutstandingReadModel(readingFrom: out)
                let comparison = try rebuilt.queue.read { r in try ReadModelComparison.compare(live: db, rebuilt: r, limit: limit) }
                return (summary, comparison, try log.head())
            }
        }
    }

    /// Refuses to write over the log, the live read model or the file compared against, or over anything without `force`.
    private func prepare(_ out: String, force: Bool, alsoProtecting compared: String? = nil) throws {
        let target = Self.canonical(out)
        let protected = [(files.readModels, "the live read model"), (files.eventLog, "the event log")] + (compared.map { [($0, "the read model compared against")] } ?? [])
        for (protected, what) in protected where Self.canonical(protected) == target {
            throw AuditError("\(out) is \(what); give --out a new file")
        }
        guard FileManager.default.fileExists(atPath: out) else { return }
        guard force else { throw AuditError("\(out) already exists; choose another --out, or give --force to replace it") }
        try FileManager.default.removeItem(atPath: out)
    }

    /// The path with symbolic links and `..` resolved (its folder's, for a file that does not exist yet).
    private static func canonical(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) { return url.resolvingSymlinksInPath().path }
        return url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
    }
}
