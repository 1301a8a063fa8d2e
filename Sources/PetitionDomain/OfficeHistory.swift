import Foundation

/// Who held which office when: each official's terms in one role, unit and department, folded from the
/// registry's events with the time each took effect. A term begins with an appointment, a role granted or a
/// transfer into the unit or department, and ends with the role withdrawn, a transfer out or deactivation.
public struct OfficeHistory: Sendable {
    /// One official's term in one office.
    public struct Term: Hashable, Sendable {
        public var officialId: String
        public var name: String
        public var role: Role
        /// The unit's code.
        public var unit: String
        /// The department's code within the unit, for those who belong to one.
        public var department: String?
        public var from: Date
        /// Nil while the term lasts.
        public var until: Date?
        /// What ended it: `role-withdrawn`, `transferred` or `deactivated`.
        public var endedBy: String?
    }

    /// Every term, in the order they began.
    public private(set) var terms: [Term] = []
    /// The registry as of the last event applied: for names.
    public private(set) var registry = Registry.initialState

    public init() {}

    /// Applies a registry event that took effect at `time`.
    public mutating func apply(_ event: RegistryEvent, at time: Date) {
        switch event {
        case .founded(let e):
            begin(e.officialId, name: e.name, roles: [.administrator], unit: "", department: nil, at: time)
        case .officialAppointed(let e):
            begin(e.officialId, name: e.name, roles: e.roles, unit: e.unit, department: e.department, at: time)
        case .roleGranted(let e):
            if let o = registry.officials[e.officialId] { begin(e.officialId, name: o.name, roles: [e.role], unit: o.unit, department: o.department, at: time) }
        case .roleWithdrawn(let e):
            end(e.officialId, at: time, by: "role-withdrawn") { $0.role == e.role }
        case .officialTransferred(let e):
            let open = terms.filter { $0.officialId == e.officialId && $0.until == nil }
            end(e.officialId, at: time, by: "transferred") { _ in true }
            for t in open { begin(e.officialId, name: t.name, roles: [t.role], unit: e.unit, department: e.department, at: time) }
        case .officialDeactivated(let e):
            end(e.officialId, at: time, by: "deactivated") { _ in true }
        case .unitRegistered, .departmentRegistered, .credentialIssued, .credentialRevoked, .unitRenamed, .unitsMerged, .unitRetired, .departmentRenamed:
            break
        }
        registry = Registry.evolve(registry, event)
    }

    /// The terms in force at `instant`.
    public func terms(at instant: Date) -> [Term] { terms.filter { $0.from <= instant && ($0.until.map { instant < $0 } ?? true) } }

    /// The unit's current name and code, or the code alone for one the registry does not hold (the founder's, "").
    public func unitName(_ code: String) -> String { registry.units[code].map { "\($0.name) (\(code))" } ?? code }

    /// The department's current name, or its code.
    public func departmentName(_ code: String, of unit: String) -> String { registry.departments[unit]?[code]?.name ?? code }

    private mutating func begin(_ id: String, name: String, roles: [Role], unit: String, department: String?, at time: Date) {
        for role in roles { terms.append(Term(officialId: id, name: name, role: role, unit: unit, department: department, from: time)) }
    }

    private mutating func end(_ id: String, at time: Date, by reason: String, _ which: (Term) -> Bool) {
        for i in terms.indices where terms[i].officialId == id && terms[i].until == nil && which(terms[i]) {
            terms[i].until = time
            terms[i].endedBy = reason
        }
    }
}
