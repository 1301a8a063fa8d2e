import EventSourcing
import Foundation
import GRDB
import PetitionDomain

/// Which dialogue sessions the `sessions` query reports on, in the order they were held.
public struct SessionsQuery: Hashable, Sendable {
    /// Only this unit.
    public var unit: String?
    /// Only this session.
    public var sessionId: String?
    /// Only these units (the caller's scope); nil for all.
    public var scope: [String]?
    /// Only sessions held at or after this instant.
    public var from: Date?
    /// Only sessions held before this instant.
    public var to: Date?
    /// At most this many items (the totals count every match).
    public var limit: Int
    /// Only those after the page that gave this cursor.
    public var after: PageCursor?

    public init(unit: String? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 1000) {
        self.unit = unit
        self.from = from
        self.to = to
        self.limit = limit
    }

    /// The matching sessions, at most `limit`, and the totals over all of them.
    func run(_ db: Database) throws -> SessionsReport {
        var filter = ""
        var arguments: StatementArguments = []
        if let unit { filter += " AND s.unit = ?"; arguments += [unit] }
        if let sessionId { filter += " AND s.session_id = ?"; arguments += [sessionId] }
        filter += UnitScope.clause("s.unit", scope, into: &arguments)
        if let from { filter += " AND s.held_at >= ?"; arguments += [Timestamp.millis(from)] }
        if let to { filter += " AND s.held_at < ?"; arguments += [Timestamp.millis(to)] }
        let statusColumns = SessionRow.statuses.map { "s.\($0.rawValue)" }
        let tallies = try db.cachedStatement(sql: "SELECT dimension, value, petitions FROM session_tallies WHERE session_id = ? ORDER BY dimension, value")
        var pageArguments = arguments
        let pageFilter = filter + (after?.clause("s.held_at, s.session_id", ">", into: &pageArguments) ?? "")
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.session_id, s.unit, s.title, s.chair, s.held_at, s.petitions, \(statusColumns.joined(separator: ", ")), s.hamlet, s.attendees
            FROM sessions s WHERE 1 = 1\(pageFilter) ORDER BY s.held_at, s.session_id LIMIT ?
            """, arguments: pageArguments + [limit + 1])
        let page = try PageCursor.page(rows, limit: limit, query: "sessions", key: { [.integer($0[4]), .text($0[0])] }) { row in
            var counts = SessionCounts(petitions: row[5], byStatus: Self.statuses(row, from: 6))
            for t in try Row.fetchAll(tallies, arguments: [row[0] as String]) { counts.add(dimension: t[0], value: t[1], t[2]) }
            return SessionStatistics(sessionId: row[0], unit: row[1], title: row[2], chair: row[3],
                                     heldAt: Timestamp.format(millis: row[4]), counts: counts,
                                     hamlet: row[6 + SessionRow.statuses.count], attendees: row[7 + SessionRow.statuses.count])
        }
        let sums = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), COALESCE(SUM(s.petitions), 0), \(statusColumns.map { "COALESCE(SUM(\($0)), 0)" }.joined(separator: ", "))
            FROM sessions s WHERE 1 = 1\(filter)
            """, arguments: arguments)!
        let total: Int = sums[0]
        var totals = SessionCounts(petitions: sums[1], byStatus: Self.statuses(sums, from: 2))
        for t in try Row.fetchAll(db, sql: """
            SELECT t.dimension, t.value, SUM(t.petitions) FROM session_tallies t JOIN sessions s ON s.session_id = t.session_id
            WHERE 1 = 1\(filter) GROUP BY t.dimension, t.value
            """, arguments: arguments) {
            totals.add(dimension: t[0], value: t[1], t[2])
        }
        return SessionsReport(total: total, items: page.items, totals: SessionTotals(sessions: total, counts: totals), next: page.next)
    }

    private static func statuses(_ row: Row, from offset: Int) -> [String: Int64] {
        var byStatus: [String: Int64] = [:]
        for (i, status) in SessionRow.statuses.enumerated() {
            let count: Int64 = row[offset + i]
            byStatus[status.rawValue] = count
        }
        return byStatus
    }
}

/// A set of petitions counted: in all, by the status they have now, by kind and by category.
public struct SessionCounts: Hashable, Sendable {
    public var petitions: Int64
    /// Every status a petition can have (submitted, answered, referred, resolved, reopened, withdrawn, merged), 0 included.
    public var byStatus: [String: Int64]
    /// Only the kinds recorded.
    public var byKind: [String: Int64] = [:]
    /// Only the categories recorded.
    public var byCategory: [String: Int64] = [:]

    /// Submitted, referred or reopened: someone still has to act.
    public var outstanding: Int64 {
        byStatus.reduce(0) { PetitionStatus(rawValue: $1.key)?.isOutstanding == true ? $0 + $1.value : $0 }
    }

    mutating func add(dimension: String, value: String, _ count: Int64) {
        if dimension == "kind" { byKind[value, default: 0] += count } else { byCategory[value, default: 0] += count }
    }
}

/// One dialogue session and its petitions: the items of the `sessions` reply.
public struct SessionStatistics: Encodable, Hashable, Sendable {
    public var sessionId: String
    public var unit: String
    public var title: String
    public var chair: String
    /// When it was held (RFC 3339).
    public var heldAt: String
    public var counts: SessionCounts
    /// Where it was held and how many citizens attended; nil when the minutes do not say.
    public var hamlet: String?
    public var attendees: Int64?

    enum CodingKeys: String, CodingKey {
        case sessionId, unit, title, chair, heldAt, hamlet, attendees, petitions, outstanding, byStatus, byKind, byCategory
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessionId, forKey: .sessionId)
        try c.encode(unit, forKey: .unit)
        try c.encode(title, forKey: .title)
        try c.encode(chair, forKey: .chair)
        try c.encode(heldAt, forKey: .heldAt)
        try c.encode(hamlet, forKey: .hamlet)
        try c.encode(attendees, forKey: .attendees)
        try counts.encode(into: &c, petitions: .petitions, outstanding: .outstanding, byStatus: .byStatus, byKind: .byKind, byCategory: .byCategory)
    }
}

/// The sums over every matching session.
public struct SessionTotals: Encodable, Hashable, Sendable {
    public var sessions: Int
    public var counts: SessionCounts

    enum CodingKeys: String, CodingKey {
        case sessions, petitions, outstanding, byStatus, byKind, byCategory
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessions, forKey: .sessions)
        try counts.encode(into: &c, petitions: .petitions, outstanding: .outstanding, byStatus: .byStatus, byKind: .byKind, byCategory: .byCategory)
    }
}

extension SessionCounts {
    func encode<K: CodingKey>(into c: inout KeyedEncodingContainer<K>, petitions: K, outstanding: K, byStatus: K, byKind: K, byCategory: K) throws {
        try c.encode(self.petitions, forKey: petitions)
        try c.encode(self.outstanding, forKey: outstanding)
        try c.encode(self.byStatus, forKey: byStatus)
        try c.encode(self.byKind, forKey: byKind)
        try c.encode(self.byCategory, forKey: byCategory)
    }
}

/// The answer to `sessions`.
public struct SessionsReport: Hashable, Sendable {
    /// How many sessions match in all.
    public var total: Int
    public var items: [SessionStatistics]
    public var totals: SessionTotals
    /// The next page's cursor, when there is one.
    public var next: PageCursor?
}

extension OutstandingReadModel {
    /// Dialogue sessions and where their petitions stand.
    public func sessions(_ query: SessionsQuery) throws -> SessionsReport {
        try queue.read { db in try query.run(db) }
    }
}
