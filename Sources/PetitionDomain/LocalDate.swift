import EventSourcing
import Foundation

/// A calendar date in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), e.g. a deadline.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int64

    /// Vietnam's offset from UTC, in milliseconds. Vietnam has kept UTC+7 since 1975.
    public static let offsetMillis: Int64 = 7 * 3_600_000

    public init(dayNumber: Int64) { self.dayNumber = dayNumber }

    public init?(year: Int64, month: Int64, day: Int64) {
        guard (1...12).contains(month), day >= 1, day <= 31 else { return nil }
        let n = Timestamp.daysFromCivil(year, month, day)
        let back = Timestamp.civil(fromDays: n)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        dayNumber = n
    }

    /// Parses `YYYY-MM-DD` (ASCII digits only), byte by byte: replay parses a deadline for most events.
    public init?(_ text: String) {
        var digits: (Int64, Int64, Int64) = (0, 0, 0)
        var count = 0
        for (i, byte) in text.utf8.enumerated() {
            count += 1
            if i == 4 || i == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), i < 10 else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            if i < 4 { digits.0 = digits.0 * 10 + digit } else if i < 7 { digits.1 = digits.1 * 10 + digit } else { digits.2 = digits.2 * 10 + digit }
        }
        guard count == 10 else { return nil }
        self.init(year: digits.0, month: digits.1, day: digits.2)
    }

    /// Parses a date as people in Vietnam write it: `19/03/2026` (also `19/3/2026`, `19-03-2026`, `19.03.2026`).
    public static func written(_ text: String) -> LocalDate? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
              let d = Int64(parts[0]), let m = Int64(parts[1]), let y = Int64(parts[2]), (1900...2199).contains(y) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// The instant at `hour`:`minute` of this day in Vietnam.
    public func instant(hour: Int64 = 0, minute: Int64 = 0) -> Date {
        Timestamp.date(millis: (dayNumber * 86_400 + hour * 3600 + minute * 60) * 1000 - Self.offsetMillis)
    }

    /// The local date on which an instant falls in Vietnam.
    public init(containing instant: Date) {
        let local = Timestamp.millis(instant) + Self.offsetMillis
        dayNumber = local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + Int64(days)) }

    /// The first instant after this date ends in Vietnam: a deadline is met before it.
    public var endInstant: Date { Timestamp.date(millis: (dayNumber + 1) * 86_400_000 - Self.offsetMillis) }

    public var description: String {
        let (y, m, d) = Timestamp.civil(fromDays: dayNumber)
        func pad(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = String(y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-\(pad(m))-\(pad(d))"
    }

    /// The date as people in Vietnam write it: `19/03/2026`.
    public var vietnamese: String {
        let (y, m, d) = Timestamp.civil(fromDays: dayNumber)
        func pad(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(pad(d))/\(pad(m))/\(y)"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a date YYYY-MM-DD, got \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
