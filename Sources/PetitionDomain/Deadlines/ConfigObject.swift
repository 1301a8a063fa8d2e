import EventSourcing
import Foundation

/// One JSON object of a configuration file an operator edits, read strictly: every error names the
/// file, the field path (`complaint.days.normal`, `daysOff[3].date`) and what is wrong.
struct ConfigObject {
    /// Which file, for messages: "holidays/2026.json", "deadline-policy.json".
    let file: String
    /// Where this object sits in the file; empty at the top.
    let path: String
    let members: [String: JSONValue]

    /// Parses a whole file whose top level must be an object. A UTF-8 byte order mark is allowed.
    static func parse(_ data: Data, file: String) throws(DomainError) -> ConfigObject {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(bytes: bytes, encoding: .utf8) != nil else {
            throw .invalidConfiguration(file, "", "the file is not UTF-8 text; save it as UTF-8")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw .invalidConfiguration(file, "", "not valid JSON: \(error.description)")
        }
        guard case .object(let members) = value else {
            throw .invalidConfiguration(file, "", "expected a JSON object { … } at the top, got \(Self.describe(value))")
        }
        return ConfigObject(file: file, path: "", members: members)
    }

    /// The path of a member of this object.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error about a member of this object (or about the object itself when `key` is nil).
    func error(_ key: String?, _ problem: String) -> DomainError {
        .invalidConfiguration(file, key.map(path) ?? path, problem)
    }

    /// Refuses members not in `allowed`: a misspelt name would otherwise be silently ignored.
    func requireOnly(_ allowed: [String]) throws(DomainError) {
        for key in members.keys.sorted() where !allowed.contains(key) {
            throw error(key, "unknown field; expected one of \(allowed.joined(separator: ", "))")
        }
    }

    /// Whether the member is present and not null (null counts as absent).
    func has(_ key: String) -> Bool { members[key].map { $0 != .null } ?? false }

    func required(_ key: String) throws(DomainError) -> JSONValue {
        guard has(key), let value = members[key] else { throw error(key, "missing") }
        return value
    }

    func integer(_ key: String) throws(DomainError) -> Int64 {
        let value = try required(key)
        guard case .integer(let n) = value else { throw error(key, "expected a whole number, got \(Self.describe(value))") }
        return n
    }

    func optionalInteger(_ key: String) throws(DomainError) -> Int64? {
        has(key) ? try integer(key) : nil
    }

    /// An optional whole number that must lie in `range`; `unit` (" days") is added to the message.
    func number(_ key: String, in range: ClosedRange<Int>, unit: String = "") throws(DomainError) -> Int? {
        guard let n = try optionalInteger(key) else { return nil }
        guard n >= range.lowerBound, n <= range.upperBound else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound)\(unit), got \(n)")
        }
        return Int(n)
    }

    func string(_ key: String) throws(DomainError) -> String {
        let value = try required(key)
        guard case .string(let s) = value else { throw error(key, "expected a text in quotes, got \(Self.describe(value))") }
        return s
    }

    func optionalString(_ key: String) throws(DomainError) -> String? {
        has(key) ? try string(key) : nil
    }

    func object(_ key: String) throws(DomainError) -> ConfigObject {
        let value = try required(key)
        guard case .object(let m) = value else { throw error(key, "expected an object { … }, got \(Self.describe(value))") }
        return ConfigObject(file: file, path: path(key), members: m)
    }

    func optionalObject(_ key: String) throws(DomainError) -> ConfigObject? {
        has(key) ? try object(key) : nil
    }

    /// The elements of an array member that must each be an object, with their paths (`daysOff[0]`).
    func objects(_ key: String) throws(DomainError) -> [ConfigObject] {
        let value = try required(key)
        guard case .array(let elements) = value else { throw error(key, "expected a list [ … ], got \(Self.describe(value))") }
        var result: [ConfigObject] = []
        for (i, element) in elements.enumerated() {
            let elementPath = "\(path(key))[\(i)]"
            guard case .object(let m) = element else {
                throw .invalidConfiguration(file, elementPath, "expected an object { … }, got \(Self.describe(element))")
            }
            result.append(ConfigObject(file: file, path: elementPath, members: m))
        }
        return result
    }

    /// A short description of a JSON value for messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .integer(let n): return "\(n)"
        case .double(let d): return "\(d)"
        case .string(let s): return "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
