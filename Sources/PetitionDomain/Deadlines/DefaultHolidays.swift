import Foundation

/// The holiday files shipped with the system for 2025, 2026 and 2027 (days off and make-up
/// working days of state offices, with the decisions they come from in each file's `source`).
/// A unit writes them out (`HolidayYear.json`) for its operator to check and edit, and adds a
/// file for each later year: the calendar refuses years it has no file for.
public enum DefaultHolidays {
    /// The shipped files' text, by year, exactly as shipped.
    public static let texts: [Int64: String] = [2025: json2025, 2026: json2026, 2027: json2027]

    /// The shipped files, parsed, by ascending year.
    public static let years: [HolidayYear] = texts.keys.sorted().map { year in
        // The shipped texts are checked by the tests; a failure here is a bug in this file.
        do { return try HolidayYear.parse(Data(texts[year]!.utf8), file: "DefaultHolidays.json\(year)") }
        catch { fatalError("shipped holiday file for \(year) is invalid: \(error)") }
    }

    /// A calendar of the shipped years only.
    public static let calendar = WorkingCalendar(years: years)
}
