import EventSourcing
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
            try db.execute(sql: """
                CREATE TABLE checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
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
                    last_position INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX petitions_open ON petitions(status, unit, department) WHERE status IN ('submitted', 'referred');
                """)
        }
        try migrator.migrate(queue)
    }

    /// The position of the last event applied.
    public func checkpoint() throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT position FROM checkpoint WHERE name = 'outstanding'") ?? 0 }
    }

    /// The prepared writes, made on the queue's connection at first use.
    private final class Writes: @unchecked Sendable {
        let insertSession, sessionChair, addPetitionToSession, insertPetition, answer, refer, resolve, checkpoint: RawStatement
        /// Chairs of sessions seen, so a petition's chair costs no query.
        var chairs: [String: String] = [:]

        init(_ c: OpaquePointer) throws {
            insertSession = try RawStatement(c, "INSERT OR REPLACE INTO sessions (session_id, unit, title, chair, held_at) VALUES (?, ?, ?, ?, ?)")
            sessionChair = try RawStatement(c, "SELECT chair FROM sessions WHERE session_id = ?")
            addPetitionToSession = try RawStatement(c, "UPDATE sessions SET petitions = petitions + 1 WHERE session_id = ?")
            insertPetition = try RawStatement(c, """
                INSERT OR REPLACE INTO petitions (petition_id, session_id, unit, kind, category, content, status, person_id, submitted_at, chair, last_position)
                VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?)
                """)
            answer = try RawStatement(c, "UPDATE petitions SET status = 'answered', answered_at = ?, answered_by = ?, answer = ?, last_position = ? WHERE petition_id = ?")
            refer = try RawStatement(c, """
                UPDATE petitions SET status = 'referred', department = ?, assignee = ?, referred_by = ?, referred_at = ?, deadline = ?, last_position = ?
                WHERE petition_id = ?
                """)
            resolve = try RawStatement(c, "UPDATE petitions SET status = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ?, last_position = ? WHERE petition_id = ?")
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
    @discardableResult
    public func apply(_ events: [WireEvent]) throws -> Int64 {
        try queue.write { db in
            if writes == nil { writes = try Writes(db.sqliteConnection!) }
            let w = writes!
            var position = try Int64.fetchOne(db, sql: "SELECT position FROM checkpoint WHERE name = 'outstanding'") ?? 0
            for event in events where event.position > position {
                guard event.position == position + 1 else {
                    throw ProjectionGap(expected: position + 1, found: event.position)
                }
                try Self.apply(event, with: w)
                position = event.position
            }
            try w.checkpoint.run([.int(position)])
            return position
        }
    }

    private static func apply(_ e: WireEvent, with w: Writes) throws {
        let at = RawStatement.Value.int(Timestamp.millis(e.occurredAt))
        let position = RawStatement.Value.int(e.position)
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
            try w.insertPetition.run([.text(s.petitionId), .text(s.sessionId), .text(s.unit), .text(s.kind.rawValue), .text(s.category.rawValue),
                                      .text(s.content), .text(s.citizen.personId), at, chair.map(RawStatement.Value.text) ?? .null, position])
            try w.addPetitionToSession.run([.text(s.sessionId)])
        case .petition(.answered(let a))?:
            try w.answer.run([at, .text(a.by), .text(a.answer), position, .text(a.petitionId)])
        case .petition(.referred(let r))?:
            try w.refer.run([.text(r.department), .text(r.assignee), .text(r.by), at, .text(r.deadline.description), position, .text(r.petitionId)])
        case .petition(.resolved(let r))?:
            try w.resolve.run([at, .text(r.by), .text(r.resolution), position, .text(r.petitionId)])
        case nil:
            break
        }
    }

    /// Petitions that still need action, oldest deadline first, as of `now`.
    public func outstanding(_ filter: OutstandingFilter, now: Date) throws -> [PetitionView] {
        let today = LocalDate(containing: now)
        var sql = "SELECT * FROM petitions WHERE status IN ('submitted', 'referred')"
        var arguments: StatementArguments = []
        if let unit = filter.unit { sql += " AND unit = ?"; arguments += [unit] }
        if let department = filter.department { sql += " AND department = ?"; arguments += [department] }
        if filter.overdueOnly { sql += " AND status = 'referred' AND deadline < ?"; arguments += [today.description] }
        sql += " ORDER BY deadline IS NULL, deadline, submitted_at, petition_id"
        return try queue.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map { Self.view($0, today: today) } }
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
        let waiting = status == PetitionStatus.submitted.rawValue
        return PetitionView(
            petitionId: row["petition_id"], sessionId: row["session_id"], unit: row["unit"], kind: row["kind"],
            category: row["category"], content: row["content"], status: status, personId: row["person_id"],
            submittedAt: time("submitted_at")!, answeredAt: time("answered_at"), answeredBy: row["answered_by"], answer: row["answer"],
            department: row["department"], assignee: row["assignee"], referredBy: row["referred_by"], referredAt: time("referred_at"),
            deadline: deadline, resolvedAt: time("resolved_at"), resolvedBy: row["resolved_by"], resolution: row["resolution"],
            holder: referred ? row["assignee"] : waiting ? row["chair"] : nil,
            heldSince: referred ? time("referred_at") : waiting ? time("submitted_at") : nil,
            overdue: daysOverdue > 0, daysOverdue: daysOverdue, lastPosition: row["last_position"])
    }
}

/// Events arrived with a hole before them: the missing ones must be read from history first.
public struct ProjectionGap: Error, CustomStringConvertible {
    public var expected: Int64
    public var found: Int64
    public var description: String { "expected position \(expected), got \(found)" }
}
