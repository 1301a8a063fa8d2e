import Foundation

/// One year of the working-day calendar, as the per-year file a unit's operator edits
/// (`holidays/2026.json`): the public holidays and bridge days off, and the Saturdays declared
/// working days to make up for a bridge day. Weekends are not listed: they are always off.
///
/// ```json
/// {"year": 2026, "timeZone": "Asia/Ho_Chi_Minh", "source": "Thông báo 9441/TB-BNV …",
///  "daysOff": [{"date": "2026-02-16", "name": "Tết Nguyên Đán"}],
///  "workingDays": [{"date": "2026-01-10", "name": "Làm bù cho thứ Sáu 02/01/2026"}]}
/// ```
public struct HolidayYear: Sendable, Hashable {
    /// One dated entry: a day off or a make-up working day, with a name to show.
    public struct Day: Sendable, Hashable {
        /// The day, in Asia/Ho_Chi_Minh.
        public let date: LocalDate
        /// e.g. "Tết Nguyên Đán Bính Ngọ (mùng 1)", "Làm bù cho thứ Sáu 02/01/2026".
        public let name: String

        /// A day and its name; `HolidayYear.init` checks it.
        public init(_ date: LocalDate, _ name: String) {
            self.date = date
            self.name = name
        }
    }

    /// The only time zone the calendar counts days in.
    public static let timeZone = "Asia/Ho_Chi_Minh"
    /// The years a file may describe.
    public static let years: ClosedRange<Int64> = 1970...9999

    /// The calendar year the file describes.
    public let year: Int64
    /// Which decisions or announcements the days come from, so an auditor can check them.
    public let source: String
    /// Days off on top of weekends (a holiday falling on a weekend may be listed too, for its name), by date.
    public let daysOff: [Day]
    /// Weekend days declared working days, by date.
    public let workingDays: [Day]

    /// A checked year: every date inside `year`, none listed twice or both off and worked, every
    /// working day a Saturday or Sunday, every name and the source not blank.
    public init(year: Int64, source: String, daysOff: [Day], workingDays: [Day]) throws(DomainError) {
        try self.init(year: year, source: source, daysOff: daysOff, workingDays: workingDays, file: "holidays/\(year).json")
    }

    init(year: Int64, source: String, daysOff: [Day], workingDays: [Day], file: String) throws(DomainError) {
        guard Self.years.contains(year) else {
            throw .invalidConfiguration(file, "year", "must be between \(Self.years.lowerBound) and \(Self.years.upperBound), got \(year)")
        }
        guard !source.allSatisfy(\.isWhitespace) else {
            throw .invalidConfiguration(file, "source", "say which decision or announcement these days come from")
        }
        var seen: [LocalDate: String] = [:]
        for (list, days) in [("daysOff", daysOff), ("workingDays", workingDays)] {
            for (i, day) in days.enumerated() {
                let path = "\(list)[\(i)]"
                guard day.date.year == year else {
                    throw .invalidConfiguration(file, "\(path).date", "\(day.date) is not in \(year); put it in the file for \(day.date.year)")
                }
                guard !day.name.allSatisfy(\.isWhitespace) else {
                    throw .invalidConfiguration(file, "\(path).name", "give the day a name to show, e.g. \"Tết Nguyên Đán\"")
                }
                if list == "workingDays", !day.date.weekday.isWeekend {
                    throw .invalidConfiguration(file, "\(path).date",
                                                "\(day.date) is a \(day.date.weekday) and a working day anyway; list only weekend days worked in compensation")
                }
                if let earlier = seen[day.date] {
                    let problem = earlier == list ? "\(day.date) is listed twice in \(list)" : "\(day.date) is both in daysOff and in workingDays"
                    throw .invalidConfiguration(file, "\(path).date", problem)
                }
                seen[day.date] = list
            }
        }
        self.year = year
        self.source = source
        self.daysOff = daysOff.sorted { $0.date < $1.date }
        self.workingDays = workingDays.sorted { $0.date < $1.date }
    }

    /// Parses and checks one year's file. `file` names it in error messages, e.g. "holidays/2026.json".
    public static func parse(_ data: Data, file: String = "holiday file") throws(DomainError) -> HolidayYear {
        let root = try ConfigObject.parse(data, file: file)
        try root.requireOnly(["year", "timeZone", "source", "daysOff", "workingDays"])
        let year = try root.integer("year")
        let timeZone = try root.string("timeZone")
        guard timeZone == Self.timeZone else {
            throw root.error("timeZone", "days are counted in \(Self.timeZone) only, got \"\(timeZone)\"")
        }
        func days(_ key: String) throws(DomainError) -> [Day] {
            var result: [Day] = []
            for entry in try root.objects(key) {
                try entry.requireOnly(["date", "name"])
                let text = try entry.string("date")
                guard let date = LocalDate(text) else {
                    throw entry.error("date", "expected a real date YYYY-MM-DD, got \"\(text)\"")
                }
                result.append(Day(date, try entry.string("name")))
            }
            return result
        }
        return try HolidayYear(year: year, source: try root.string("source"), daysOff: try days("daysOff"),
                               workingDays: root.has("workingDays") ? try days("workingDays") : [], file: file)
    }

    /// The file's text: pretty JSON with sorted keys, UTF-8, Vietnamese unescaped, for an operator to edit.
    public var json: String {
        let file = File(year: year, timeZone: Self.timeZone, source: source,
                        daysOff: daysOff.map { File.Entry(date: $0.date.description, name: $0.name) },
                        workingDays: workingDays.map { File.Entry(date: $0.date.description, name: $0.name) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        return String(decoding: try! encoder.encode(file), as: UTF8.self) + "\n"
    }

    /// The written shape of the file.
    private struct File: Encodable {
        struct Entry: Encodable {
            let date: String
            let name: String
        }
        let year: Int64
        let timeZone: String
        let source: String
        let daysOff: [Entry]
        let workingDays: [Entry]
    }
}
