/// Whether a time limit counts calendar days or working days.
public enum DayCounting: String, Codable, CaseIterable, Sendable {
    /// Every day counts; a limit ending on a day off ends on the next working day instead
    /// (Bộ luật Dân sự 2015, Điều 148).
    case calendarDays = "calendar_days"
    /// Only working days count (`WorkingCalendar`).
    case workingDays = "working_days"

    /// "calendar days" or "working days", singular for 1.
    public func words(_ n: Int) -> String {
        switch self {
        case .calendarDays: n == 1 ? "calendar day" : "calendar days"
        case .workingDays: n == 1 ? "working day" : "working days"
        }
    }
}
