import Foundation

/// The working-day calendar of state offices in Asia/Ho_Chi_Minh: Saturdays and Sundays are off,
/// and per-year files (`HolidayYear`) add public holidays and bridge days off and declare make-up
/// working Saturdays. It answers only for the years it has a file for: any other year is a
/// `no_calendar` error, never a guess.
public struct WorkingCalendar: Sendable, Hashable {
    /// The year files it was built from, by year.
    public let holidayYears: [HolidayYear]
    private let covered: Set<Int64>
    /// Day number → name.
    private let daysOff: [Int64: String]
    private let makeUpDays: [Int64: String]

    /// A calendar from year files. When two files describe the same year the later one wins, so a
    /// unit's own files can be appended after the shipped defaults to replace them.
    public init(years: [HolidayYear]) {
        var byYear: [Int64: HolidayYear] = [:]
        for year in years { byYear[year.year] = year }
        holidayYears = byYear.values.sorted { $0.year < $1.year }
        covered = Set(byYear.keys)
        var off: [Int64: String] = [:]
        var worked: [Int64: String] = [:]
        for year in holidayYears {
            for day in year.daysOff { off[day.date.dayNumber] = day.name }
            for day in year.workingDays { worked[day.date.dayNumber] = day.name }
        }
        daysOff = off
        makeUpDays = worked
    }

    /// Parses and checks one year's file (see `HolidayYear`). `file` names it in error messages.
    public static func parseYear(_ data: Data, file: String = "holiday file") throws(DomainError) -> HolidayYear {
        try HolidayYear.parse(data, file: file)
    }

    /// The years this calendar has a file for, ascending.
    public var coveredYears: [Int64] { holidayYears.map(\.year) }

    /// Whether the calendar has a file for the year `day` falls in.
    public func covers(_ day: LocalDate) -> Bool { covered.contains(day.year) }

    /// Whether state offices work on `day`: a weekday that is not a day off, or a make-up working day.
    /// Throws `no_calendar` when the calendar has no file for the day's year.
    public func isWorkingDay(_ day: LocalDate) throws(DomainError) -> Bool {
        guard covers(day) else { throw .noCalendar(year: day.year) }
        if makeUpDays[day.dayNumber] != nil { return true }
        return !day.weekday.isWeekend && daysOff[day.dayNumber] == nil
    }

    /// The n-th working day after `start`, `start` itself not counted: 1 is the next working day.
    /// 0 gives `start` unchanged; a negative n counts back (-1 is the last working day before `start`).
    public func addingWorkingDays(_ n: Int, to start: LocalDate) throws(DomainError) -> LocalDate {
        let step = n < 0 ? -1 : 1
        var day = start
        var left = n.magnitude
        while left > 0 {
            day = day.adding(days: step)
            if try isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// `day` itself when it is a working day, else the first working day after it.
    public func nextWorkingDay(onOrAfter day: LocalDate) throws(DomainError) -> LocalDate {
        var day = day
        while try !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// How many working days fall after `start` and up to and including `end`; 0 when `end` is not after `start`.
    public func workingDays(after start: LocalDate, through end: LocalDate) throws(DomainError) -> Int {
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if try isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The name of the holiday or bridge day off on `day`, for display; nil on other days (weekends
    /// included) and in years without a file.
    public func holiday(on day: LocalDate) -> String? { daysOff[day.dayNumber] }

    /// The name of the make-up working day on `day` (a weekend day declared worked), for display; else nil.
    public func makeUpWorkingDay(on day: LocalDate) -> String? { makeUpDays[day.dayNumber] }
}
