/// A unit's deadline policy: one `DeadlineLimits` per petition kind, chosen with the petition's
/// complexity and whether it is in a remote area. Defaults (`standard`) follow the law; a unit
/// overrides them in a JSON file (`parse`), without code changes.
public struct DeadlinePolicy: Sendable, Hashable {
    private let byKind: [PetitionKind: DeadlineLimits]

    /// Limits accepted for any number of days: at least 1, at most about ten years.
    public static let dayRange = 1...3660
    /// Extensions accepted per petition.
    public static let extensionRange = 0...10

    /// A checked policy: limits for every kind, days within `dayRange`, extensions within `extensionRange`.
    public init(limits rules: [PetitionKind: DeadlineLimits]) throws(DomainError) {
        try self.init(limits: rules, file: "deadline policy")
    }

    init(limits rules: [PetitionKind: DeadlineLimits], file: String) throws(DomainError) {
        for kind in PetitionKind.allCases {
            guard let rule = rules[kind] else { throw .invalidConfiguration(file, kind.rawValue, "missing") }
            try Self.check(rule, kind: kind, file: file)
        }
        self.byKind = rules
    }

    private init(unchecked rules: [PetitionKind: DeadlineLimits]) { self.byKind = rules }

    /// The limits for a petition kind.
    public func limits(for kind: PetitionKind) -> DeadlineLimits { byKind[kind]! }

    /// The defaults of DOMAIN.md: complaints 30/45 calendar days, 45/60 in remote areas, no extension
    /// (Luật Khiếu nại 2011, Điều 28); denunciations 30 calendar days, extended by 30 once when
    /// complex, twice when especially complex (Luật Tố cáo 2018, Điều 30); recommendations and
    /// reports 15 working days, one extension of 15 working days.
    public static let standard = DeadlinePolicy(unchecked: [
        .complaint: DeadlineLimits(counting: .calendarDays, normalDays: 30, complexDays: 45, remoteDays: 45, remoteComplexDays: 60,
                                 maxExtensionsNormal: 0, maxExtensionsComplex: 0, maxExtensionsEspeciallyComplex: 0,
                                 extensionDays: 30, basis: "Luật Khiếu nại 2011, Điều 28 (giải quyết khiếu nại lần đầu)"),
        .denunciation: DeadlineLimits(counting: .calendarDays, normalDays: 30, complexDays: 30, remoteDays: 30, remoteComplexDays: 30,
                                    maxExtensionsNormal: 0, maxExtensionsComplex: 1, maxExtensionsEspeciallyComplex: 2,
                                    extensionDays: 30, basis: "Luật Tố cáo 2018, Điều 30"),
        .recommendation: DeadlineLimits(counting: .workingDays, normalDays: 15, complexDays: 15, remoteDays: 15, remoteComplexDays: 15,
                                      maxExtensionsNormal: 1, maxExtensionsComplex: 1, maxExtensionsEspeciallyComplex: 1,
                                      extensionDays: 15, basis: "Thời hạn do đơn vị quy định (mặc định 15 ngày làm việc)"),
        .report: DeadlineLimits(counting: .workingDays, normalDays: 15, complexDays: 15, remoteDays: 15, remoteComplexDays: 15,
                              maxExtensionsNormal: 1, maxExtensionsComplex: 1, maxExtensionsEspeciallyComplex: 1,
                              extensionDays: 15, basis: "Thời hạn do đơn vị quy định (mặc định 15 ngày làm việc)"),
    ])

    /// The limit in days for such a petition, counted as `limits(for: kind).counting` says.
    public func days(kind: PetitionKind, complexity: Complexity, remote: Bool) -> Int {
        limits(for: kind).days(complexity: complexity, remote: remote)
    }

    /// The deadline of a petition accepted or referred on `day`. Calendar days: `day` + N, moved to the
    /// next working day when that is a day off (Bộ luật Dân sự 2015, Điều 148). Working days: the
    /// N-th working day after `day`. Throws `no_calendar` when the calendar lacks a year it needs.
    public func deadline(kind: PetitionKind, complexity: Complexity, remote: Bool, from day: LocalDate,
                         calendar: WorkingCalendar) throws(DomainError) -> LocalDate {
        let rule = limits(for: kind)
        return try Self.count(rule.days(complexity: complexity, remote: remote), rule.counting, from: day, calendar: calendar)
    }

    /// The deadline after one more extension of `current`, counted like the limit. Throws
    /// `extension_not_allowed` when the petition already had as many extensions as its kind and
    /// complexity allow.
    public func extensionDeadline(kind: PetitionKind, complexity: Complexity, current: LocalDate, extensionsSoFar: Int,
                                  calendar: WorkingCalendar) throws(DomainError) -> LocalDate {
        guard extensionsSoFar >= 0 else { throw .invalidInput("extensionsSoFar", "must be 0 or more, got \(extensionsSoFar)") }
        let rule = limits(for: kind)
        let allowed = rule.maxExtensions(complexity)
        guard extensionsSoFar < allowed else {
            throw .extensionNotAllowed(Self.refusal(kind: kind, complexity: complexity, rule: rule, sofar: extensionsSoFar))
        }
        return try Self.count(rule.extensionDays, rule.counting, from: current, calendar: calendar)
    }

    /// The limit in words for a reply, e.g. "30 calendar days (complaint, complex)".
    public func describe(kind: PetitionKind, complexity: Complexity, remote: Bool) -> String {
        let rule = limits(for: kind)
        let n = rule.days(complexity: complexity, remote: remote)
        return "\(n) \(rule.counting.words(n)) (\(kind.rawValue), \(complexity.words)\(remote ? ", remote area" : ""))"
    }

    static func count(_ n: Int, _ counting: DayCounting, from day: LocalDate, calendar: WorkingCalendar) throws(DomainError) -> LocalDate {
        switch counting {
        case .calendarDays: try calendar.nextWorkingDay(onOrAfter: day.adding(days: n))
        case .workingDays: try calendar.addingWorkingDays(n, to: day)
        }
    }

    private static func refusal(kind: PetitionKind, complexity: Complexity, rule: DeadlineLimits, sofar: Int) -> String {
        let allowed = rule.maxExtensions(complexity)
        if Complexity.allCases.allSatisfy({ rule.maxExtensions($0) == 0 }) { return "a \(kind.rawValue) may not be extended" }
        let subject = "\(complexity == .especiallyComplex ? "an" : "a") \(complexity.words) \(kind.rawValue)"
        if allowed == 0 { return "\(subject) may not be extended" }
        let limit = allowed == 1 ? "once" : allowed == 2 ? "twice" : "\(allowed) times"
        return "\(subject) may be extended at most \(limit); it was extended \(sofar) time\(sofar == 1 ? "" : "s")"
    }

    /// Refuses nonsense limits, naming the field path.
    static func check(_ rule: DeadlineLimits, kind: PetitionKind, file: String) throws(DomainError) {
        let k = kind.rawValue
        for (field, n) in [("days.normal", rule.normalDays), ("days.complex", rule.complexDays), ("days.remote", rule.remoteDays),
                           ("days.remoteComplex", rule.remoteComplexDays), ("extensionDays", rule.extensionDays)]
        where !dayRange.contains(n) {
            throw .invalidConfiguration(file, "\(k).\(field)", "must be between \(dayRange.lowerBound) and \(dayRange.upperBound) days, got \(n)")
        }
        for complexity in Complexity.allCases where !extensionRange.contains(rule.maxExtensions(complexity)) {
            throw .invalidConfiguration(file, "\(k).maxExtensions.\(complexity.rawValue)",
                                        "must be between \(extensionRange.lowerBound) and \(extensionRange.upperBound), got \(rule.maxExtensions(complexity))")
        }
    }
}
