import EventSourcing
import Foundation
import Testing

@Suite("Timestamp: the log's one textual form of an instant")
struct TimestampTests {
    @Test("RFC 3339 text with any offset parses to the right instant and formats as UTC with milliseconds", arguments: [
        ("2026-03-19T08:00:00+07:00", "2026-03-19T01:00:00.000Z"),
        ("2026-03-19T01:00:00Z", "2026-03-19T01:00:00.000Z"),
        ("2026-03-19t01:00:00z", "2026-03-19T01:00:00.000Z"),
        ("2026-03-19 01:00:00Z", "2026-03-19T01:00:00.000Z"),
        ("2026-03-19T01:00:00.5Z", "2026-03-19T01:00:00.500Z"),
        ("2026-03-19T01:00:00.25+00:00", "2026-03-19T01:00:00.250Z"),
        ("2026-03-19T01:00:00.123456789Z", "2026-03-19T01:00:00.123Z"),
        ("2026-03-19T06:59:59.999+07:00", "2026-03-18T23:59:59.999Z"),
        ("2026-03-18T20:00:00-05:00", "2026-03-19T01:00:00.000Z"),
        ("2026-03-19T06:45:00+05:45", "2026-03-19T01:00:00.000Z"),
        ("2027-01-01T00:00:00+07:00", "2026-12-31T17:00:00.000Z"),
        ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"),
    ])
    func parseAndFormat(text: String, utc: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.format(date) == utc)
    }

    @Test("text that is not a complete RFC 3339 instant is rejected", arguments: [
        "", "2026-03-19", "2026-03-19T08:00:00", "2026-03-19T08:00Z", "2026-03-19T08:00:00+0700", "2026-03-19T08:00:00+07",
        "2026-03-19T08:00:00.Z", "2026-03-19T08:00:00Zjunk", "2026-02-30T08:00:00Z", "2026-02-29T08:00:00Z",
        "2026-13-01T08:00:00Z", "2026-03-19T24:00:00Z", "2026-03-19T08:60:00Z", "2026/03/19T08:00:00Z",
        "19-03-2026T08:00:00Z", "2026-03-19T08:00:00+24:00", "hôm qua lúc 8 giờ", "2026-03-19T08:00:00 +07:00",
    ])
    func invalidTextRejected(text: String) {
        #expect(Timestamp.parse(text) == nil)
        #expect(Timestamp.parseMillis(text) == nil)
    }

    @Test("formatting then parsing gives back the same millisecond", arguments: [
        Int64(0), 1, -1, 999, 1_773_882_000_000, 1_773_882_000_001, 1_773_882_000_999, 1_798_736_399_999, 951_782_400_000,
        -86_400_001,
    ])
    func formatParseRoundTrip(millis: Int64) throws {
        let text = Timestamp.format(millis: millis)
        #expect(Timestamp.parseMillis(text) == millis)
    }

    @Test("milliseconds of instants in this decade survive Date and back, so stored instants hash the same when read")
    func millisSurviveDateThisDecade() {
        // Every millisecond of one minute, and a spread across 2020–2031.
        var samples = Array(Int64(1_773_882_000_000)...Int64(1_773_882_060_000))
        samples += stride(from: Int64(1_577_836_800_000), to: 1_956_528_000_000, by: 7_919_113).map { $0 }
        let broken = samples.filter { Timestamp.millis(Timestamp.date(millis: $0)) != $0 }
        #expect(broken.isEmpty, "first broken: \(broken.prefix(5))")
    }

    @Test("the millisecond form of a date is rounded down, never up")
    func millisRoundDown() {
        #expect(Timestamp.millis(Date(timeIntervalSince1970: 1_773_882_000.123_9)) == 1_773_882_000_123)
        #expect(Timestamp.millis(Date(timeIntervalSince1970: -0.000_5)) == -1)
    }

    @Test("calendar arithmetic agrees with known day numbers", arguments: [
        (Int64(1970), Int64(1), Int64(1), Int64(0)), (2000, 3, 1, 11_017), (2026, 3, 19, 20_531), (1969, 12, 31, -1),
    ])
    func civilDays(year: Int64, month: Int64, day: Int64, days: Int64) {
        #expect(Timestamp.daysFromCivil(year, month, day) == days)
        let back = Timestamp.civil(fromDays: days)
        #expect(back.year == year && back.month == month && back.day == day)
    }
}
