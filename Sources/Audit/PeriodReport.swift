import EventSourcing
import Foundation
import PetitionDomain

/// The periodic report a head sends (DOMAIN.md, "Periodic reports"), computed from the log alone.
///
/// What happened is dated by the events' `occurredAt` local day (Asia/Ho_Chi_Minh): minutes typed in
/// late still count in the period they happened in, and nothing that happened after the period does.
/// - conferences: sessions opened in the period; petitions: submitted in the period, by field and kind;
/// - answered on-site, referred (referrals made), resolved on time or late (the resolution's day against the
///   deadline then in force; with none in force, late: `Petition.resolvedOnTime`) in the period;
/// - open overdue: still referred at the end of the period with a deadline on or before its last day;
/// - on-time rate: on time ÷ (on time + late + open overdue), null when that is 0/0.
/// Per department and official: what they received (referrals and reassignments to them) and resolved in the
/// period, what they held and had overdue at its end. The unit's own figures, each unit below it (by `parent`
/// in units.json), and the total.
public struct PeriodReport: Encodable, Sendable {
    public var unit: String
    public var period: Period
    /// The last log position read.
    public var position: Int64
    /// Every unit in the report with its figures: the unit first, then those below it by name.
    public var units: [UnitLine]
    public var total: Figures
    public var departments: [HolderLine]
    public var officials: [HolderLine]

    public struct Period: Encodable, Sendable {
        public var label: String
        public var from: String
        public var to: String
    }

    public struct Figures: Encodable, Hashable, Sendable {
        public var conferences = 0
        public var petitions = 0
        public var byField: [String: Int] = [:]
        public var byKind: [String: Int] = [:]
        public var answeredOnSite = 0
        public var referred = 0
        public var resolvedOnTime = 0
        public var resolvedLate = 0
        public var openOverdue = 0
        public var onTimeRate: Double?

        /// True when nothing was recorded.
        public var isEmpty: Bool { self == Figures() }

        mutating func add(_ o: Figures) {
            conferences += o.conferences; petitions += o.petitions; answeredOnSite += o.answeredOnSite; referred += o.referred
            resolvedOnTime += o.resolvedOnTime; resolvedLate += o.resolvedLate; openOverdue += o.openOverdue
            byField.merge(o.byField, uniquingKeysWith: +); byKind.merge(o.byKind, uniquingKeysWith: +)
        }

        public func encode(to encoder: Encoder) throws {
            enum K: String, CodingKey { case conferences, petitions, byField, byKind, answeredOnSite, referred, resolvedOnTime, resolvedLate, openOverdue, onTimeRate }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(conferences, forKey: .conferences); try c.encode(petitions, forKey: .petitions)
            try c.encode(byField, forKey: .byField); try c.encode(byKind, forKey: .byKind)
            try c.encode(answeredOnSite, forKey: .answeredOnSite); try c.encode(referred, forKey: .referred)
            try c.encode(resolvedOnTime, forKey: .resolvedOnTime); try c.encode(resolvedLate, forKey: .resolvedLate)
            try c.encode(openOverdue, forKey: .openOverdue); try c.encode(onTimeRate, forKey: .onTimeRate)
        }
    }

    public struct UnitLine: Encodable, Sendable {
        public var unit: String
        /// The unit above it in units.json; null for the report's unit.
        public var parent: String?
        public var figures: Figures
    }

    public struct HolderLine: Encodable, Hashable, Sendable {
        public var unit: String
        public var department: String
        /// Only for officials.
        public var assignee: String?
        public var received = 0
        public var resolvedOnTime = 0
        public var resolvedLate = 0
        public var holdingAtEnd = 0
        public var openOverdue = 0
        public var onTimeRate: Double?

        public func encode(to encoder: Encoder) throws {
            enum K: String, CodingKey { case unit, department, assignee, received, resolvedOnTime, resolvedLate, holdingAtEnd, openOverdue, onTimeRate }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(unit, forKey: .unit); try c.encode(department, forKey: .department); try c.encodeIfPresent(assignee, forKey: .assignee)
            try c.encode(received, forKey: .received); try c.encode(resolvedOnTime, forKey: .resolvedOnTime)
            try c.encode(resolvedLate, forKey: .resolvedLate); try c.encode(holdingAtEnd, forKey: .holdingAtEnd)
            try c.encode(openOverdue, forKey: .openOverdue); try c.encode(onTimeRate, forKey: .onTimeRate)
        }
    }

    static func rate(onTime: Int, late: Int, overdue: Int) -> Double? {
        let d = onTime + late + overdue
        return d == 0 ? nil : (Double(onTime) / Double(d) * 10_000).rounded() / 10_000
    }
}

extension PeriodReport {
    /// The report for `unit` and the units below it (`parentOf` gives each unit's parent), from the log at `logPath`.
    /// `configuredUnits`: units named in units.json, listed even when they never held a session.
    public static func make(unit: String, period: ReportPeriod, logPath: String, configuredUnits: Set<String> = [],
                            parentOf: (String) -> String?) throws -> PeriodReport {
        let log = try AuditFiles.openLog(logPath)
        var builder = Builder(period: period)
        var position: Int64 = 0
        try log.forEach { record in
            position = record.position
            switch try EventCodec.read(record) {
            case .event(let event): builder.apply(event, on: LocalDate(containing: record.occurredAt))
            case .checkpoint: break
            case .unknown(let type, let at):
                // Figures that skip what they cannot read would be wrong without saying so.
                throw AuditError.unknownEvent(type: type, position: at)
            }
        }
        return builder.finish(unit: unit, position: position, configured: configuredUnits, parentOf: parentOf)
    }

    /// Folds the log into the period's figures by unit and holder.
    struct Builder {
        struct Held {
            var unit = "", status = PetitionStatus.none, deadline: LocalDate?, department = "", assignee = ""
            /// The registered department's reference (nil before the registry): what tells the holder apart.
            var departmentRef: String?
        }
        /// `department`: the registered department's reference, or "\u{0}" and its name where it has none.
        struct HolderKey: Hashable { var unit: String, department: String, assignee: String }

        let period: ReportPeriod
        var petitions: [String: Held] = [:]
        var byUnit: [String: Figures] = [:]
        var holders: [HolderKey: HolderLine] = [:]
        /// Every unit that ever opened a session, whenever: units below with nothing in the period are listed too.
        var seenUnits: Set<String> = []
        /// Each renamed department's name now, by reference: its lines are shown under it.
        var renamed: [String: String] = [:]

        init(period: ReportPeriod) { self.period = period }

        mutating func holder(_ p: Held, _ change: (inout HolderLine) -> Void) {
            let (unit, department, assignee) = (p.unit, p.department, p.assignee)
            let id = p.departmentRef ?? "\u{0}" + department
            for key in [HolderKey(unit: unit, department: id, assignee: ""), HolderKey(unit: unit, department: id, assignee: assignee)] {
                var line = holders[key] ?? HolderLine(unit: unit, department: department, assignee: key.assignee.isEmpty ? nil : key.assignee)
                change(&line)
                holders[key] = line
            }
        }

        mutating func apply(_ event: DomainEvent, on day: LocalDate) {
            if case .session(.opened(let o)) = event { seenUnits.insert(o.unit) }
            // Names as the registry has them now, whenever the rename came.
            if case .registry(.departmentRenamed(let d)) = event { renamed[d.ref] = d.name }
            guard day <= period.last else { return } // Happened after the period.
            let inPeriod = period.contains(day)
            switch event {
            case .session(.opened(let o)):
                if inPeriod { byUnit[o.unit, default: Figures()].conferences += 1 }
            case .petition(let p):
                apply(p, inPeriod: inPeriod, day: day)
            case .alert, .person, .registry, .access:
                break
            }
        }

        mutating func apply(_ event: PetitionEvent, inPeriod: Bool, day: LocalDate) {
            // The status the domain gives (Petition.status(after:from:)); the figures below.
            if var p = petitions[event.petitionId] {
                p.status = Petition.status(after: event, from: p.status)
                petitions[event.petitionId] = p
            }
            switch event {
            case .submitted(let s):
                petitions[s.petitionId] = Held(unit: s.unit, status: Petition.status(after: event, from: .none))
                if inPeriod {
                    byUnit[s.unit, default: Figures()].petitions += 1
                    byUnit[s.unit]!.byField[s.category.rawValue, default: 0] += 1
                    byUnit[s.unit]!.byKind[s.kind.rawValue, default: 0] += 1
                }
            case .answered(let a):
                guard let p = petitions[a.petitionId] else { return }
                if inPeriod { byUnit[p.unit, default: Figures()].answeredOnSite += 1 }
            case .referred(let r):
                guard var p = petitions[r.petitionId] else { return }
                p.deadline = r.deadline; p.department = r.department; p.assignee = r.assignee; p.departmentRef = r.departmentRef
                petitions[r.petitionId] = p
                if inPeriod {
                    byUnit[p.unit, default: Figures()].referred += 1
                    holder(p) { $0.received += 1 }
                }
            case .reassigned(let r):
                guard var p = petitions[r.petitionId] else { return }
                p.department = r.department; p.assignee = r.assignee; p.departmentRef = r.departmentRef
                petitions[r.petitionId] = p
                if inPeriod { holder(p) { $0.received += 1 } }
            case .extended(let x):
                petitions[x.petitionId]?.deadline = x.deadline
            case .resolved(let r):
                guard let p = petitions[r.petitionId], inPeriod else { return }
                let onTime = Petition.resolvedOnTime(on: day, deadline: p.deadline)
                if onTime { byUnit[p.unit, default: Figures()].resolvedOnTime += 1 } else { byUnit[p.unit, default: Figures()].resolvedLate += 1 }
                holder(p) { if onTime { $0.resolvedOnTime += 1 } else { $0.resolvedLate += 1 } }
            default:
                break // No figure of its own: its status moved above.
            }
        }

        func finish(unit: String, position: Int64, configured: Set<String>, parentOf: (String) -> String?) -> PeriodReport {
            var end = self
            // What is still held at the end of the period, and overdue by then.
            for p in petitions.values where p.status == .referred {
                let overdue = p.deadline.map { $0 <= period.last } ?? false
                if overdue { end.byUnit[p.unit, default: Figures()].openOverdue += 1 }
                end.holder(p) { line in
                    line.holdingAtEnd += 1
                    if overdue { line.openOverdue += 1 }
                }
            }
            let byUnit = end.byUnit, holders = end.holders
            // The unit and every unit whose chain of parents reaches it.
            func isBelow(_ u: String) -> Bool {
                var seen: Set<String> = [u]
                var current = u
                while let parent = parentOf(current), !seen.contains(parent) {
                    if parent == unit { return true }
                    seen.insert(parent)
                    current = parent
                }
                return false
            }
            let known = Set(byUnit.keys).union(seenUnits).union(configured)
            let below = known.filter { $0 != unit && isBelow($0) }.sorted()
            var lines = [UnitLine(unit: unit, parent: nil, figures: byUnit[unit] ?? Figures())]
            lines += below.map { UnitLine(unit: $0, parent: parentOf($0), figures: byUnit[$0] ?? Figures()) }
            var total = Figures()
            for i in lines.indices {
                lines[i].figures.onTimeRate = rate(onTime: lines[i].figures.resolvedOnTime, late: lines[i].figures.resolvedLate, overdue: lines[i].figures.openOverdue)
                total.add(lines[i].figures)
            }
            total.onTimeRate = rate(onTime: total.resolvedOnTime, late: total.resolvedLate, overdue: total.openOverdue)
            let scope = Set(lines.map(\.unit))
            var departments: [HolderLine] = [], officials: [HolderLine] = []
            for (key, var line) in holders where scope.contains(key.unit) {
                if let name = renamed[key.department] { line.department = name }
                line.onTimeRate = rate(onTime: line.resolvedOnTime, late: line.resolvedLate, overdue: line.openOverdue)
                if key.assignee.isEmpty { departments.append(line) } else { officials.append(line) }
            }
            let order = { (a: HolderLine, b: HolderLine) in (a.unit, a.department, a.assignee ?? "") < (b.unit, b.department, b.assignee ?? "") }
            return PeriodReport(unit: unit, period: Period(label: period.label, from: period.first.description, to: period.last.description),
                                position: position, units: lines, total: total, departments: departments.sorted(by: order), officials: officials.sorted(by: order))
        }
    }
}
