import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import Messaging

/// What a rebuild did, for its summary.
public struct RebuildSummary: Codable, Sendable {
    /// The file written.
    public var out: String
    /// The last position folded: the rebuilt views are the log's through it.
    public var position: Int64
    /// When the log recorded that position (RFC 3339); nil for an empty rebuild.
    public var recordedAt: String?
    public var events: Int64
    /// Reading, decoding and folding (three threads), then writing the file.
    public var foldSeconds: Double
    public var writeSeconds: Double
    public var eventsPerSecond: Double
    /// Folded and written a batch at a time (the projector's path) to stay within the memory limit, rather than all
    /// at once in memory; `writeSeconds` is then included in `foldSeconds`.
    public var inBatches: Bool
}

/// Rebuilds every projection (outstanding, chain of hands, responsibility, alerts, session statistics) from the log.
///
/// The events run through the very fold the projector runs
/// (``ProjectionBatch``), as one batch that starts from nothing, so the rows
/// are the projector's rows. What differs is only how: one thread reads the
/// log (position order, one snapshot), a second decodes it and a third folds
/// everything in memory, then the fresh file is written in one go
/// (``ReadModelBulkWriter``: half the tables on each thread, into two files,
/// then copied into one).
public enum ProjectionRebuild {
    /// Memory a rebuild in one go takes per event folded: 783 MiB for the 1,000,000 events of `petition-bench
    /// rebuild` (BENCHMARKS.md), rounded up.
    public static let bytesPerEvent = 850

    /// The memory a rebuild may take by default: half of this machine's.
    public static var defaultMemoryLimit: Int { Int(ProcessInfo.processInfo.physicalMemory / 2) }

    /// Rebuilds positions 1 through `position` of `log` into a new file at `path` (refused if something is there).
    ///
    /// The file is written under a temporary name beside `path` and renamed
    /// when complete, so `path` never holds a half-written read model.
    /// `progress` is called on the folding thread with each position reached.
    ///
    /// All at once in memory, the fast way, when `position` × ``bytesPerEvent``
    /// fits in `memoryLimit`; otherwise 20,000 events at a time the way the
    /// projector applies them (the same fold, the same rows, a few times slower,
    /// memory bounded whatever the log's length).
    public static func rebuild(_ log: EventLogFile, through position: Int64, into path: String, memoryLimit: Int = defaultMemoryLimit,
                               progress: ((Int64) -> Void)? = nil) throws -> RebuildSummary {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw RebuildError("\(path) already exists; choose another --out, or give --force to replace it")
        }
        if position > Int64(memoryLimit / bytesPerEvent) {
            return try rebuildInBatches(log, through: position, into: path, progress: progress)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let batch = try fold(log, through: position, progress: progress)
        let folded = DispatchTime.now().uptimeNanoseconds

        let partial = path + ".partial-\(getpid())", side = partial + "-side"
        func removeScratch() { for file in [partial, side] { try? FileManager.default.removeItem(atPath: file) } }
        removeScratch()
        do {
            defer { try? FileManager.default.removeItem(atPath: side) }
            let queue = try freshFile(partial), sideQueue = try freshFile(side)
            try ReadModelBulkWriter.write(batch, into: queue, side: sideQueue)
            try queue.close()
            guard rename(partial, path) == 0 else { throw RebuildError("cannot rename \(partial) to \(path): \(String(cString: strerror(errno)))") }
        } catch {
            removeScratch()
            throw error
        }
        let written = DispatchTime.now().uptimeNanoseconds
        let seconds = Double(written - start) / 1e9
        let last = batch.position
        release(consume batch)
        return RebuildSummary(out: path, position: last, recordedAt: try log.recordedAt(last).map { Timestamp.format(millis: $0) },
                              events: last, foldSeconds: Double(folded - start) / 1e9, writeSeconds: Double(written - folded) / 1e9,
                              eventsPerSecond: seconds > 0 ? (Double(last) / seconds).rounded() : 0, inBatches: false)
    }

    /// ``rebuild(_:through:into:memoryLimit:progress:)`` a batch of 20,000 events at a time, through the projector's own path.
    static func rebuildInBatches(_ log: EventLogFile, through position: Int64, into path: String,
                                 progress: ((Int64) -> Void)? = nil) throws -> RebuildSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        let partial = path + ".partial-\(getpid())"
        func removeScratch() { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) } }
        removeScratch()
        var last: Int64 = 0
        do {
            // Closed (statements finalized, WAL folded into the file) when the model goes, before the rename.
            try {
                let model = try OutstandingReadModel(path: partial)
                try log.scan(through: position, chunk: 20_000) { chunk in
                    last = try model.apply(chunk)
                    progress?(last)
                }
                // One self-contained file, like the fast path's: the write-ahead log folded in and removed.
                try model.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
            }()
            guard last == position else {
                throw RebuildError("the log ends at position \(last), before the position \(position) asked for")
            }
            guard rename(partial, path) == 0 else { throw RebuildError("cannot rename \(partial) to \(path): \(String(cString: strerror(errno)))") }
        } catch {
            removeScratch()
            throw error
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return RebuildSummary(out: path, position: last, recordedAt: try log.recordedAt(last).map { Timestamp.format(millis: $0) },
                              events: last, foldSeconds: seconds, writeSeconds: 0,
                              eventsPerSecond: seconds > 0 ? (Double(last) / seconds).rounded() : 0, inBatches: true)
    }

    /// Frees a folded log on a thread of its own: hundreds of thousands of rows take seconds to free one by one
    /// (about 2 s for 1,000,000 events), which neither the summary nor the end of the process needs to wait for.
    private static func release(_ batch: consuming ProjectionBatch) {
        Thread.detachNewThread { [held = UncheckedBatch(consume batch)] in _ = held }
    }

    /// A new read model file at `path` with the current schema and no rows.
    private static func freshFile(_ path: String) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path)
        // Large pages: the wide rows of WITHOUT ROWID tables (kept whole in every b-tree node) fit many to a page.
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA page_size = 65536") }
        try ReadModelSchema.migrator().migrate(queue)
        return queue
    }

    /// Positions 1 through `position`, folded from nothing: read on a second thread, decoded on a third, folded on this one.
    ///
    /// Three stages rather than two (read and decode, fold): on two cores reading the file, decoding and folding share
    /// both cores evenly, where the thread that read and decoded was the slower of two.
    static func fold(_ log: EventLogFile, through position: Int64, progress: ((Int64) -> Void)? = nil) throws -> ProjectionBatch {
        let batch = ProjectionBatch(source: EmptyProjectionSource(), position: 0, events: Int(clamping: position))
        let stored = ChunkChannel<EventLogFile.StoredRecords>(capacity: 8)
        let decoded = ChunkChannel<[ProjectionEvent]>(capacity: 8)
        let reader = Thread {
            do {
                try log.scanStored(through: position) { chunk in
                    guard stored.send(chunk) else { throw CancellationError() }
                }
                stored.finish()
            } catch {
                stored.finish(error)
            }
        }
        let decoder = Thread {
            defer { stored.cancel() }
            do {
                while let chunk = try stored.receive() {
                    guard decoded.send(try EventLogFile.decode(chunk)) else { throw CancellationError() }
                }
                decoded.finish()
            } catch {
                decoded.finish(error)
            }
        }
        for thread in [reader, decoder] {
            thread.stackSize = 1 << 22
            thread.start()
        }
        defer { decoded.cancel() }
        while var chunk = try decoded.receive() {
            // Each event moved out of the chunk, last first: folded without copying it (and every text in it) first.
            chunk.reverse()
            while let event = chunk.popLast() {
                guard event.position == batch.position + 1 else {
                    throw RebuildError("the log skips from position \(batch.position) to \(event.position); verify it with `petitionctl audit verify`")
                }
                try batch.fold(event)
            }
            progress?(batch.position)
        }
        guard batch.position == position else {
            throw RebuildError("the log ends at position \(batch.position), before the position \(position) asked for")
        }
        return batch
    }

    /// Applies every record after the model's checkpoint the way the projector does, `batch` records per transaction
    /// (`petition-bench replay` measures this incremental path; ``rebuild(_:through:into:progress:)`` is the fast one).
    public static func run(from log: any EventLogReader, into model: OutstandingReadModel, batch: Int = 20_000,
                           progress: ((Int64) -> Void)? = nil) throws {
        var pending: [WireEvent] = []
        pending.reserveCapacity(batch)
        try log.forEach(from: try model.checkpoint() + 1) { record in
            pending.append(try WireEvent(record))
            if pending.count >= batch {
                // Applied first: `progress?(…)` would skip its argument when there is no progress callback.
                let position = try model.apply(pending)
                progress?(position)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty {
            let position = try model.apply(pending)
            progress?(position)
        }
    }

    /// One petition as it stood at `position`: only its own events and its session's, folded into a scratch read model
    /// whose checkpoint is `position`. Nil if the petition was not recorded by then.
    public static func petition(_ id: String, in log: EventLogFile, through position: Int64) throws -> OutstandingReadModel? {
        let own = try log.events(of: ["petition-\(id)"], through: position)
        guard case .petition(.submitted(let submitted))? = own.first?.event else { return nil }
        let session = try log.events(of: ["session-\(submitted.sessionId)"], through: position)
        let batch = ProjectionBatch(source: EmptyProjectionSource(), position: 0)
        for event in (session + own).sorted(by: { $0.position < $1.position }) { try batch.fold(event) }
        batch.position = position
        let model = try OutstandingReadModel(path: ":memory:")
        try ReadModelBulkWriter.write(batch, into: model.queue)
        return model
    }
}
