import EventSourcing
import Foundation
import GRDB
import PetitionDomain

/// Which holders the `responsibility` query reports on.
public struct ResponsibilityQuery: Hashable, Sendable {
    /// Only this unit.
    public var unit: String?
    /// Only these units (the caller's scope); nil for all.
    public var scope: [String]?
    /// Only this department (and its officials).
    public var department: String?

    public init(unit: String? = nil, department: String? = nil) {
        self.unit = unit
        self.department = department
    }

    private struct Key: Hashable {
        var unit: String
        var department: String
        var assignee: String
    }

    private struct Held {
        var holding = 0
        var since: Int64?
        var overdue = 0

        mutating func add(_ other: Held) {
            holding += other.holding
            overdue += other.overdue
            since = [since, other.since].compactMap { $0 }.min()
        }
    }

    /// The report as of `now`, whose local day judges what is overdue.
    ///
    /// Reads only what it needs: the holders' running counts, the spans held
    /// now (through the index of open spans), and for each percentile the two
    /// stored durations around its rank, so the median and the 90th percentile
    /// are exact without sorting anything.
    func run(_ db: Database, now: Date) throws -> ResponsibilityReport {
        let today = LocalDate(containing: now).description
        var filter = ""
        var arguments: StatementArguments = []
        if let unit { filter += " AND unit = ?"; arguments += [unit] }
        filter += UnitScope.clause("unit", scope, into: &arguments)
        if let department { filter += " AND department = ?"; arguments += [department] }

        // What is held now, per official and (their oldest department_since) per department.
        var held: [Key: Held] = [:]
        let open = try Row.fetchCursor(db, sql: """
            SELECT unit, department, holder, COUNT(*), MIN(from_at), MIN(department_since), SUM(deadline < ?)
            FROM custody WHERE to_at IS NULL AND holder_kind = 'department'\(filter) GROUP BY unit, department, holder
            """, arguments: [today] + arguments)
        while let row = try open.next() {
            let unit: String = row[0], department: String = row[1], assignee: String = row[2] ?? ""
            let count: Int = row[3], overdue: Int = row[6]
            held[Key(unit: unit, department: department, assignee: assignee)] = Held(holding: count, since: row[4], overdue: overdue)
            held[Key(unit: unit, department: department, assignee: ""), default: Held()]
                .add(Held(holding: count, since: row[5], overdue: overdue))
        }

        let durations = try db.cachedStatement(sql: "SELECT millis FROM durations WHERE holder_id = ? ORDER BY millis LIMIT 2 OFFSET ?")
        func percentile(_ p: Double, holder: Int64, count: Int) throws -> Double? {
            guard count > 0 else { return nil }
            let (offset, weight) = Days.rank(p, count: count)
            let values = try Int64.fetchAll(durations, arguments: [holder, offset])
            guard let low = values.first else { return nil }
            return Days.interpolate(low, values.last!, weight: weight)
        }

        var departments: [HolderRecord] = [], officials: [HolderRecord] = []
        let holders = try Row.fetchAll(db, sql: """
            SELECT holder_id, unit, department, assignee, resolved_on_time, resolved_late, handed_over
            FROM holders WHERE 1 = 1\(filter) ORDER BY unit, department, assignee
            """, arguments: arguments)
        for row in holders {
            let id: Int64 = row[0], key = Key(unit: row[1], department: row[2], assignee: row[3])
            let onTime: Int = row[4], late: Int = row[5]
            let now = held[key] ?? Held()
            let denominator = onTime + late + now.overdue
            let record = HolderRecord(
                unit: key.unit, department: key.department, assignee: key.assignee.isEmpty ? nil : key.assignee,
                holding: now.holding, heldSince: now.since.map { Timestamp.format(millis: $0) }, overdue: now.overdue,
                resolvedOnTime: onTime, resolvedLate: late, handedOver: row[6],
                medianDaysToResolve: try percentile(0.5, holder: id, count: onTime + late),
                p90DaysToResolve: try percentile(0.9, holder: id, count: onTime + late),
                onTimeRate: denominator == 0 ? nil : (Double(onTime) / Double(denominator) * 10_000).rounded() / 10_000)
            if key.assignee.isEmpty { departments.append(record) } else { officials.append(record) }
        }
        return ResponsibilityReport(today: today, departments: departments, officials: officials)
    }
}

extension OutstandingReadModel {
    /// Who holds what and how they did, per department and per official, as of `now`.
    public func responsibility(_ query: ResponsibilityQuery, now: Date) throws -> ResponsibilityReport {
        try queue.read { db in try query.run(db, now: now) }
    }
}
