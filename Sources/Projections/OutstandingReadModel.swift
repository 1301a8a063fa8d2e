import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import Messaging
import PetitionDomain

/// The outstanding-items read model: its own SQLite file, the checkpoint in the same transaction.
public final class OutstandingReadModel: Sendable {
    public let queue: DatabaseQueue

    /// Opens (creating if needed) the read model at `path`; ":memory:" for a scratch one.
    public init(path: String) throws {
        var config = Configuration()
        config.label = "outstanding"
        config.prepareDatabase { db in
            // A crash loses nothing committed; a power cut may lose the newest, which is replayed.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            db.add(function: SearchQuery.foldFunction)
        }
        queue = path == ":memory:" ? try DatabaseQueue(configuration: config) : try DatabaseQueue(path: path, configuration: config)
        if path != ":memory:" { try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") } }
        try ReadModelSchema.migrator().migrate(queue)
    }

    /// Opens a read model file read-only, to query it offline (a rebuilt file, a copy, or the projector's own file while it runs).
    /// Refused when the file is not a read model of this version's schema.
    public init(readingFrom path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RebuildError("no read model at \(path); make one with `petitionctl audit rebuild --out \(path)`")
        }
        var config = Configuration()
        config.label = "read-model"
        config.readonly = true
        config.busyMode = .timeout(10)
        // Every query the projector answers, `search` included, runs on a file opened this way.
        config.prepareDatabase { db in db.add(function: SearchQuery.foldFunction) }
        let complete: Bool
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            complete = try queue.read { db in try ReadModelSchema.migrator().hasCompletedMigrations(db) }
        } catch {
            throw RebuildError("cannot read \(path) as a read model: \(error)")
        }
        guard complete else {
            throw RebuildError("\(path) is a read model of another version of this software; rebuild it with `petitionctl audit rebuild --out FILE`")
        }
    }

    /// The position of the last event applied.
    public func checkpoint() throws -> Int64 {
        try queue.read(Self.checkpoint(in:))
    }

    /// The position of the last event applied, read in `db`'s current transaction (a read model's connection).
    public static func checkpoint(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT position FROM checkpoint WHERE name = 'outstanding'") ?? 0
    }

    private nonisolated(unsafe) var writes: ReadModelStatements?

    deinit {
        // Finalize the statements on the queue before its connection closes.
        if writes != nil { try? queue.writeWithoutTransaction { _ in writes = nil } }
    }

    /// Applies events that follow the checkpoint, in one transaction with the new checkpoint.
    /// Events at or before the checkpoint are skipped; a gap is refused.
    ///
    /// The batch is folded in memory first (``ProjectionBatch``: each row
    /// evolves event by event, like a decider's state, loaded once from the
    /// file if an earlier batch wrote it), then each touched row is written once.
    @discardableResult
    public func apply(_ events: [WireEvent]) throws -> Int64 {
        try apply(events.lazy.map(ProjectionEvent.init))
    }

    @discardableResult
    func apply<S: Sequence<ProjectionEvent>>(_ events: S) throws -> Int64 {
        try queue.write { db in
            if writes == nil { writes = try ReadModelStatements(db.sqliteConnection!) }
            let w = writes!
            let batch = ProjectionBatch(source: w, position: try Self.checkpoint(in: db))
            for event in events where event.position > batch.position {
                guard event.position == batch.position + 1 else {
                    throw ProjectionGap(expected: batch.position + 1, found: event.position)
                }
                try batch.fold(event)
            }
            try w.write(batch)
            return batch.position
        }
    }

    /// Petitions that still need action, oldest deadline first, as of `now`: at most `limit` (after `filter.after`),
    /// how many match in all, and the cursor of the next page when there is one.
    public func outstanding(_ filter: OutstandingFilter, now: Date, limit: Int) throws -> (items: [PetitionView], total: Int, next: PageCursor?) {
        let today = LocalDate(containing: now)
        var sql = "SELECT * FROM petitions WHERE status IN ('submitted', 'referred', 'reopened')"
        var arguments: StatementArguments = []
        if let unit = filter.unit { sql += " AND unit = ?"; arguments += [unit] }
        sql += UnitScope.clause("unit", filter.scope, into: &arguments)
        // A reopened petition keeps its last department (shown in the list), so that department finds it too.
        if let department = filter.department { sql += " AND department = ?"; arguments += [department] }
        if let assignee = filter.assignee { sql += " AND status = 'referred' AND assignee = ?"; arguments += [assignee] }
        if filter.overdueOnly { sql += " AND status = 'referred' AND deadline < ?"; arguments += [today.description] }
        let countSQL = "SELECT COUNT(*) FROM (\(sql))"
        let countArguments = arguments
        if let after = filter.after { sql += after.clause(Self.outstandingOrder, ">", into: &arguments) }
        sql += " ORDER BY \(Self.outstandingOrder) LIMIT ?"
        return try queue.read { db in
            let total = try Int.fetchOne(db, sql: countSQL, arguments: countArguments) ?? 0
            let page = PageCursor.page(try Row.fetchAll(db, sql: sql, arguments: arguments + [limit + 1]), limit: limit, query: "outstanding",
                                       key: { row in
                                           let deadline: String? = row["deadline"]
                                           return [.integer(deadline == nil ? 1 : 0), .text(deadline ?? ""), .integer(row["submitted_at"]), .text(row["petition_id"])]
                                       }, map: { Self.view($0, today: today) })
            return (page.items, total, page.next)
        }
    }

    /// The outstanding list's order (no deadline last), which its cursors follow.
    static let outstandingOrder = "deadline IS NULL, COALESCE(deadline, ''), submitted_at, petition_id"

    /// One petition, whatever its status.
    public func petition(_ id: String, now: Date) throws -> PetitionView? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM petitions WHERE petition_id = ?", arguments: [id]).map { Self.view($0, today: LocalDate(containing: now)) }
        }
    }

    static func view(_ row: Row, today: LocalDate) -> PetitionView {
        func time(_ column: String) -> String? { (row[column] as Int64?).map { Timestamp.format(millis: $0) } }
        let status: String = row["status"]
        let deadline: String? = row["deadline"]
        var daysOverdue: Int64 = 0
        if status == PetitionStatus.referred.rawValue, let d = deadline.flatMap(LocalDate.init), today > d {
            daysOverdue = today.dayNumber - d.dayNumber
        }
        let referred = status == PetitionStatus.referred.rawValue
        let waiting = status == PetitionStatus.submitted.rawValue || status == PetitionStatus.reopened.rawValue
        return PetitionView(
            petitionId: row["petition_id"], sessionId: row["session_id"], unit: row["unit"], kind: row["kind"],
            category: row["category"], content: row["content"], status: status, personId: row["person_id"],
            submittedAt: time("submitted_at")!, answeredAt: time("answered_at"), answeredBy: row["answered_by"], answer: row["answer"],
            department: row["department"], assignee: row["assignee"], referredBy: row["referred_by"], referredAt: time("referred_at"),
            deadline: deadline, resolvedAt: time("resolved_at"), resolvedBy: row["resolved_by"], resolution: row["resolution"],
            acceptedAt: time("accepted_at"), extensions: row["extensions"], mergedInto: row["merged_into"], escalation: row["escalation"],
            feedback: row["feedback"], trackingCode: row["tracking_code"],
            holder: referred ? row["assignee"] : waiting ? row["chair"] : nil,
            heldSince: referred || waiting ? time("held_since") : nil,
            overdue: daysOverdue > 0, daysOverdue: daysOverdue, lastPosition: row["last_position"])
    }
}

/// Events arrived with a hole before them: the missing ones must be read from history first.
public struct ProjectionGap: Error, CustomStringConvertible {
    public var expected: Int64
    public var found: Int64
    public var description: String { "expected position \(expected), got \(found)" }
}
