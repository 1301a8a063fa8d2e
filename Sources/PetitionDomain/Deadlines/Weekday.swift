/// A day of the week, numbered as ISO 8601 does (Monday 1 … Sunday 7).
public enum Weekday: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Saturday and Sunday: the weekly rest days of state offices in Vietnam.
    public var isWeekend: Bool { self == .saturday || self == .sunday }

    /// The English name, e.g. "Saturday".
    public var description: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue - 1]
    }
}
