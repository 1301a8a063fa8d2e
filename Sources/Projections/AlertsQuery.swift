import EventSourcing
import Foundation
import GRDB
import PetitionDomain

/// Which alerts the `alerts` query lists, newest escalation first.
public struct AlertsQuery: Hashable, Sendable {
    public var unit: String?
    /// Only these units (the caller's scope); nil for all.
    public var scope: [String]?
    public var petitionId: String?
    public var state: AlertStatus?
    public var level: EscalationLevel?
    /// At most this many.
    public var limit: Int
    /// Only those after the page that gave this cursor.
    public var after: PageCursor?

    public init(unit: String? = nil, petitionId: String? = nil, state: AlertStatus? = nil, level: EscalationLevel? = nil, limit: Int = 100) {
        self.unit = unit
        self.petitionId = petitionId
        self.state = state
        self.level = level
        self.limit = limit
    }

    /// The matching alerts, at most `limit`, with their deliveries; and how many match in all.
    func run(_ db: Database) throws -> (items: [AlertView], total: Int, next: PageCursor?) {
        var sql = """
            SELECT alert_id, petition_id, level, unit, department, assignee, recipient, deadline, due, raised_at, position, state
            FROM alerts WHERE 1 = 1
            """
        var arguments: StatementArguments = []
        if let unit { sql += " AND unit = ?"; arguments += [unit] }
        sql += UnitScope.clause("unit", scope, into: &arguments)
        if let petitionId { sql += " AND petition_id = ?"; arguments += [petitionId] }
        if let state { sql += " AND state = ?"; arguments += [state.rawValue] }
        if let level { sql += " AND level = ?"; arguments += [level.rawValue] }
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(sql))", arguments: arguments) ?? 0
        let deliveries = try db.cachedStatement(sql: """
            SELECT sink, attempts, last_error, last_failed_at, delivered_at, detail, permanent
            FROM alert_deliveries WHERE alert_id = ? ORDER BY sink
            """)
        let time = { (millis: Int64?) in millis.map { Timestamp.format(millis: $0) } }
        if let after { sql += after.clause("position", "<", into: &arguments) }
        let rows = try Row.fetchAll(db, sql: sql + " ORDER BY position DESC LIMIT ?", arguments: arguments + [limit + 1])
        let page = try PageCursor.page(rows, limit: limit, query: "alerts", key: { [.integer($0[10])] }) { row in
            let id: String = row[0]
            let sinks = try Row.fetchAll(deliveries, arguments: [id]).map { d in
                let delivered: Int64? = d[4]
                let permanent = (d[6] as Int64) == 1
                return AlertDeliveryView(sink: d[0], state: delivered != nil ? .delivered : permanent ? .failed : .retrying, attempts: d[1],
                                     lastError: d[2], lastFailedAt: time(d[3]), deliveredAt: time(delivered), detail: d[5], permanent: permanent)
            }
            return AlertView(alertId: id, petitionId: row[1], level: row[2], unit: row[3], department: row[4], assignee: row[5],
                             recipient: row[6], deadline: row[7], due: row[8], raisedAt: Timestamp.format(millis: row[9]), position: row[10],
                             state: AlertStatus(rawValue: row[11]) ?? .pending, deliveries: sinks)
        }
        return (page.items, total, page.next)
    }
}

extension OutstandingReadModel {
    /// Alerts raised by escalations and where each delivery stands.
    public func alerts(_ query: AlertsQuery) throws -> (items: [AlertView], total: Int, next: PageCursor?) {
        try queue.read { db in try query.run(db) }
    }
}
