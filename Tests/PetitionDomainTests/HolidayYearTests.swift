import Foundation
import PetitionDomain
import Testing

@Suite("HolidayYear: the per-year holiday file an operator edits")
struct HolidayYearTests {
    static func file(year: String = "2026", timeZone: String = #""Asia/Ho_Chi_Minh""#, daysOff: String = "[]",
                     workingDays: String = "[]", extra: String = "") -> String {
        #"{"year": \#(year), "timeZone": \#(timeZone), "source": "Thông báo (ví dụ)", "daysOff": \#(daysOff), "workingDays": \#(workingDays)\#(extra)}"#
    }

    func parse(_ text: String) throws(DomainError) -> HolidayYear {
        try WorkingCalendar.parseYear(Data(text.utf8), file: "holidays/2026.json")
    }

    @Test("a valid file parses; days come out sorted by date and working days are optional")
    func validFile() throws {
        let year = try parse(Self.file(daysOff: #"[{"date": "2026-09-02", "name": "Quốc khánh"}, {"date": "2026-01-01", "name": "Tết Dương lịch"}]"#,
                                       workingDays: #"[{"date": "2026-08-22", "name": "Làm bù"}]"#))
        #expect(year.year == 2026)
        #expect(year.daysOff.map(\.date.description) == ["2026-01-01", "2026-09-02"])
        #expect(year.daysOff.first?.name == "Tết Dương lịch")
        #expect(year.workingDays == [HolidayYear.Day(Fixture.date("2026-08-22"), "Làm bù")])
        let noWorkingDays = #"{"year": 2026, "timeZone": "Asia/Ho_Chi_Minh", "source": "s", "daysOff": []}"#
        #expect(try parse(noWorkingDays).workingDays.isEmpty)
        // An editor's UTF-8 byte order mark is accepted.
        #expect(try WorkingCalendar.parseYear(Data([0xEF, 0xBB, 0xBF] + Array(noWorkingDays.utf8))).year == 2026)
    }

    @Test("a file that cannot be used is refused with invalid_configuration, naming the file, the field and the problem", arguments: [
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-02-30", "name": "x"}]"#),
         #"holidays/2026.json: daysOff[0].date: expected a real date YYYY-MM-DD, got "2026-02-30""#),
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-1-1", "name": "x"}]"#),
         #"holidays/2026.json: daysOff[0].date: expected a real date YYYY-MM-DD, got "2026-1-1""#),
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-01-01", "name": "a"}, {"date": "2027-01-01", "name": "b"}]"#),
         "holidays/2026.json: daysOff[1].date: 2027-01-01 is not in 2026; put it in the file for 2027"),
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-01-01", "name": "a"}, {"date": "2026-01-01", "name": "b"}]"#),
         "holidays/2026.json: daysOff[1].date: 2026-01-01 is listed twice in daysOff"),
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-01-10", "name": "a"}]"#, workingDays: #"[{"date": "2026-01-10", "name": "b"}]"#),
         "holidays/2026.json: workingDays[0].date: 2026-01-10 is both in daysOff and in workingDays"),
        (HolidayYearTests.file(workingDays: #"[{"date": "2026-01-12", "name": "b"}]"#),
         "holidays/2026.json: workingDays[0].date: 2026-01-12 is a Monday and a working day anyway; list only weekend days worked in compensation"),
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-01-01", "name": "  "}]"#),
         #"holidays/2026.json: daysOff[0].name: give the day a name to show, e.g. "Tết Nguyên Đán""#),
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-01-01"}]"#), "holidays/2026.json: daysOff[0].name: missing"),
        (HolidayYearTests.file(daysOff: #"["2026-01-01"]"#), #"holidays/2026.json: daysOff[0]: expected an object { … }, got "2026-01-01""#),
        (HolidayYearTests.file(daysOff: #"[{"date": "2026-01-01", "name": "a", "note": "b"}]"#),
         "holidays/2026.json: daysOff[0].note: unknown field; expected one of date, name"),
        (HolidayYearTests.file(timeZone: #""UTC""#), #"holidays/2026.json: timeZone: days are counted in Asia/Ho_Chi_Minh only, got "UTC""#),
        (HolidayYearTests.file(year: #""2026""#), #"holidays/2026.json: year: expected a whole number, got "2026""#),
        (HolidayYearTests.file(year: "2026.5"), "holidays/2026.json: year: expected a whole number, got 2026.5"),
        (HolidayYearTests.file(year: "99999"), "holidays/2026.json: year: must be between 1970 and 9999, got 99999"),
        (HolidayYearTests.file(extra: #", "holidays": []"#),
         "holidays/2026.json: holidays: unknown field; expected one of year, timeZone, source, daysOff, workingDays"),
        (#"{"year": 2026, "timeZone": "Asia/Ho_Chi_Minh", "source": "", "daysOff": []}"#,
         "holidays/2026.json: source: say which decision or announcement these days come from"),
        (#"{"year": 2026, "timeZone": "Asia/Ho_Chi_Minh", "source": "s"}"#, "holidays/2026.json: daysOff: missing"),
        ("[]", "holidays/2026.json: expected a JSON object { … } at the top, got a list"),
        (#"{"year": 2026,}"#, "holidays/2026.json: not valid JSON: expected a member name at byte 14"),
    ])
    func refused(text: String, message: String) throws {
        let error = try #require(throws: DomainError.self) { try parse(text) }
        #expect(error.code == "invalid_configuration")
        #expect(error.message == message)
    }

    @Test("bytes that are not UTF-8 are refused with a clear message")
    func notUTF8() throws {
        let error = try #require(throws: DomainError.self) { try WorkingCalendar.parseYear(Data([0x7B, 0xFF, 0x7D])) }
        #expect(error.message == "holiday file: the file is not UTF-8 text; save it as UTF-8")
    }

    @Test("a year built in code is checked like a file")
    func builtInCode() throws {
        #expect(throws: DomainError.invalidConfiguration("holidays/2026.json", "daysOff[0].date",
                                                         "2025-12-31 is not in 2026; put it in the file for 2025")) {
            try HolidayYear(year: 2026, source: "s", daysOff: [.init(Fixture.date("2025-12-31"), "x")], workingDays: [])
        }
    }

    @Test("the writer writes pretty JSON with sorted keys and unescaped Vietnamese that parses back to the same year")
    func writerRoundTrip() throws {
        let year = try HolidayYear(year: 2026, source: "Thông báo 9441/TB-BNV",
                                   daysOff: [.init(Fixture.date("2026-02-17"), "Tết Nguyên Đán \"mùng 1\"")],
                                   workingDays: [.init(Fixture.date("2026-08-22"), "Làm bù cho thứ Hai 31/8/2026")])
        let json = year.json
        #expect(json.contains("Tết Nguyên Đán"))
        #expect(json.contains("31/8/2026"))
        #expect(json.contains("\n  \"daysOff\""))
        let keys = ["\"daysOff\"", "\"source\"", "\"timeZone\"", "\"workingDays\"", "\"year\""].map { json.range(of: $0)!.lowerBound }
        #expect(keys == keys.sorted())
        #expect(try WorkingCalendar.parseYear(Data(json.utf8)) == year)
    }
}
