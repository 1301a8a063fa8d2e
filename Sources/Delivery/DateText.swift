#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Dates as the mail and log formats want them, in UTC, without locale-dependent formatters.
enum DateText {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 5322 date-time for a `Date:` header, e.g. "Thu, 13 Feb 2025 08:00:00 +0000".
    static func rfc5322(_ date: Date) -> String {
        let t = utc(date)
        return "\(days[Int(t.tm_wday)]), \(two(t.tm_mday)) \(months[Int(t.tm_mon)]) \(t.tm_year + 1900) "
            + "\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) +0000"
    }

    /// RFC 3339 UTC with milliseconds, e.g. "2025-02-13T08:00:00.123Z".
    static func rfc3339(_ date: Date) -> String {
        let t = utc(date)
        let seconds = date.timeIntervalSince1970
        let ms = Int(((seconds - seconds.rounded(.down)) * 1000).rounded(.down))
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))."
            + String(ms).leftPadded(to: 3) + "Z"
    }

    private static func utc(_ date: Date) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        return t
    }

    private static func two(_ n: Int32) -> String { String(n).leftPadded(to: 2) }
}
