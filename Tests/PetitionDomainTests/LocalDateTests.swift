import EventSourcing
import Foundation
import PetitionDomain
import Testing

@Suite("LocalDate: calendar dates in Vietnam (UTC+7)")
struct LocalDateTests {
    @Test("a valid YYYY-MM-DD date parses and prints back the same", arguments: [
        "2026-03-19", "2026-12-31", "2027-01-01", "2024-02-29", "2000-02-29", "1970-01-01", "1969-12-31", "2099-07-04",
    ])
    func validDatesRoundTrip(text: String) throws {
        let date = try #require(LocalDate(text))
        #expect(date.description == text)
    }

    @Test("impossible dates are rejected", arguments: [
        "2026-02-30", "2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
        "2026-01-32",
    ])
    func impossibleDatesRejected(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test("text that is not YYYY-MM-DD is rejected", arguments: [
        "", "2026-3-19", "2026-03-9", "26-03-19", "2026/03/19", "2026-03-19T00:00", "19-03-2026", "2026-03", "abcd-ef-gh",
        "2026--03-19", " 2026-03-19", "2026-+3-01", "+026-03-01", "2026-03-+1", "２０２６-03-01", "2026-0३-01", "-001-01-01",
    ])
    func malformedTextRejected(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test("years before 1000 print with four digits, so every date prints as YYYY-MM-DD and parses back")
    func earlyYearsPadded() throws {
        let date = try #require(LocalDate(year: 999, month: 7, day: 4))
        #expect(date.description == "0999-07-04")
        #expect(LocalDate(date.description) == date)
        #expect(LocalDate("0001-01-01")?.description == "0001-01-01")
    }

    @Test("leap years follow the Gregorian rule (every 4 years, not centuries, except every 400)", arguments: [
        (2024, true), (2026, false), (2028, true), (2000, true), (1900, false), (2100, false), (2400, true),
    ])
    func leapYears(year: Int64, isLeap: Bool) {
        #expect((LocalDate(year: year, month: 2, day: 29) != nil) == isLeap)
    }

    @Test("the date containing an instant is the date on a clock in Vietnam, changing at 17:00 UTC", arguments: [
        ("2026-03-19T16:59:59.999Z", "2026-03-19"),
        ("2026-03-19T17:00:00.000Z", "2026-03-20"),
        ("2026-03-19T23:59:59.999+07:00", "2026-03-19"),
        ("2026-03-20T00:00:00+07:00", "2026-03-20"),
        ("2026-03-19T00:00:00Z", "2026-03-19"),
        ("2026-12-31T17:00:00Z", "2027-01-01"),
        ("2026-03-19T22:30:00-05:00", "2026-03-20"),
        ("1969-12-31T16:59:59Z", "1969-12-31"),
        ("1969-12-31T17:00:00Z", "1970-01-01"),
        ("1969-12-31T00:00:00Z", "1969-12-31"),
    ])
    func dateContainingInstant(instant: String, expected: String) {
        #expect(LocalDate(containing: Fixture.instant(instant)).description == expected)
    }

    @Test("a date ends at the next local midnight, 17:00 UTC")
    func endInstantIsNextLocalMidnight() {
        let date = Fixture.date("2026-04-18")
        #expect(date.endInstant == Fixture.instant("2026-04-19T00:00:00+07:00"))
        #expect(LocalDate(containing: date.endInstant) == Fixture.date("2026-04-19"))
        #expect(LocalDate(containing: date.endInstant.addingTimeInterval(-0.001)) == date)
    }

    @Test("adding days and comparing follow the calendar")
    func addingAndComparing() {
        let date = Fixture.date("2028-02-28")
        #expect(date.adding(days: 1).description == "2028-02-29")
        #expect(date.adding(days: 2).description == "2028-03-01")
        #expect(date.adding(days: -59).description == "2027-12-31")
        #expect(date < date.adding(days: 1))
        #expect(!(date < date))
        #expect([Fixture.date("2026-05-01"), Fixture.date("2026-04-30")].sorted().map(\.description) == ["2026-04-30", "2026-05-01"])
    }

    @Test("a date encodes to JSON as the string YYYY-MM-DD and decodes back")
    func codableAsText() throws {
        let date = Fixture.date("2026-04-18")
        let json = String(decoding: try JSONEncoder().encode([date]), as: UTF8.self)
        #expect(json == "[\"2026-04-18\"]")
        #expect(try JSONDecoder().decode([LocalDate].self, from: Data(json.utf8)) == [date])
    }

    @Test("decoding an impossible date from JSON fails")
    func decodingImpossibleDateFails() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }
}
