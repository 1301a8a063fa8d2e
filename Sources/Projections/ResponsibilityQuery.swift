import Foundation
import GRDB
import PetitionDomain

/// Which holders the `responsibility` query reports on.
public struct ResponsibilityQuery: Hashable, Sendable {
    /// Only this unit.
    public var unit: String?
    /// Only this department (and its officials).
    public var department: String?

    public init(unit: String? = nil, department: String? = nil) {
        self.unit = unit
        self.department = department
    }

    private struct Key: Hashable {
        var unit: String
        var department: String
        var assignee: String?
    }

    /// Reads every department span of custody that matches, once, and tallies them per department and per official.
    ///
    /// Overdue is judged on `now`'s local day; the durations of resolutions are
    /// kept per holder so the median and 90th percentile are exact.
    func run(_ db: Database, now: Date) throws -> ResponsibilityReport {
        let today = LocalDate(containing: now).description
        var sql = """
            SELECT unit, department, holder, from_at, department_since, to_at, ended, on_time, same_department, deadline
            FROM custody WHERE holder_kind = 'department'
            """
        var arguments: StatementArguments = []
        if let unit { sql += " AND unit = ?"; arguments += [unit] }
        if let department { sql += " AND department = ?"; arguments += [department] }
        var departments: [Key: HolderTally] = [:]
        var officials: [Key: HolderTally] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let unit: String = row[0], department: String = row[1], holder = (row[2] as String?) ?? ""
            let from: Int64 = row[3], since: Int64 = row[4]
            let dk = Key(unit: unit, department: department), ok = Key(unit: unit, department: department, assignee: holder)
            var d = departments[dk] ?? HolderTally(), o = officials[ok] ?? HolderTally()
            if let to = row[5] as Int64? {
                switch (row[6] as String?).flatMap(CustodyEnd.init(rawValue:)) {
                case .resolved?:
                    let onTime = (row[7] as Int64?) == 1
                    o.resolved(onTime: onTime, millis: to - from)
                    d.resolved(onTime: onTime, millis: to - since)
                case .reassigned?:
                    o.handedOver += 1
                    if (row[8] as Int64?) != 1 { d.handedOver += 1 }
                default:
                    break
                }
            } else {
                let overdue = (row[9] as String?).map { $0 < today } ?? false
                o.holds(since: from, overdue: overdue)
                d.holds(since: since, overdue: overdue)
            }
            departments[dk] = d
            officials[ok] = o
        }
        func records(_ tallies: [Key: HolderTally]) -> [HolderRecord] {
            tallies.sorted { a, b in
                (a.key.unit, a.key.department, a.key.assignee ?? "") < (b.key.unit, b.key.department, b.key.assignee ?? "")
            }.map { $0.value.record(unit: $0.key.unit, department: $0.key.department, assignee: $0.key.assignee) }
        }
        return ResponsibilityReport(today: today, departments: records(departments), officials: records(officials))
    }
}

extension OutstandingReadModel {
    /// Who holds what and how they did, per department and per official, as of `now`.
    public func responsibility(_ query: ResponsibilityQuery, now: Date) throws -> ResponsibilityReport {
        try queue.read { db in try query.run(db, now: now) }
    }
}
