import Foundation

/// The policy file a unit's operator edits. Every kind and every field is optional: what the file
/// leaves out keeps its value from the base policy (`standard` unless told otherwise).
///
/// ```json
/// {"complaint": {"counting": "calendar_days",
///                "days": {"normal": 30, "complex": 45, "remote": 45, "remoteComplex": 60},
///                "maxExtensions": {"normal": 0, "complex": 0, "especially_complex": 0},
///                "extensionDays": 30, "basis": "Luật Khiếu nại 2011, Điều 28"},
///  "recommendation": {"days": {"normal": 10}}}
/// ```
extension DeadlinePolicy {
    /// Reads a policy file over `base`, refusing unknown kinds or fields, wrong types and nonsense
    /// limits with a message naming the field path (`complaint.days.normal`). `file` names the file.
    public static func parse(_ data: Data, file: String = "deadline policy", over base: DeadlinePolicy = .standard)
        throws(DomainError) -> DeadlinePolicy {
        let root = try ConfigObject.parse(data, file: file)
        try root.requireOnly(PetitionKind.allCases.map(\.rawValue))
        var rules: [PetitionKind: DeadlineLimits] = [:]
        for kind in PetitionKind.allCases {
            var rule = base.limits(for: kind)
            if let o = try root.optionalObject(kind.rawValue) { try Self.override(&rule, with: o) }
            rules[kind] = rule
        }
        return try DeadlinePolicy(limits: rules, file: file)
    }

    private static func override(_ rule: inout DeadlineLimits, with o: ConfigObject) throws(DomainError) {
        try o.requireOnly(["counting", "days", "maxExtensions", "extensionDays", "basis"])
        if let text = try o.optionalString("counting") {
            guard let counting = DayCounting(rawValue: text) else {
                throw o.error("counting", "expected one of \(DayCounting.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
            }
            rule.counting = counting
        }
        if let days = try o.optionalObject("days") {
            try days.requireOnly(["normal", "complex", "remote", "remoteComplex"])
            if let n = try days.number("normal", in: dayRange, unit: " days") { rule.normalDays = n }
            if let n = try days.number("complex", in: dayRange, unit: " days") { rule.complexDays = n }
            if let n = try days.number("remote", in: dayRange, unit: " days") { rule.remoteDays = n }
            if let n = try days.number("remoteComplex", in: dayRange, unit: " days") { rule.remoteComplexDays = n }
        }
        if let max = try o.optionalObject("maxExtensions") {
            try max.requireOnly(Complexity.allCases.map(\.rawValue))
            if let n = try max.number(Complexity.normal.rawValue, in: extensionRange) { rule.maxExtensionsNormal = n }
            if let n = try max.number(Complexity.complex.rawValue, in: extensionRange) { rule.maxExtensionsComplex = n }
            if let n = try max.number(Complexity.especiallyComplex.rawValue, in: extensionRange) { rule.maxExtensionsEspeciallyComplex = n }
        }
        if let n = try o.number("extensionDays", in: dayRange, unit: " days") { rule.extensionDays = n }
        if let basis = try o.optionalString("basis") { rule.basis = basis }
    }

    /// The whole policy as a file for an operator to edit: pretty JSON, sorted keys, UTF-8, every field written.
    public var json: String {
        var file: [String: File] = [:]
        for kind in PetitionKind.allCases {
            let r = limits(for: kind)
            file[kind.rawValue] = File(
                counting: r.counting.rawValue,
                days: ["normal": r.normalDays, "complex": r.complexDays, "remote": r.remoteDays, "remoteComplex": r.remoteComplexDays],
                maxExtensions: Dictionary(uniqueKeysWithValues: Complexity.allCases.map { ($0.rawValue, r.maxExtensions($0)) }),
                extensionDays: r.extensionDays, basis: r.basis)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        return String(decoding: try! encoder.encode(file), as: UTF8.self) + "\n"
    }

    /// The written shape of one kind's rule.
    private struct File: Encodable {
        let counting: String
        let days: [String: Int]
        let maxExtensions: [String: Int]
        let extensionDays: Int
        let basis: String
    }
}
