import Foundation
import PetitionDomain
import Testing

@Suite("WorkingCalendar: working days of state offices in Vietnam")
struct WorkingCalendarTests {
    let calendar = DefaultHolidays.calendar

    func working(_ text: String) throws -> Bool { try calendar.isWorkingDay(Fixture.date(text)) }

    @Test("weekdays come from the day number, 1970-01-01 being a Thursday", arguments: [
        ("1970-01-01", Weekday.thursday), ("1969-12-31", .wednesday), ("1969-12-25", .thursday), ("2026-02-17", .tuesday),
        ("2025-01-29", .wednesday), ("2027-02-06", .saturday), ("2026-04-26", .sunday), ("2026-01-10", .saturday),
        ("2000-01-01", .saturday), ("2026-03-16", .monday), ("2026-03-20", .friday),
    ])
    func weekdays(date: String, weekday: Weekday) {
        #expect(Fixture.date(date).weekday == weekday)
    }

    @Test("an ordinary weekday is a working day and an ordinary weekend day is not")
    func weekdaysWorkWeekendsRest() throws {
        #expect(try working("2026-03-18"))
        #expect(try !working("2026-03-21"))
        #expect(try !working("2026-03-22"))
    }

    @Test("the whole Tết Bính Ngọ break, Saturday 14 to Sunday 22 February 2026, is off; Monday 23 is worked")
    func tet2026() throws {
        for day in 14...22 { #expect(try !working("2026-02-\(day)"), "2026-02-\(day)") }
        #expect(try working("2026-02-13"))
        #expect(try working("2026-02-23"))
        #expect(calendar.holiday(on: Fixture.date("2026-02-17")) == "Tết Nguyên Đán Bính Ngọ (mùng 1)")
    }

    @Test("a make-up Saturday counts as a working day", arguments: ["2026-01-10", "2026-08-22", "2025-04-26"])
    func makeUpSaturday(date: String) throws {
        #expect(Fixture.date(date).weekday == .saturday)
        #expect(try working(date))
        #expect(calendar.makeUpWorkingDay(on: Fixture.date(date))?.hasPrefix("Làm bù") == true)
        #expect(calendar.holiday(on: Fixture.date(date)) == nil)
    }

    @Test("15 working days from a referral a few days before Tết 2026 skip the whole break")
    func fifteenWorkingDaysAcrossTet() throws {
        // Tue 10 Feb: 11, 12, 13 Feb, then 23 Feb … 10 Mar.
        #expect(try calendar.addingWorkingDays(15, to: Fixture.date("2026-02-10")) == Fixture.date("2026-03-10"))
        #expect(try calendar.addingWorkingDays(15, to: Fixture.date("2025-01-20")) == Fixture.date("2025-02-17"))
    }

    @Test("the start day is not counted; 0 working days is the start itself; negative counts go back")
    func countingFromStart() throws {
        #expect(try calendar.addingWorkingDays(1, to: Fixture.date("2026-03-06")) == Fixture.date("2026-03-09"))
        #expect(try calendar.addingWorkingDays(1, to: Fixture.date("2026-03-09")) == Fixture.date("2026-03-10"))
        #expect(try calendar.addingWorkingDays(0, to: Fixture.date("2026-03-07")) == Fixture.date("2026-03-07"))
        #expect(try calendar.addingWorkingDays(-1, to: Fixture.date("2026-02-23")) == Fixture.date("2026-02-13"))
        #expect(try calendar.addingWorkingDays(-15, to: Fixture.date("2026-03-10")) == Fixture.date("2026-02-10"))
    }

    @Test("counting crosses the new year: 1 and 2 January 2026 are off and Saturday 10 January is worked")
    func acrossNewYear() throws {
        #expect(try calendar.addingWorkingDays(3, to: Fixture.date("2025-12-31")) == Fixture.date("2026-01-07"))
        #expect(try calendar.addingWorkingDays(2, to: Fixture.date("2026-01-08")) == Fixture.date("2026-01-10"))
        #expect(try calendar.workingDays(after: Fixture.date("2025-12-31"), through: Fixture.date("2026-01-31")) == 21)
    }

    @Test("the next working day on or after a day off is the first working day after the break")
    func nextWorkingDay() throws {
        #expect(try calendar.nextWorkingDay(onOrAfter: Fixture.date("2026-02-14")) == Fixture.date("2026-02-23"))
        #expect(try calendar.nextWorkingDay(onOrAfter: Fixture.date("2026-04-25")) == Fixture.date("2026-04-28"))
        #expect(try calendar.nextWorkingDay(onOrAfter: Fixture.date("2026-03-18")) == Fixture.date("2026-03-18"))
    }

    @Test("working days after one day through another count neither the start nor days off")
    func countingWorkingDays() throws {
        #expect(try calendar.workingDays(after: Fixture.date("2026-02-13"), through: Fixture.date("2026-02-23")) == 1)
        #expect(try calendar.workingDays(after: Fixture.date("2025-12-31"), through: Fixture.date("2026-12-31")) == 250)
        #expect(try calendar.workingDays(after: Fixture.date("2026-03-10"), through: Fixture.date("2026-03-10")) == 0)
        #expect(try calendar.workingDays(after: Fixture.date("2026-03-10"), through: Fixture.date("2026-03-01")) == 0)
    }

    @Test("a holiday on a Sunday keeps its name, and the Monday after is off in compensation")
    func holidayOnSunday() throws {
        #expect(calendar.holiday(on: Fixture.date("2026-04-26")) == "Giỗ Tổ Hùng Vương (10/3 âm lịch)")
        #expect(try !working("2026-04-27"))
        #expect(calendar.holiday(on: Fixture.date("2026-04-27"))?.hasPrefix("Nghỉ bù Giỗ Tổ Hùng Vương") == true)
        #expect(calendar.holiday(on: Fixture.date("2026-03-21")) == nil)
        #expect(calendar.holiday(on: Fixture.date("2030-01-01")) == nil)
    }

    @Test("a year without a holiday file is a no_calendar error telling which file to add")
    func yearNotCovered() throws {
        let error = try #require(throws: DomainError.self) { try calendar.isWorkingDay(Fixture.date("2028-03-01")) }
        #expect(error.code == "no_calendar")
        #expect(error.message == "no holiday calendar for 2028: add the file holidays/2028.json to the unit's configuration")
        #expect(throws: DomainError.noCalendar(year: 2024)) { try calendar.isWorkingDay(Fixture.date("2024-12-31")) }
        // Counting past the last covered year fails instead of guessing.
        #expect(throws: DomainError.noCalendar(year: 2028)) {
            try calendar.addingWorkingDays(15, to: Fixture.date("2027-12-24"))
        }
        #expect(calendar.coveredYears == [2025, 2026, 2027])
        #expect(calendar.covers(Fixture.date("2027-12-31")) && !calendar.covers(Fixture.date("2028-01-01")))
    }

    @Test("a later file for the same year replaces the shipped one")
    func laterFileWins() throws {
        let unit2026 = try HolidayYear(year: 2026, source: "Quyết định của UBND tỉnh (ví dụ)",
                                       daysOff: [.init(Fixture.date("2026-03-18"), "Ngày nghỉ riêng của đơn vị")], workingDays: [])
        let custom = WorkingCalendar(years: DefaultHolidays.years + [unit2026])
        #expect(custom.coveredYears == [2025, 2026, 2027])
        #expect(try !custom.isWorkingDay(Fixture.date("2026-03-18")))
        #expect(try custom.isWorkingDay(Fixture.date("2026-02-17")) == true)
        #expect(try custom.isWorkingDay(Fixture.date("2025-01-29")) == false)
    }
}
