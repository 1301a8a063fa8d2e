import Foundation
import PetitionDomain
import Testing

@Suite("DefaultHolidays: the shipped holiday files for 2025, 2026 and 2027")
struct DefaultHolidaysTests {
    let calendar = DefaultHolidays.calendar

    func off(_ first: String, through last: String) throws -> Bool {
        var day = Fixture.date(first)
        while day <= Fixture.date(last) {
            if try calendar.isWorkingDay(day) { return false }
            day = day.adding(days: 1)
        }
        return true
    }

    func working(_ text: String) throws -> Bool { try calendar.isWorkingDay(Fixture.date(text)) }

    @Test("every shipped file parses, names its sources, and the writer's output parses back to the same year", arguments: [2025, 2026, 2027])
    func shippedFilesRoundTrip(year: Int64) throws {
        let text = try #require(DefaultHolidays.texts[year])
        let parsed = try WorkingCalendar.parseYear(Data(text.utf8), file: "holidays/\(year).json")
        #expect(parsed.year == year)
        #expect(parsed.source.contains("Bộ luật Lao động 2019"))
        #expect(DefaultHolidays.years.contains(parsed))
        let written = parsed.json
        #expect(written.contains("Tết Nguyên Đán"))
        #expect(try WorkingCalendar.parseYear(Data(written.utf8)) == parsed)
    }

    @Test("each shipped year gives the 11 paid days off of the Labour Code, Điều 112: weekday days off minus make-up days",
          arguments: [2025, 2026, 2027])
    func elevenPaidDays(year: Int64) throws {
        let file = try #require(DefaultHolidays.years.first { $0.year == year })
        let weekdaysOff = file.daysOff.filter { !$0.date.weekday.isWeekend }.count
        #expect(weekdaysOff - file.workingDays.count == 11)
    }

    @Test("2025 as announced: Tết 25 Jan – 2 Feb; 30/4 – 4 May with Saturday 26 April worked; Giỗ Tổ 7 April; Quốc khánh 30 Aug – 2 Sep")
    func year2025() throws {
        #expect(try !working("2025-01-01") && working("2025-01-02"))
        #expect(try off("2025-01-25", through: "2025-02-02"))
        #expect(try working("2025-01-24") && working("2025-02-03"))
        #expect(try !working("2025-04-07"))
        #expect(try off("2025-04-30", through: "2025-05-04"))
        #expect(try working("2025-04-26") && working("2025-05-05"))
        #expect(try off("2025-08-30", through: "2025-09-02"))
        #expect(try working("2025-09-03"))
    }

    @Test("2026 as announced: 1–4 Jan with Saturday 10 Jan worked; Tết 14–22 Feb; Giỗ Tổ on Sunday 26 April, Monday 27 off; 30/4 – 3 May; Quốc khánh 29 Aug – 2 Sep with Saturday 22 Aug worked")
    func year2026() throws {
        #expect(try off("2026-01-01", through: "2026-01-04"))
        #expect(try working("2026-01-05") && working("2026-01-10"))
        #expect(try off("2026-02-14", through: "2026-02-22"))
        #expect(try off("2026-04-25", through: "2026-04-27"))
        #expect(try working("2026-04-28") && working("2026-04-29"))
        #expect(try off("2026-04-30", through: "2026-05-03"))
        #expect(try working("2026-05-04"))
        #expect(try off("2026-08-29", through: "2026-09-02"))
        #expect(try working("2026-08-22") && working("2026-08-28") && working("2026-09-03"))
    }

    @Test("2027, derived from the Labour Code: Tết Đinh Mùi (Saturday 6 Feb) 4–10 Feb; Giỗ Tổ Friday 16 April; 1 May on a Saturday, Monday 3 May off; Quốc khánh 2–3 Sep")
    func year2027() throws {
        #expect(try !working("2027-01-01"))
        #expect(try off("2027-02-04", through: "2027-02-10"))
        #expect(try working("2027-02-03") && working("2027-02-11"))
        #expect(try !working("2027-04-16"))
        #expect(try off("2027-04-30", through: "2027-05-03"))
        #expect(try working("2027-05-04"))
        #expect(try off("2027-09-02", through: "2027-09-05"))
        #expect(try working("2027-09-01") && working("2027-09-06"))
        #expect(DefaultHolidays.years.last?.source.hasPrefix("CHƯA CÓ THÔNG BÁO CHÍNH THỨC") == true)
    }
}
