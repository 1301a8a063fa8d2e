import EventSourcing
import Foundation

/// What kind of administrative unit: since 1 July 2025 local government has two levels (province, then commune,
/// ward or special zone); districts and townships are kept for data recorded before, hamlets below a commune.
public enum UnitKind: String, Codable, CaseIterable, Hashable, Sendable {
    /// Tỉnh.
    case province
    /// Thành phố trực thuộc trung ương (a centrally governed city, at the level of a province).
    case city
    /// Xã.
    case commune
    /// Phường.
    case ward
    /// Đặc khu.
    case specialZone = "special_zone"
    /// Huyện, quận, thị xã, thành phố thuộc tỉnh: the middle level abolished in 2025, for older data.
    case district
    /// Thị trấn: a township under a district, for older data.
    case township
    /// Thôn, ấp, bản, tổ dân phố: below a commune or ward.
    case hamlet

    /// The kinds a unit of this kind may sit under; empty for a top-level unit.
    public var parentKinds: Set<UnitKind> {
        switch self {
        case .province, .city: []
        case .district: [.province, .city]
        case .commune, .ward, .specialZone: [.province, .city, .district]
        case .township: [.district]
        case .hamlet: [.commune, .ward, .specialZone, .township]
        }
    }
}

/// `unit.registered.v1`: an administrative unit entered in the registry, with its stable code.
public struct UnitRegistered: Codable, Hashable, Sendable {
    public static let eventType = "unit.registered.v1"
    /// The official administrative unit code where there is one, else one the administrator gives.
    public var code: String
    public var name: String
    public var kind: UnitKind
    /// The unit above it; nil for a province or a centrally governed city.
    public var parent: String?

    public init(code: String, name: String, kind: UnitKind, parent: String?) {
        self.code = code; self.name = name; self.kind = kind; self.parent = parent
    }

    /// Every member always present: a top-level unit's parent is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code); try c.encode(kind, forKey: .kind); try c.encode(name, forKey: .name); try c.encode(parent, forKey: .parent)
    }
}

/// `department.registered.v1`: a department (phòng, ban, cơ quan chuyên môn) of a unit entered in the registry.
public struct DepartmentRegistered: Codable, Hashable, Sendable {
    public static let eventType = "department.registered.v1"
    /// The unit it belongs to.
    public var unit: String
    /// Its code within the unit, e.g. `TNMT`.
    public var code: String
    public var name: String

    public init(unit: String, code: String, name: String) { self.unit = unit; self.code = code; self.name = name }

    /// How a petition's events name it as the holder: `unit/code` (e.g. `27001/TNMT`), unique in the registry and
    /// unchanged by a rename. Codes never contain `/`.
    public var ref: String { unit + "/" + code }
}

/// `department.renamed.v1`: a department took a new name (its unit and code stay); everything it held or holds is
/// shown under the new name, and a referral may still name it by an earlier one.
public struct DepartmentRenamed: Codable, Hashable, Sendable {
    public static let eventType = "department.renamed.v1"
    /// The code of its unit.
    public var unit: String
    /// Its code within the unit.
    public var code: String
    /// The new name.
    public var name: String
    public init(unit: String, code: String, name: String) { self.unit = unit; self.code = code; self.name = name }
    /// The department's ``DepartmentRegistered/ref``.
    public var ref: String { unit + "/" + code }
}

/// `official.appointed.v1`: a person entered in the registry as an official of a unit, in their roles.
public struct OfficialAppointed: Codable, Hashable, Sendable {
    public static let eventType = "official.appointed.v1"
    /// The id the registry gave them, e.g. `O000001`.
    public var officialId: String
    public var name: String
    /// The code of their unit.
    public var unit: String
    /// The code of their department within the unit, for those who belong to one (a department officer does).
    public var department: String?
    public var roles: [Role]

    public init(officialId: String, name: String, unit: String, department: String?, roles: [Role]) {
        self.officialId = officialId; self.name = name; self.unit = unit; self.department = department; self.roles = roles
    }

    /// Every member always present: no department is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(department, forKey: .department); try c.encode(name, forKey: .name); try c.encode(officialId, forKey: .officialId)
        try c.encode(roles, forKey: .roles); try c.encode(unit, forKey: .unit)
    }
}

/// `credential.issued.v1`: a CurveZMQ public key recorded as an official's; its secret key stays with them.
public struct CredentialIssued: Codable, Hashable, Sendable {
    public static let eventType = "credential.issued.v1"
    public var officialId: String
    /// The public key, 40 characters of Z85.
    public var publicKey: String

    public init(officialId: String, publicKey: String) { self.officialId = officialId; self.publicKey = publicKey }
}

/// `credential.revoked.v1`: a key no longer admitted, from the next connection on.
public struct CredentialRevoked: Codable, Hashable, Sendable {
    public static let eventType = "credential.revoked.v1"
    public var publicKey: String
    public var reason: String

    public init(publicKey: String, reason: String) { self.publicKey = publicKey; self.reason = reason }
}

/// `registry.founded.v1`: the registry's first event: its first administrator, appointed with their key by the
/// gateway when it first starts on a data folder (no one could appoint them before); their secret key is written
/// to the data folder's `identities/administrator.json` (mode 0600). The administrator belongs to no unit.
public struct RegistryFounded: Codable, Hashable, Sendable {
    public static let eventType = "registry.founded.v1"
    /// `O000001`.
    public var officialId: String
    public var name: String
    /// Their CurveZMQ public key, 40 characters of Z85.
    public var publicKey: String

    public init(officialId: String, name: String, publicKey: String) {
        self.officialId = officialId; self.name = name; self.publicKey = publicKey
    }

    /// The first administrator's id.
    public static let firstOfficialId = "O000001"
}

/// `official.role-granted.v1`: an official was given one more role.
public struct OfficialRoleGranted: Codable, Hashable, Sendable {
    public static let eventType = "official.role-granted.v1"
    public var officialId: String
    public var role: Role
    public init(officialId: String, role: Role) { self.officialId = officialId; self.role = role }
}

/// `official.role-withdrawn.v1`: one of an official's roles was taken from them (they keep the others).
public struct OfficialRoleWithdrawn: Codable, Hashable, Sendable {
    public static let eventType = "official.role-withdrawn.v1"
    public var officialId: String
    public var role: Role
    public var reason: String
    public init(officialId: String, role: Role, reason: String) { self.officialId = officialId; self.role = role; self.reason = reason }
}

/// `official.deactivated.v1`: an official left office: their keys are refused from then on; their history stays.
public struct OfficialDeactivated: Codable, Hashable, Sendable {
    public static let eventType = "official.deactivated.v1"
    public var officialId: String
    public var reason: String
    public init(officialId: String, reason: String) { self.officialId = officialId; self.reason = reason }
}

/// `official.transferred.v1`: an official moved to another unit or department (a transfer, điều động); their roles,
/// keys and history go with them, and from then on they act within the new unit.
public struct OfficialTransferred: Codable, Hashable, Sendable {
    public static let eventType = "official.transferred.v1"
    public var officialId: String
    /// The code of the unit they now belong to.
    public var unit: String
    /// The code of their department there, or nil for one who belongs to none.
    public var department: String?
    /// Why: the transfer decision.
    public var reason: String
    public init(officialId: String, unit: String, department: String?, reason: String) {
        self.officialId = officialId; self.unit = unit; self.department = department; self.reason = reason
    }

    /// Every member always present: no department is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(department, forKey: .department); try c.encode(officialId, forKey: .officialId)
        try c.encode(reason, forKey: .reason); try c.encode(unit, forKey: .unit)
    }
}

/// `unit.renamed.v1`: a unit took a new name (its code stays); what was recorded under the old name stays its.
public struct UnitRenamed: Codable, Hashable, Sendable {
    public static let eventType = "unit.renamed.v1"
    public var code: String
    public var name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
}

/// `unit.merged.v1`: units merged into one (the 2025 reform merged thousands of communes): each predecessor is
/// retired and sits under its successor from then on, whose officials act on and see what the predecessors held.
public struct UnitsMerged: Codable, Hashable, Sendable {
    public static let eventType = "unit.merged.v1"
    /// The units merged, by code.
    public var predecessors: [String]
    /// The unit they became (registered before).
    public var into: String
    public init(predecessors: [String], into: String) { self.predecessors = predecessors; self.into = into }
}

/// `unit.retired.v1`: a unit no longer holds conferences (dissolved, or merged); its history stays.
public struct UnitRetired: Codable, Hashable, Sendable {
    public static let eventType = "unit.retired.v1"
    public var code: String
    public var reason: String
    public init(code: String, reason: String) { self.code = code; self.reason = reason }
}

/// Events of the registry stream (`registry-main`): who and what the system knows.
public enum RegistryEvent: Hashable, Sendable {
    case founded(RegistryFounded)
    case unitRegistered(UnitRegistered)
    case departmentRegistered(DepartmentRegistered)
    case officialAppointed(OfficialAppointed)
    case credentialIssued(CredentialIssued)
    case credentialRevoked(CredentialRevoked)
    case roleGranted(OfficialRoleGranted)
    case roleWithdrawn(OfficialRoleWithdrawn)
    case officialDeactivated(OfficialDeactivated)
    case officialTransferred(OfficialTransferred)
    case unitRenamed(UnitRenamed)
    case unitsMerged(UnitsMerged)
    case unitRetired(UnitRetired)
    case departmentRenamed(DepartmentRenamed)

    var payload: any EventPayload {
        switch self {
        case .founded(let e): e
        case .unitRegistered(let e): e
        case .departmentRegistered(let e): e
        case .officialAppointed(let e): e
        case .credentialIssued(let e): e
        case .credentialRevoked(let e): e
        case .roleGranted(let e): e
        case .roleWithdrawn(let e): e
        case .officialDeactivated(let e): e
        case .officialTransferred(let e): e
        case .unitRenamed(let e): e
        case .unitsMerged(let e): e
        case .unitRetired(let e): e
        case .departmentRenamed(let e): e
        }
    }
}

/// The registry as the gateway knows it: every unit and department by code.
public struct RegistryState: Hashable, Sendable {
    public var units: [String: UnitRegistered] = [:]
    /// Each unit's departments by code.
    public var departments: [String: [String: DepartmentRegistered]] = [:]
    public var officials: [String: OfficialAppointed] = [:]
    /// Every key ever issued: whose, and whether it was revoked (a key is never issued twice).
    public var credentials: [String: Credential] = [:]

    /// A key issued to an official, revoked or not.
    public struct Credential: Hashable, Sendable {
        public var officialId: String
        public var revoked: Bool
    }

    /// Officials who left office (``OfficialDeactivated``): none of their keys is admitted.
    public var inactive: Set<String> = []
    /// Units that hold no more conferences (retired, or merged into another).
    public var retired: Set<String> = []
    /// Each renamed unit's earlier names: what was recorded under them is still the unit's.
    public var formerNames: [String: [String]] = [:]

    /// Each renamed department's earlier names, by ``DepartmentRegistered/ref``.
    public var formerDepartmentNames: [String: [String]] = [:]

    /// The department `ref` (`unit/code`) stands for, if registered.
    public func department(ref: String) -> DepartmentRegistered? {
        guard let slash = ref.firstIndex(of: "/") else { return nil }
        return departments[String(ref[..<slash])]?[String(ref[ref.index(after: slash)...])]
    }

    /// Every name department `ref` was registered under: its name now and its earlier ones.
    public func departmentNames(ref: String) -> [String] {
        (department(ref: ref).map { [$0.name] } ?? []) + (formerDepartmentNames[ref] ?? [])
    }

    /// Every name unit `code` was recorded under: its name now and its earlier ones.
    public func names(of code: String) -> [String] { (units[code].map { [$0.name] } ?? []) + (formerNames[code] ?? []) }

    /// The official a key admits: issued and not revoked, to an official still in office.
    public func official(holding key: String) -> OfficialAppointed? {
        guard let c = credentials[key], !c.revoked, !inactive.contains(c.officialId) else { return nil }
        return officials[c.officialId]
    }

    /// The official `userId` stands for: the holder of a key (``official(holding:)``), or, for a request the HTTP API
    /// made on an official's behalf, `official:<id>` of an official still in office.
    public func official(acting userId: String) -> OfficialAppointed? {
        guard userId.hasPrefix(Self.delegatedPrefix) else { return official(holding: userId) }
        let id = String(userId.dropFirst(Self.delegatedPrefix.count))
        guard !inactive.contains(id) else { return nil }
        return officials[id]
    }

    /// How a request made on an official's behalf names them once checked: `official:O000032`.
    public static let delegatedPrefix = "official:"

    public init() {}

    /// The unit `text` names: its code, or its registered name (diacritics and case ignored) when exactly one unit
    /// has that name. Refused with `not_registered` and the closest registered units, or, for a name several units
    /// share, with their codes.
    public func unit(named text: String) throws(DomainError) -> UnitRegistered {
        if let unit = units[text] { return unit }
        let folded = SearchText.fold(text)
        let named = units.values.filter { SearchText.fold($0.name) == folded }.sorted { $0.code < $1.code }
        if named.count == 1 { return named[0] }
        if named.count > 1 {
            throw .notRegistered("\(named.count) registered units are named \(named[0].name): give the code of one, "
                                 + named.map { "\($0.code)\($0.parent.flatMap { units[$0] }.map { " under \($0.name)" } ?? "")" }.joined(separator: ", "))
        }
        throw Registry.unknownUnit(text, self)
    }

    /// The official `text` names: their id (`O000032`), or their registered name (diacritics and case ignored) when
    /// exactly one official has it. Refused with `not_registered` and the closest registered officials, or, for a
    /// name several officials share, with their ids and units.
    /// Officials who share a name are told apart by `unit` (the one of the unit the command is about, or above it)
    /// and then by `role` (the one who holds it).
    public func official(named text: String, near unit: String? = nil, role: Role? = nil) throws(DomainError) -> OfficialAppointed {
        if let official = officials[text] { return official }
        let folded = SearchText.fold(text)
        var named = officials.values.filter { SearchText.fold($0.name) == folded }.sorted { $0.officialId < $1.officialId }
        if named.count > 1, let unit {
            let near = named.filter { !$0.unit.isEmpty && isWithin(unit, $0.unit) }
            if !near.isEmpty { named = near }
        }
        if named.count > 1, let role {
            let holding = named.filter { $0.roles.contains(role) }
            if !holding.isEmpty { named = holding }
        }
        if named.count == 1 { return named[0] }
        if named.count > 1 {
            throw .notRegistered("\(named.count) registered officials are named \(named[0].name): give the id of one, "
                                 + named.map { "\($0.officialId) (\(units[$0.unit]?.name ?? $0.unit))" }.joined(separator: ", "))
        }
        let matches = closest(text, among: officials.values.map(\.name))
            .compactMap { name in officials.values.first { $0.name == name }.map { "\($0.officialId) (\($0.name))" } }
        throw .notRegistered("official \(text) is not registered" + (matches.isEmpty ? "; list them with `petitionctl official list`" : "; did you mean \(matches.joined(separator: ", "))?"))
    }

    /// Whether unit `code` is `ancestor` or lies below it.
    public func isWithin(_ code: String, _ ancestor: String) -> Bool {
        var current: String? = code
        var steps = 0
        while let c = current, steps < 16 {
            if c == ancestor { return true }
            current = units[c]?.parent
            steps += 1
        }
        return false
    }

    /// The codes of `code` and every unit below it.
    public func subtree(_ code: String) -> Set<String> { Set(units.keys.filter { isWithin($0, code) }) }

    /// The department `text` names (its code or registered name, diacritics and case ignored) of unit `code` or of
    /// the nearest unit above it that has one so named: a commune refers to its own offices or to its province's.
    public func department(named text: String, near code: String) throws(DomainError) -> DepartmentRegistered {
        let folded = SearchText.fold(text)
        var current: String? = code
        var seen: [DepartmentRegistered] = []
        while let c = current {
            let here = (departments[c] ?? [:]).values
            if let d = here.first(where: { $0.code == text || SearchText.fold($0.name) == folded }) { return d }
            // A name it had before a rename still finds it.
            if let d = here.first(where: { (formerDepartmentNames[$0.ref] ?? []).contains { SearchText.fold($0) == folded } }) { return d }
            seen += here
            current = units[c]?.parent
        }
        let names = seen.map(\.name)
        let matches = closest(text, among: names)
        let unitName = units[code]?.name ?? code
        throw .notRegistered("department \(text) is not registered for \(unitName) or the units above it"
                             + (matches.isEmpty ? (names.isEmpty ? "; none is registered there yet" : "; its departments: \(names.sorted().joined(separator: ", "))")
                                                : "; did you mean \(matches.joined(separator: ", "))?"))
    }

    /// The registered names closest to `text`, diacritics and case ignored (for a refusal that helps).
    public func closest(_ text: String, among names: [String], limit: Int = 3) -> [String] {
        let wanted = SearchText.fold(text)
        let words = Set(wanted.split(separator: " "))
        let scored = names.map { name -> (String, Int) in
            let folded = SearchText.fold(name)
            let shared = words.intersection(folded.split(separator: " ")).count
            return (name, folded == wanted ? 1000 : folded.contains(wanted) || wanted.contains(folded) ? 100 + shared : shared)
        }
        return scored.filter { $0.1 > 0 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }
}

/// The registry decider: units, departments, officials and their keys, one stream for all.
public enum Registry: StreamDecider {
    public static let category = "registry"
    /// The one registry stream's id: `registry-main`.
    public static let streamId = "main"

    public enum Command: Hashable, Sendable {
        case registerUnit(code: String, name: String, kind: UnitKind, parent: String?)
        case registerDepartment(unit: String, code: String, name: String)
        case appointOfficial(name: String, unit: String, department: String?, roles: [Role])
        case issueCredential(officialId: String, publicKey: String)
        case revokeCredential(publicKey: String, reason: String)
        case grantRole(officialId: String, role: Role)
        case withdrawRole(officialId: String, role: Role, reason: String)
        case deactivate(officialId: String, reason: String)
        case transfer(officialId: String, unit: String, department: String?, reason: String)
        case renameUnit(code: String, name: String)
        case renameDepartment(unit: String, code: String, name: String)
        case mergeUnits(predecessors: [String], into: String)
        case retireUnit(code: String, reason: String)
    }

    public static var initialState: RegistryState { RegistryState() }

    public static func decide(_ command: Command, _ state: RegistryState) throws(DomainError) -> [RegistryEvent] {
        switch command {
        case let .registerUnit(code, name, kind, parent):
            try require(name, "name", max: 200)
            if let existing = state.units[code] { throw .alreadyRegistered("unit \(code) is already registered, as \(existing.name)") }
            if let sameName = state.units.values.first(where: { SearchText.fold($0.name) == SearchText.fold(name) && $0.parent == parent }) {
                throw .alreadyRegistered("a unit named \(sameName.name) is already registered under the same parent, code \(sameName.code)")
            }
            switch (parent, kind.parentKinds.isEmpty) {
            case (nil, true): break
            case (nil, false):
                throw .invalidInput("parent", "a \(kind.rawValue) sits under a \(kind.parentKinds.map(\.rawValue).sorted().joined(separator: " or ")); give its code")
            case (_?, true): throw .invalidInput("parent", "a \(kind.rawValue) is a top-level unit and has no parent")
            case (let p?, false):
                guard let above = state.units[p] else { throw unknownUnit(p, state) }
                guard kind.parentKinds.contains(above.kind) else {
                    throw .invalidInput("parent", "a \(kind.rawValue) cannot sit under \(above.name), a \(above.kind.rawValue)")
                }
            }
            return [.unitRegistered(UnitRegistered(code: code, name: name, kind: kind, parent: parent))]

        case let .registerDepartment(unit, code, name):
            try require(name, "name", max: 200)
            guard state.units[unit] != nil else { throw unknownUnit(unit, state) }
            if let existing = state.departments[unit]?[code] {
                throw .alreadyRegistered("department \(code) of unit \(unit) is already registered, as \(existing.name)")
            }
            return [.departmentRegistered(DepartmentRegistered(unit: unit, code: code, name: name))]

        case let .appointOfficial(name, unit, department, roles):
            try require(name, "name", max: 200)
            guard state.units[unit] != nil else { throw unknownUnit(unit, state) }
            guard !roles.isEmpty else { throw .invalidInput("roles", "give at least one role") }
            guard !roles.contains(.system) else { throw .invalidInput("roles", "system is the workers' role, not an official's") }
            if let department, state.departments[unit]?[department] == nil { throw unknownDepartment(department, of: unit, state) }
            if roles.contains(.departmentOfficer), department == nil {
                throw .invalidInput("department", "a department officer belongs to a department; give its code")
            }
            let digits = String(state.officials.count + 1)
            let id = "O" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            return [.officialAppointed(OfficialAppointed(officialId: id, name: name, unit: unit, department: department, roles: roles))]

        case let .issueCredential(officialId, publicKey):
            guard state.officials[officialId] != nil else {
                throw .notRegistered("official \(officialId) is not registered; list them with `petitionctl official list`")
            }
            guard isCurveKey(publicKey) else { throw .invalidInput("publicKey", "must be a CurveZMQ public key: 40 characters of Z85") }
            if let held = state.credentials[publicKey] {
                throw .alreadyRegistered("this key was already issued, to \(held.officialId)\(held.revoked ? ", and revoked" : ""); make a new one")
            }
            return [.credentialIssued(CredentialIssued(officialId: officialId, publicKey: publicKey))]

        case let .grantRole(officialId, role):
            let official = try active(officialId, state)
            guard role != .system else { throw .invalidInput("role", "system is the workers' role, not an official's") }
            guard !official.roles.contains(role) else { throw .alreadyRegistered("\(officialId) (\(official.name)) already holds the role \(role.rawValue)") }
            if role == .departmentOfficer, official.department == nil {
                throw .invalidInput("role", "a department officer belongs to a department, and \(officialId) belongs to none; appoint them anew with their department")
            }
            return [.roleGranted(OfficialRoleGranted(officialId: officialId, role: role))]

        case let .withdrawRole(officialId, role, reason):
            try require(reason, "reason", max: 2000)
            let official = try active(officialId, state)
            guard official.roles.contains(role) else {
                throw .invalidInput("role", "\(officialId) (\(official.name)) does not hold \(role.rawValue); they hold \(official.roles.map(\.rawValue).joined(separator: ", "))")
            }
            guard official.roles.count > 1 else { throw .invalidInput("role", "it is \(officialId)'s only role: deactivate them instead") }
            if role == .administrator { try keepAnAdministrator(besides: officialId, state) }
            return [.roleWithdrawn(OfficialRoleWithdrawn(officialId: officialId, role: role, reason: reason))]

        case let .deactivate(officialId, reason):
            try require(reason, "reason", max: 2000)
            let official = try active(officialId, state)
            if official.roles.contains(.administrator) { try keepAnAdministrator(besides: officialId, state) }
            return [.officialDeactivated(OfficialDeactivated(officialId: officialId, reason: reason))]

        case let .transfer(officialId, unit, department, reason):
            try require(reason, "reason", max: 2000)
            let official = try active(officialId, state)
            guard let target = state.units[unit] else { throw unknownUnit(unit, state) }
            guard !state.retired.contains(unit) else { throw .invalidInput("unit", "\(target.name) (\(unit)) is retired; transfer to the unit that succeeded it") }
            if let department, state.departments[unit]?[department] == nil { throw unknownDepartment(department, of: unit, state) }
            if official.roles.contains(.departmentOfficer), department == nil {
                throw .invalidInput("department", "\(officialId) (\(official.name)) is a department officer and belongs to a department; give its code")
            }
            guard official.unit != unit || official.department != department else {
                throw .invalidInput("unit", "\(officialId) (\(official.name)) already belongs to \(unit)\(department.map { "/\($0)" } ?? "")")
            }
            return [.officialTransferred(OfficialTransferred(officialId: officialId, unit: unit, department: department, reason: reason))]

        case let .renameUnit(code, name):
            try require(name, "name", max: 200)
            guard let unit = state.units[code] else { throw unknownUnit(code, state) }
            guard SearchText.fold(unit.name) != SearchText.fold(name) else { throw .invalidInput("name", "\(code) is already named \(unit.name)") }
            if let sibling = state.units.values.first(where: { $0.code != code && $0.parent == unit.parent && SearchText.fold($0.name) == SearchText.fold(name) }) {
                throw .alreadyRegistered("a unit named \(sibling.name) is already registered under the same parent, code \(sibling.code)")
            }
            return [.unitRenamed(UnitRenamed(code: code, name: name))]

        case let .renameDepartment(unit, code, name):
            try require(name, "name", max: 200)
            guard state.units[unit] != nil else { throw unknownUnit(unit, state) }
            guard let department = state.departments[unit]?[code] else { throw unknownDepartment(code, of: unit, state) }
            let folded = SearchText.fold(name)
            guard SearchText.fold(department.name) != folded else { throw .invalidInput("name", "\(unit)/\(code) is already named \(department.name)") }
            // A name another department of the unit has or had would make a referral by that name ambiguous.
            for other in (state.departments[unit] ?? [:]).values where other.code != code {
                if state.departmentNames(ref: other.ref).contains(where: { SearchText.fold($0) == folded }) {
                    throw .alreadyRegistered("department \(other.code) of unit \(unit) is or was named \(name); choose another name")
                }
            }
            return [.departmentRenamed(DepartmentRenamed(unit: unit, code: code, name: name))]

        case let .mergeUnits(predecessors, into):
            guard let successor = state.units[into] else { throw unknownUnit(into, state) }
            guard !state.retired.contains(into) else { throw .invalidInput("into", "\(successor.name) (\(into)) is retired") }
            guard !predecessors.isEmpty else { throw .invalidInput("predecessors", "give the units merged") }
            for code in predecessors {
                guard let unit = state.units[code] else { throw unknownUnit(code, state) }
                guard code != into, !state.isWithin(into, code) else { throw .invalidInput("predecessors", "\(unit.name) (\(code)) cannot be merged into itself or a unit below it") }
                guard !state.retired.contains(code) else { throw .invalidInput("predecessors", "\(unit.name) (\(code)) is already retired") }
            }
            return [.unitsMerged(UnitsMerged(predecessors: predecessors, into: into))]

        case let .retireUnit(code, reason):
            try require(reason, "reason", max: 2000)
            guard let unit = state.units[code] else { throw unknownUnit(code, state) }
            guard !state.retired.contains(code) else { throw .invalidInput("code", "\(unit.name) (\(code)) is already retired") }
            return [.unitRetired(UnitRetired(code: code, reason: reason))]

        case let .revokeCredential(publicKey, reason):
            try require(reason, "reason", max: 2000)
            guard let held = state.credentials[publicKey] else { throw .notRegistered("no official holds key \(publicKey)") }
            guard !held.revoked else { throw .alreadyRegistered("key \(publicKey) of \(held.officialId) is already revoked") }
            return [.credentialRevoked(CredentialRevoked(publicKey: publicKey, reason: reason))]
        }
    }

    /// The official `officialId`, who must be registered and still in office.
    static func active(_ officialId: String, _ state: RegistryState) throws(DomainError) -> OfficialAppointed {
        guard let official = state.officials[officialId] else {
            throw .notRegistered("official \(officialId) is not registered; list them with `petitionctl official list`")
        }
        guard !state.inactive.contains(officialId) else { throw .invalidInput("officialId", "\(officialId) (\(official.name)) was deactivated") }
        return official
    }

    /// Refuses to leave the registry with no administrator in office but `officialId`.
    static func keepAnAdministrator(besides officialId: String, _ state: RegistryState) throws(DomainError) {
        let others = state.officials.values.filter { $0.officialId != officialId && $0.roles.contains(.administrator) && !state.inactive.contains($0.officialId) }
        guard !others.isEmpty else { throw .invalidInput("officialId", "\(officialId) is the only administrator in office: grant the role to another official first") }
    }

    /// Whether `text` is a CurveZMQ key in Z85: 40 characters of its alphabet.
    static func isCurveKey(_ text: String) -> Bool {
        let alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
        return text.utf8.count == 40 && text.utf8.allSatisfy(alphabet.contains)
    }

    public static func evolve(_ state: RegistryState, _ event: RegistryEvent) -> RegistryState {
        var s = state
        switch event {
        case .founded(let e):
            s.officials[e.officialId] = OfficialAppointed(officialId: e.officialId, name: e.name, unit: "", department: nil, roles: [.administrator])
            s.credentials[e.publicKey] = RegistryState.Credential(officialId: e.officialId, revoked: false)
        case .unitRegistered(let e): s.units[e.code] = e
        case .departmentRegistered(let e): s.departments[e.unit, default: [:]][e.code] = e
        case .officialAppointed(let e): s.officials[e.officialId] = e
        case .credentialIssued(let e): s.credentials[e.publicKey] = RegistryState.Credential(officialId: e.officialId, revoked: false)
        case .credentialRevoked(let e): s.credentials[e.publicKey]?.revoked = true
        case .roleGranted(let e): s.officials[e.officialId]?.roles.append(e.role)
        case .roleWithdrawn(let e): s.officials[e.officialId]?.roles.removeAll { $0 == e.role }
        case .officialDeactivated(let e): s.inactive.insert(e.officialId)
        case .officialTransferred(let e):
            s.officials[e.officialId]?.unit = e.unit
            s.officials[e.officialId]?.department = e.department
        case .unitRenamed(let e):
            if let old = s.units[e.code]?.name { s.formerNames[e.code, default: []].append(old) }
            s.units[e.code]?.name = e.name
        case .unitsMerged(let e):
            for code in e.predecessors { s.units[code]?.parent = e.into; s.retired.insert(code) }
        case .unitRetired(let e): s.retired.insert(e.code)
        case .departmentRenamed(let e):
            if let old = s.departments[e.unit]?[e.code]?.name { s.formerDepartmentNames[e.ref, default: []].append(old) }
            s.departments[e.unit]?[e.code]?.name = e.name
        }
        return s
    }

    public static func domainEvent(_ event: RegistryEvent) -> DomainEvent { .registry(event) }
    public static func event(in event: DomainEvent) -> RegistryEvent? { if case .registry(let e) = event { e } else { nil } }

    /// `not_registered` for unit code `code`, naming the registered units whose names or codes come closest.
    static func unknownDepartment(_ department: String, of unit: String, _ state: RegistryState) -> DomainError {
        let known = (state.departments[unit] ?? [:]).values.map { "\($0.code) (\($0.name))" }.sorted()
        return .notRegistered("department \(department) of unit \(unit) is not registered"
                              + (known.isEmpty ? "; the unit has no department yet" : "; its departments: \(known.joined(separator: ", "))"))
    }

    static func unknownUnit(_ code: String, _ state: RegistryState) -> DomainError {
        let byName = state.closest(code, among: state.units.values.map(\.name))
        let matches = byName.compactMap { name in state.units.values.first { $0.name == name }.map { "\($0.code) (\($0.name))" } }
        return .notRegistered("unit \(code) is not registered" + (matches.isEmpty ? "; list them with `petitionctl unit list`" : "; did you mean \(matches.joined(separator: ", "))?"))
    }
}

extension UnitRegistered: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(code: try r.string("code"), name: try r.string("name"), kind: try r.choice("kind", UnitKind.self), parent: try r.optionalString("parent"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("code", code); w.add("kind", kind.rawValue); w.add("name", name); w.add("parent", optional: parent)
    }
    var event: DomainEvent { .registry(.unitRegistered(self)) }
    var summary: String { "unit \(code) registered: \(name) (\(kind.rawValue)\(parent.map { ", under \($0)" } ?? ""))" }
}

extension DepartmentRegistered: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(unit: try r.string("unit"), code: try r.string("code"), name: try r.string("name"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("code", code); w.add("name", name); w.add("unit", unit) }
    var event: DomainEvent { .registry(.departmentRegistered(self)) }
    var summary: String { "department \(code) of unit \(unit) registered: \(name)" }
}

extension DepartmentRenamed: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(unit: try r.string("unit"), code: try r.string("code"), name: try r.string("name"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("code", code); w.add("name", name); w.add("unit", unit) }
    var event: DomainEvent { .registry(.departmentRenamed(self)) }
    var summary: String { "department \(code) of unit \(unit) renamed: \(name)" }
}

extension OfficialAppointed: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(officialId: try r.string("officialId"), name: try r.string("name"), unit: try r.string("unit"),
                  department: try r.optionalString("department"), roles: try r.choices("roles", Role.self))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("department", optional: department); w.add("name", name); w.add("officialId", officialId)
        w.add("roles", strings: roles.map(\.rawValue)); w.add("unit", unit)
    }
    var event: DomainEvent { .registry(.officialAppointed(self)) }
    var summary: String { "official \(officialId) appointed: \(name), \(roles.map(\.rawValue).joined(separator: ", ")) of \(unit)\(department.map { "/\($0)" } ?? "")" }
}

extension CredentialIssued: EventPayload {
    init(reading r: EventJSON.Reader) throws { self.init(officialId: try r.string("officialId"), publicKey: try r.string("publicKey")) }
    func write(to w: inout EventJSON.Writer) { w.add("officialId", officialId); w.add("publicKey", publicKey) }
    var event: DomainEvent { .registry(.credentialIssued(self)) }
    var summary: String { "key \(publicKey) issued to official \(officialId)" }
}

extension CredentialRevoked: EventPayload {
    init(reading r: EventJSON.Reader) throws { self.init(publicKey: try r.string("publicKey"), reason: try r.string("reason")) }
    func write(to w: inout EventJSON.Writer) { w.add("publicKey", publicKey); w.add("reason", reason) }
    var event: DomainEvent { .registry(.credentialRevoked(self)) }
    var summary: String { "key \(publicKey) revoked: \(reason)" }
}

extension RegistryFounded: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(officialId: try r.string("officialId"), name: try r.string("name"), publicKey: try r.string("publicKey"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("name", name); w.add("officialId", officialId); w.add("publicKey", publicKey) }
    var event: DomainEvent { .registry(.founded(self)) }
    var summary: String { "registry founded: administrator \(officialId) (\(name)), key \(publicKey)" }
}

extension OfficialRoleGranted: EventPayload {
    init(reading r: EventJSON.Reader) throws { self.init(officialId: try r.string("officialId"), role: try r.choice("role", Role.self)) }
    func write(to w: inout EventJSON.Writer) { w.add("officialId", officialId); w.add("role", role.rawValue) }
    var event: DomainEvent { .registry(.roleGranted(self)) }
    var summary: String { "official \(officialId) granted the role \(role.rawValue)" }
}

extension OfficialRoleWithdrawn: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(officialId: try r.string("officialId"), role: try r.choice("role", Role.self), reason: try r.string("reason"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("officialId", officialId); w.add("reason", reason); w.add("role", role.rawValue) }
    var event: DomainEvent { .registry(.roleWithdrawn(self)) }
    var summary: String { "official \(officialId) no longer holds the role \(role.rawValue): \(reason)" }
}

extension OfficialDeactivated: EventPayload {
    init(reading r: EventJSON.Reader) throws { self.init(officialId: try r.string("officialId"), reason: try r.string("reason")) }
    func write(to w: inout EventJSON.Writer) { w.add("officialId", officialId); w.add("reason", reason) }
    var event: DomainEvent { .registry(.officialDeactivated(self)) }
    var summary: String { "official \(officialId) deactivated: \(reason)" }
}

extension OfficialTransferred: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(officialId: try r.string("officialId"), unit: try r.string("unit"), department: try r.optionalString("department"),
                  reason: try r.string("reason"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("department", optional: department); w.add("officialId", officialId); w.add("reason", reason); w.add("unit", unit)
    }
    var event: DomainEvent { .registry(.officialTransferred(self)) }
    var summary: String { "official \(officialId) transferred to \(unit)\(department.map { "/\($0)" } ?? ""): \(reason)" }
}

extension UnitRenamed: EventPayload {
    init(reading r: EventJSON.Reader) throws { self.init(code: try r.string("code"), name: try r.string("name")) }
    func write(to w: inout EventJSON.Writer) { w.add("code", code); w.add("name", name) }
    var event: DomainEvent { .registry(.unitRenamed(self)) }
    var summary: String { "unit \(code) renamed \(name)" }
}

extension UnitsMerged: EventPayload {
    init(reading r: EventJSON.Reader) throws { self.init(predecessors: try r.strings("predecessors"), into: try r.string("into")) }
    func write(to w: inout EventJSON.Writer) { w.add("into", into); w.add("predecessors", strings: predecessors) }
    var event: DomainEvent { .registry(.unitsMerged(self)) }
    var summary: String { "units \(predecessors.joined(separator: ", ")) merged into \(into)" }
}

extension UnitRetired: EventPayload {
    init(reading r: EventJSON.Reader) throws { self.init(code: try r.string("code"), reason: try r.string("reason")) }
    func write(to w: inout EventJSON.Writer) { w.add("code", code); w.add("reason", reason) }
    var event: DomainEvent { .registry(.unitRetired(self)) }
    var summary: String { "unit \(code) retired: \(reason)" }
}
