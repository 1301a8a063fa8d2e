import Foundation
import PetitionDomain

/// What a unit configures for follow-up: who chairs it, the level above, and its escalation ladder.
public struct UnitSettings: Hashable, Sendable {
    /// The chair's name, who receives overdue alerts; nil means "Chủ tịch UBND <unit>".
    public var chair: String?
    /// The level above (e.g. the district or province), which receives escalations.
    public var parent: String?
    /// A remote or difficult area: longer limits in the deadline policy.
    public var remote = false
    /// Days before the deadline on which the holder is warned; 0 turns the warning off.
    public var warningDaysBefore = 3
    /// Days after the deadline before it escalates to the level above.
    public var graceDays = 5
    /// E-mail addresses of the unit's alert recipients.
    public var alertEmails: [String] = []
    /// The unit's own deadline policy (JSON object over the standard one), if any.
    public var policyJSON: Data?

    public init() {}
}

/// Every unit's settings, with defaults for units not listed (`config/units.json`).
public struct UnitDirectory: Hashable, Sendable {
    public var defaults: UnitSettings
    public var units: [String: UnitSettings]

    public init(defaults: UnitSettings = UnitSettings(), units: [String: UnitSettings] = [:]) {
        self.defaults = defaults
        self.units = units
    }

    public func settings(_ unit: String) -> UnitSettings { units[unit] ?? defaults }

    /// Who an escalation of `level` goes to.
    public func recipient(_ level: EscalationLevel, unit: String, department: String, assignee: String) -> String {
        switch level {
        case .warning:
            return "\(assignee) (\(department))"
        case .overdue:
            return "Chủ tịch UBND \(unit)" + (settings(unit).chair.map { " (\($0))" } ?? "")
        case .escalated:
            guard let parent = settings(unit).parent else { return "cấp trên của \(unit)" }
            return "Chủ tịch UBND \(parent)" + (settings(parent).chair.map { " (\($0))" } ?? "")
        }
    }

    /// Parses `units.json`: `{"defaults": {…}, "units": {"Xã Vũ Hội": {"parent": …, "chair": …, …}}}`.
    public static func parse(_ data: Data, file: String = "units.json") throws -> UnitDirectory {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigError("\(file): not a JSON object")
        }
        let known: Set<String> = ["defaults", "units", "comment"]
        if let extra = root.keys.first(where: { !known.contains($0) }) { throw ConfigError("\(file): unknown key \"\(extra)\" (expected defaults, units)") }
        let defaults = try settings(root["defaults"] ?? [String: Any](), over: UnitSettings(), path: "\(file): defaults")
        var units: [String: UnitSettings] = [:]
        guard let list = (root["units"] ?? [String: Any]()) as? [String: Any] else { throw ConfigError("\(file): units must be an object keyed by unit name") }
        for (name, value) in list {
            units[name] = try settings(value, over: defaults, path: "\(file): units.\(name)")
        }
        return UnitDirectory(defaults: defaults, units: units)
    }

    private static func settings(_ value: Any, over base: UnitSettings, path: String) throws -> UnitSettings {
        guard let o = value as? [String: Any] else { throw ConfigError("\(path): must be an object") }
        var s = base
        s.chair = nil
        s.parent = nil
        s.policyJSON = nil
        for (key, v) in o {
            switch key {
            case "chair":
                guard let t = v as? String, !t.isEmpty else { throw ConfigError("\(path).chair: must be a name") }
                s.chair = t
            case "parent":
                guard let t = v as? String, !t.isEmpty else { throw ConfigError("\(path).parent: must be a unit name") }
                s.parent = t
            case "remote":
                guard let b = v as? Bool else { throw ConfigError("\(path).remote: must be true or false") }
                s.remote = b
            case "warningDaysBefore", "graceDays":
                guard let n = v as? Int, !(v is Bool), (0...365).contains(n) else { throw ConfigError("\(path).\(key): must be a whole number of days from 0 to 365") }
                if key == "graceDays" { s.graceDays = n } else { s.warningDaysBefore = n }
            case "alertEmails":
                guard let list = v as? [String], list.allSatisfy({ $0.contains("@") }) else { throw ConfigError("\(path).alertEmails: must be a list of e-mail addresses") }
                s.alertEmails = list
            case "policy":
                guard JSONSerialization.isValidJSONObject(v) else { throw ConfigError("\(path).policy: must be an object") }
                s.policyJSON = try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys])
            case "comment":
                break
            default:
                throw ConfigError("\(path): unknown key \"\(key)\" (expected chair, parent, remote, warningDaysBefore, graceDays, alertEmails, policy)")
            }
        }
        return s
    }
}

/// A configuration file that cannot be used: says which file, where and what is wrong.
public struct ConfigError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
