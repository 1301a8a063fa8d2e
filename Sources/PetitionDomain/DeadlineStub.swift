// TEMPORARY: replaced by Deadlines/ (branch `deadline`) at merge.
public enum Complexity: String, Codable, CaseIterable, Sendable { case normal, complex, especiallyComplex = "especially_complex" }
public struct WorkingCalendar: Hashable, Sendable { public init() {} }
public struct DeadlinePolicy: Hashable, Sendable {
    public init() {}
    public static let standard = DeadlinePolicy()
    public func deadline(kind: PetitionKind, complexity: Complexity, remote: Bool, from day: LocalDate, calendar: WorkingCalendar) throws(DomainError) -> LocalDate { day.adding(days: 15) }
    public func extensionDeadline(kind: PetitionKind, complexity: Complexity, current: LocalDate, extensionsSoFar: Int, calendar: WorkingCalendar) throws(DomainError) -> LocalDate { current.adding(days: 15) }
    public func describe(kind: PetitionKind, complexity: Complexity, remote: Bool) -> String { "15 days" }
}
public enum DefaultHolidays { public static var calendar: WorkingCalendar { WorkingCalendar() } }
