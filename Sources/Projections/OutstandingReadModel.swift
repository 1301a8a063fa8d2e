import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import Messaging
import PetitionDomain

/// One petition as the read model sees it.
public struct PetitionView: Codable, Hashable, Sendable {
    public var petitionId: String
    public var sessionId: String
    public var unit: String
    public var kind: String
    public var category: String
    public var content: String
    public var status: String
    public var personId: String
    public var submittedAt: String
    public var answeredAt: String?
    public var answeredBy: String?
    public var answer: String?
    public var department: String?
    public var assignee: String?
    public var referredBy: String?
    public var referredAt: String?
    public var deadline: String?
    public var resolvedAt: String?
    public var resolvedBy: String?
    public var resolution: String?
    /// When the holding department accepted the referral.
    public var acceptedAt: String?
    /// How many times the deadline was extended.
    public var extensions: Int64
    /// The petition this duplicate was merged into.
    public var mergedInto: String?
    /// The highest escalation raised for the current deadline: warning, overdue or escalated.
    public var escalation: String?
    /// The citizen's last feedback: satisfied or unsatisfied.
    public var feedback: String?
    /// Who must act now: the session's chair while it waits, the assignee once referred.
    public var holder: String?
    /// Since when the holder has had it.
    public var heldSince: String?
    /// Referred, unresolved, and past the end of its deadline day (Asia/Ho_Chi_Minh).
    public var overdue: Bool
    /// Whole days past the deadline, 0 when not overdue.
    public var daysOverdue: Int64
    /// The log position of the last event applied to this petition.
    public var lastPosition: Int64
}

/// Which outstanding petitions to list.
public struct OutstandingFilter: Hashable, Sendable {
    public var unit: String?
    public var department: String?
    public var overdueOnly: Bool

    public init(unit: String? = nil, department: String? = nil, overdueOnly: Bool = false) {
        self.unit = unit
        self.department = department
        self.overdueOnly = overdueOnly
    }
}

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
        }
        queue = path == ":memory:" ? try DatabaseQueue(configuration: config) : try DatabaseQueue(path: path, configuration: config)
        if path != ":memory:" { try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") } }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "CREATE TABLE checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID")
        }
        // A read model is rebuilt from the log, never migrated in place: a new schema starts again from position 0.
        migrator.registerMigration("v2-full-workflow") { db in
            try db.execute(sql: """
                DROP TABLE IF EXISTS sessions; DROP TABLE IF EXISTS petitions;
                DELETE FROM checkpoint;
                INSERT INTO checkpoint (name, position) VALUES ('outstanding', 0);
                CREATE TABLE sessions (
                    session_id TEXT PRIMARY KEY, unit TEXT NOT NULL, title TEXT NOT NULL, chair TEXT NOT NULL,
                    held_at INTEGER NOT NULL, petitions INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                CREATE TABLE petitions (
                    petition_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL,
                    category TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL, person_id TEXT NOT NULL,
                    submitted_at INTEGER NOT NULL, chair TEXT,
                    answered_at INTEGER, answered_by TEXT, answer TEXT,
                    department TEXT, assignee TEXT, referred_by TEXT, referred_at INTEGER, deadline TEXT,
                    resolved_at INTEGER, resolved_by TEXT, resolution TEXT,
                    held_since INTEGER, accepted_at INTEGER, extensions INTEGER NOT NULL DEFAULT 0, merged_into TEXT,
                    escalation TEXT, feedback TEXT,
                    last_position INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX petitions_open ON petitions(status, unit, department) WHERE status IN ('submitted', 'referred', 'reopened');
                """)
        }
        try migrator.migrate(queue)
    }

    /// The position of the last event applied.
    public func checkpoint() throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT position FROM checkpoint WHERE name = 'outstanding'") ?? 0 }
    }

    /// One row of `petitions`, folded in memory while a batch is applied.
    struct PetitionRow {
        static let columns = ["petition_id", "session_id", "unit", "kind", "category", "content", "status", "person_id", "submitted_at", "chair",
                              "answered_at", "answered_by", "answer", "department", "assignee", "referred_by", "referred_at", "deadline",
                              "resolved_at", "resolved_by", "resolution", "held_since", "accepted_at", "extensions", "merged_into",
                              "escalation", "feedback", "last_position"]
        var values: [RawStatement.Value]

        subscript(_ column: Column) -> RawStatement.Value {
            get { values[column.rawValue] }
            set { values[column.rawValue] = newValue }
        }

        enum Column: Int {
            case petitionId, sessionId, unit, kind, category, content, status, personId, submittedAt, chair
            case answeredAt, answeredBy, answer, department, assignee, referredBy, referredAt, deadline
            case resolvedAt, resolvedBy, resolution, heldSince, acceptedAt, extensions, mergedInto, escalation, feedback, lastPosition
        }
    }

    /// The prepared statements, made on the queue's connection at first use.
    private final class Writes: @unchecked Sendable {
        let insertSession, sessionChair, addPetitionsToSession, loadPetition, savePetition, checkpoint: RawStatement
        /// Chairs of sessions seen, so a petition's chair costs no query.
        var chairs: [String: String] = [:]

        init(_ c: OpaquePointer) throws {
            insertSession = try RawStatement(c, "INSERT OR REPLACE INTO sessions (session_id, unit, title, chair, held_at) VALUES (?, ?, ?, ?, ?)")
            sessionChair = try RawStatement(c, "SELECT chair FROM sessions WHERE session_id = ?")
            addPetitionsToSession = try RawStatement(c, "UPDATE sessions SET petitions = petitions + ? WHERE session_id = ?")
            let columns = PetitionRow.columns.joined(separator: ", ")
            loadPetition = try RawStatement(c, "SELECT \(columns) FROM petitions WHERE petition_id = ?")
            savePetition = try RawStatement(c, "INSERT OR REPLACE INTO petitions (\(columns)) VALUES (\(PetitionRow.columns.map { _ in "?" }.joined(separator: ", ")))")
            checkpoint = try RawStatement(c, "UPDATE checkpoint SET position = ? WHERE name = 'outstanding'")
        }
    }
    private nonisolated(unsafe) var writes: Writes?

    deinit {
        // Finalize the statements on the queue before its connection closes.
        if writes != nil { try? queue.writeWithoutTransaction { _ in writes = nil } }
    }

    /// Applies events that follow the checkpoint, in one transaction with the new checkpoint.
    /// Events at or before the checkpoint are skipped; a gap is refused.
    ///
    /// The batch is folded in memory first (each petition's row evolves event by
    /// event, like a decider's state), then each touched row is written once.
    @discardableResult
    public func apply(_ events: [WireEvent]) throws -> Int64 {
        try queue.write { db in
            if writes == nil { writes = try Writes(db.sqliteConnection!) }
            let w = writes!
            var position = try Int64.fetchOne(db, sql: "SELECT position FROM checkpoint WHERE name = 'outstanding'") ?? 0
            var rows: [String: PetitionRow] = [:]
            var touched: [String] = []
            var added: [String: Int64] = [:]
            for event in events where event.position > position {
                guard event.position == position + 1 else {
                    throw ProjectionGap(expected: position + 1, found: event.position)
                }
                try Self.fold(event, into: &rows, touched: &touched, added: &added, with: w)
                position = event.position
            }
            for id in touched { try w.savePetition.run(rows[id]!.values) }
            for (session, count) in added { try w.addPetitionsToSession.run([.int(count), .text(session)]) }
            try w.checkpoint.run([.int(position)])
            return position
        }
    }

    private static func fold(_ e: WireEvent, into rows: inout [String: PetitionRow], touched: inout [String], added: inout [String: Int64], with w: Writes) throws {
        let at = RawStatement.Value.int(Timestamp.millis(e.occurredAt))
        let position = RawStatement.Value.int(e.position)
        /// The row of `id` as this batch has it so far, loaded once from the file if needed.
        func update(_ id: String, _ change: (inout PetitionRow) -> Void) throws {
            var row: PetitionRow
            if let current = rows[id] {
                row = current
            } else {
                guard let loaded = try w.loadPetition.row([.text(id)], columns: Int32(PetitionRow.columns.count)) else { return }
                row = PetitionRow(values: loaded)
                touched.append(id)
            }
            change(&row)
            row[.lastPosition] = position
            rows[id] = row
        }
        switch e.event {
        case .session(.opened(let o))?:
            try w.insertSession.run([.text(o.sessionId), .text(o.unit), .text(o.title), .text(o.chair), at])
            w.chairs[o.sessionId] = o.chair
        case .petition(.submitted(let s))?:
            var chair = w.chairs[s.sessionId]
            if chair == nil {
                chair = try w.sessionChair.text([.text(s.sessionId)])
                w.chairs[s.sessionId] = chair
            }
            if rows[s.petitionId] == nil { touched.append(s.petitionId) }
            var values = [RawStatement.Value](repeating: .null, count: PetitionRow.columns.count)
            values[PetitionRow.Column.petitionId.rawValue] = .text(s.petitionId)
            values[PetitionRow.Column.sessionId.rawValue] = .text(s.sessionId)
            values[PetitionRow.Column.unit.rawValue] = .text(s.unit)
            values[PetitionRow.Column.kind.rawValue] = .text(s.kind.rawValue)
            values[PetitionRow.Column.category.rawValue] = .text(s.category.rawValue)
            values[PetitionRow.Column.content.rawValue] = .text(s.content)
            values[PetitionRow.Column.status.rawValue] = .text(PetitionStatus.submitted.rawValue)
            values[PetitionRow.Column.personId.rawValue] = .text(s.citizen.personId)
            values[PetitionRow.Column.submittedAt.rawValue] = at
            values[PetitionRow.Column.chair.rawValue] = chair.map(RawStatement.Value.text) ?? .null
            values[PetitionRow.Column.heldSince.rawValue] = at
            values[PetitionRow.Column.extensions.rawValue] = .int(0)
            values[PetitionRow.Column.lastPosition.rawValue] = position
            rows[s.petitionId] = PetitionRow(values: values)
            added[s.sessionId, default: 0] += 1
        case .petition(.answered(let a))?:
            try update(a.petitionId) { r in
                r[.status] = .text(PetitionStatus.answered.rawValue); r[.answeredAt] = at; r[.answeredBy] = .text(a.by); r[.answer] = .text(a.answer)
            }
        case .petition(.referred(let f))?:
            try update(f.petitionId) { r in
                r[.status] = .text(PetitionStatus.referred.rawValue); r[.department] = .text(f.department); r[.assignee] = .text(f.assignee)
                r[.referredBy] = .text(f.by); r[.referredAt] = at; r[.deadline] = .text(f.deadline.description)
                r[.heldSince] = at; r[.acceptedAt] = .null; r[.extensions] = .int(0); r[.escalation] = .null
                r[.resolvedAt] = .null; r[.resolvedBy] = .null; r[.resolution] = .null
            }
        case .petition(.resolved(let r))?:
            try update(r.petitionId) { row in
                row[.status] = .text(PetitionStatus.resolved.rawValue); row[.resolvedAt] = at; row[.resolvedBy] = .text(r.by); row[.resolution] = .text(r.resolution)
                row[.heldSince] = .null
            }
        case .petition(.feedback(let f))?:
            try update(f.petitionId) { r in
                r[.feedback] = .text(f.satisfied ? "satisfied" : "unsatisfied")
                if f.on == .answer && !f.satisfied { r[.status] = .text(PetitionStatus.reopened.rawValue); r[.heldSince] = at }
            }
        case .petition(.accepted(let a))?:
            try update(a.petitionId) { r in r[.acceptedAt] = at }
        case .petition(.extended(let x))?:
            try update(x.petitionId) { r in r[.deadline] = .text(x.deadline.description); r[.extensions] = .int(Int64(x.extensionNumber)); r[.escalation] = .null }
        case .petition(.reassigned(let x))?:
            try update(x.petitionId) { r in
                r[.department] = .text(x.department); r[.assignee] = .text(x.assignee); r[.heldSince] = at; r[.acceptedAt] = .null
            }
        case .petition(.reopened(let x))?:
            try update(x.petitionId) { r in r[.status] = .text(PetitionStatus.reopened.rawValue); r[.heldSince] = at; r[.feedback] = .null }
        case .petition(.withdrawn(let x))?:
            try update(x.petitionId) { r in r[.status] = .text(PetitionStatus.withdrawn.rawValue); r[.heldSince] = .null }
        case .petition(.merged(let x))?:
            try update(x.petitionId) { r in r[.status] = .text(PetitionStatus.merged.rawValue); r[.mergedInto] = .text(x.into); r[.heldSince] = .null }
        case .petition(.escalated(let x))?:
            try update(x.petitionId) { r in
                let current = r[.escalation].textValue.flatMap(EscalationLevel.init(rawValue:))
                if current.map({ $0 < x.level }) ?? true { r[.escalation] = .text(x.level.rawValue) }
            }
        case .petition(.duplicateMerged)?, .alert?, nil:
            break
        }
    }

    /// Petitions that still need action, oldest deadline first, as of `now`: at most `limit`, and how many match in all.
    public func outstanding(_ filter: OutstandingFilter, now: Date, limit: Int) throws -> (items: [PetitionView], total: Int) {
        let today = LocalDate(containing: now)
        var sql = "SELECT * FROM petitions WHERE status IN ('submitted', 'referred', 'reopened')"
        var arguments: StatementArguments = []
        if let unit = filter.unit { sql += " AND unit = ?"; arguments += [unit] }
        if let department = filter.department { sql += " AND department = ?"; arguments += [department] }
        if filter.overdueOnly { sql += " AND status = 'referred' AND deadline < ?"; arguments += [today.description] }
        let countSQL = "SELECT COUNT(*) FROM (\(sql))"
        sql += " ORDER BY deadline IS NULL, deadline, submitted_at, petition_id LIMIT ?"
        return try queue.read { db in
            let total = try Int.fetchOne(db, sql: countSQL, arguments: arguments) ?? 0
            let items = try Row.fetchAll(db, sql: sql, arguments: arguments + [limit]).map { Self.view($0, today: today) }
            return (items, total)
        }
    }

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
            feedback: row["feedback"],
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
