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
import Foundation
public struct HolidayYear: Hashable, Sendable { public var year: Int64 = 0; public static func parse(_ data: Data, file: String = "") throws(DomainError) -> HolidayYear { HolidayYear() } }
extension WorkingCalendar { public init(years: [HolidayYear]) { self.init() } }
extension DefaultHolidays { public static let texts: [Int64: String] = [:] }
extension DeadlinePolicy {
    public static func parse(_ data: Data, file: String = "", over base: DeadlinePolicy = .standard) throws(DomainError) -> DeadlinePolicy { base }
    public var json: String { "{}" }
}
