import Foundation
import PetitionDomain
import Testing

@Suite("DeadlinePolicy: time limits by petition kind, complexity and area")
struct DeadlinePolicyTests {
    let policy = DeadlinePolicy.standard
    let calendar = DefaultHolidays.calendar

    func deadline(_ kind: PetitionKind, _ complexity: Complexity = .normal, remote: Bool = false, from: String) throws -> String {
        try policy.deadline(kind: kind, complexity: complexity, remote: remote, from: Fixture.date(from), calendar: calendar).description
    }

    @Test("a complaint has 30 calendar days, 45 if complex; in a remote area 45, or 60 if complex (Luật Khiếu nại 2011, Điều 28)", arguments: [
        (Complexity.normal, false, 30, "2026-04-01"),
        (.complex, false, 45, "2026-04-16"),
        (.especiallyComplex, false, 45, "2026-04-16"),
        (.normal, true, 45, "2026-04-16"),
        // 60 days after Monday 2 March is Friday 1 May, a holiday: the deadline moves to Monday 4 May.
        (.complex, true, 60, "2026-05-04"),
    ])
    func complaintVariants(complexity: Complexity, remote: Bool, days: Int, expected: String) throws {
        #expect(policy.days(kind: .complaint, complexity: complexity, remote: remote) == days)
        #expect(try deadline(.complaint, complexity, remote: remote, from: "2026-03-02") == expected)
    }

    @Test("a calendar-day deadline landing inside Tết moves to the first working day after the break")
    func calendarDeadlineInsideTet() throws {
        // Friday 16 January 2026 + 30 days = Sunday 15 February, inside Tết Bính Ngọ (14–22 Feb).
        #expect(try deadline(.complaint, from: "2026-01-16") == "2026-02-23")
        #expect(try deadline(.denunciation, from: "2026-01-16") == "2026-02-23")
        // Landing on a working day keeps it: Monday 20 July + 30 = Wednesday 19 August.
        #expect(try deadline(.denunciation, from: "2026-07-20") == "2026-08-19")
    }

    @Test("recommendations and reports have 15 working days, skipping Tết", arguments: [PetitionKind.recommendation, .report])
    func workingDayKinds(kind: PetitionKind) throws {
        for complexity in Complexity.allCases {
            for remote in [false, true] {
                #expect(try deadline(kind, complexity, remote: remote, from: "2026-02-10") == "2026-03-10")
            }
        }
    }

    @Test("a deadline in a year without a holiday file is a no_calendar error")
    func deadlineNeedsCalendar() throws {
        #expect(throws: DomainError.noCalendar(year: 2028)) { try deadline(.complaint, from: "2027-12-15") }
        #expect(throws: DomainError.noCalendar(year: 2028)) { try deadline(.report, from: "2027-12-24") }
    }

    @Test("a complaint may not be extended")
    func complaintNoExtension() throws {
        let error = try #require(throws: DomainError.self) {
            try policy.extensionDeadline(kind: .complaint, complexity: .complex, current: Fixture.date("2026-04-16"),
                                         extensionsSoFar: 0, calendar: calendar)
        }
        #expect(error.code == "extension_not_allowed")
        #expect(error.message == "a complaint may not be extended")
    }

    @Test("a denunciation is extended by 30 days: never when normal, once when complex, twice when especially complex")
    func denunciationExtensions() throws {
        func extend(_ complexity: Complexity, _ current: String, sofar: Int) throws -> String {
            try policy.extensionDeadline(kind: .denunciation, complexity: complexity, current: Fixture.date(current),
                                         extensionsSoFar: sofar, calendar: calendar).description
        }
        #expect(throws: DomainError.extensionNotAllowed("a normal denunciation may not be extended")) {
            try extend(.normal, "2026-08-19", sofar: 0)
        }
        #expect(try extend(.complex, "2026-08-19", sofar: 0) == "2026-09-18")
        #expect(throws: DomainError.extensionNotAllowed("a complex denunciation may be extended at most once; it was extended 1 time")) {
            try extend(.complex, "2026-09-18", sofar: 1)
        }
        // Monday 3 August + 30 = Wednesday 2 September, Quốc khánh: moved to Thursday 3 September.
        #expect(try extend(.especiallyComplex, "2026-08-03", sofar: 0) == "2026-09-03")
        #expect(try extend(.especiallyComplex, "2026-09-03", sofar: 1) == "2026-10-05")
        #expect(throws: DomainError.extensionNotAllowed("an especially complex denunciation may be extended at most twice; it was extended 2 times")) {
            try extend(.especiallyComplex, "2026-10-05", sofar: 2)
        }
        #expect(throws: DomainError.invalidInput("extensionsSoFar", "must be 0 or more, got -1")) {
            try extend(.complex, "2026-08-19", sofar: -1)
        }
    }

    @Test("a recommendation may be extended once by 15 working days")
    func recommendationExtension() throws {
        let extended = try policy.extensionDeadline(kind: .recommendation, complexity: .normal, current: Fixture.date("2026-02-10"),
                                                    extensionsSoFar: 0, calendar: calendar)
        #expect(extended == Fixture.date("2026-03-10"))
        #expect(throws: DomainError.extensionNotAllowed("a normal recommendation may be extended at most once; it was extended 1 time")) {
            try policy.extensionDeadline(kind: .recommendation, complexity: .normal, current: extended, extensionsSoFar: 1, calendar: calendar)
        }
    }

    @Test("the limit is described in words for replies", arguments: [
        (PetitionKind.complaint, Complexity.complex, false, "45 calendar days (complaint, complex)"),
        (.complaint, .complex, true, "60 calendar days (complaint, complex, remote area)"),
        (.denunciation, .especiallyComplex, false, "30 calendar days (denunciation, especially complex)"),
        (.recommendation, .normal, false, "15 working days (recommendation, normal)"),
    ])
    func describe(kind: PetitionKind, complexity: Complexity, remote: Bool, expected: String) {
        #expect(policy.describe(kind: kind, complexity: complexity, remote: remote) == expected)
    }

    @Test("complexity values are written in snake_case")
    func complexityRawValues() {
        #expect(Complexity.allCases.map(\.rawValue) == ["normal", "complex", "especially_complex"])
        #expect(DayCounting.allCases.map(\.rawValue) == ["calendar_days", "working_days"])
    }
}
