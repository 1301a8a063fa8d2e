import EventSourcing

extension LocalDate {
    /// The day of the week. Day 0 (1970-01-01) was a Thursday.
    public var weekday: Weekday {
        let remainder = ((dayNumber + 3) % 7 + 7) % 7
        return Weekday(rawValue: Int(remainder) + 1)!
    }

    /// The calendar year this date falls in.
    public var year: Int64 { Timestamp.civil(fromDays: dayNumber).year }
}
