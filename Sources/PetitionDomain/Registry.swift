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
    /// The official administrative unit code where there is one (e.g. `26734`), else one the administrator gives.
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
}

/// Events of the registry stream (`registry-main`): who and what the system knows.
public enum RegistryEvent: Hashable, Sendable {
    case unitRegistered(UnitRegistered)
    case departmentRegistered(DepartmentRegistered)

    var payload: any EventPayload {
        switch self {
        case .unitRegistered(let e): e
        case .departmentRegistered(let e): e
        }
    }
}

/// The registry as the gateway knows it: every unit and department by code.
public struct RegistryState: Hashable, Sendable {
    public var units: [String: UnitRegistered] = [:]
    /// Each unit's departments by code.
    public var departments: [String: [String: DepartmentRegistered]] = [:]

    public init() {}

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

/// The registry decider: units and departments (officials and their keys come next), one stream for all.
public enum Registry: StreamDecider {
    public static let category = "registry"
    /// The one registry stream's id: `registry-main`.
    public static let streamId = "main"

    public enum Command: Hashable, Sendable {
        case registerUnit(code: String, name: String, kind: UnitKind, parent: String?)
        case registerDepartment(unit: String, code: String, name: String)
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
        }
    }

    public static func evolve(_ state: RegistryState, _ event: RegistryEvent) -> RegistryState {
        var s = state
        switch event {
        case .unitRegistered(let e): s.units[e.code] = e
        case .departmentRegistered(let e): s.departments[e.unit, default: [:]][e.code] = e
        }
        return s
    }

    public static func domainEvent(_ event: RegistryEvent) -> DomainEvent { .registry(event) }
    public static func event(in event: DomainEvent) -> RegistryEvent? { if case .registry(let e) = event { e } else { nil } }

    /// `not_registered` for unit code `code`, naming the registered units whose names or codes come closest.
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
