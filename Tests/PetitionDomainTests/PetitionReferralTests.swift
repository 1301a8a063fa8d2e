import EventSourcing
import Foundation
import PetitionDomain
import Testing

@Suite("Petition decider: referring to a department with a deadline")
struct PetitionReferralTests {
    func referred(_ command: PetitionCommand) throws -> PetitionReferred {
        let events = try Petition.decide(command, id: Fixture.petitionId, try Fixture.state(.submitted))
        guard case .referred(let e)? = events.first, events.count == 1 else {
            throw ReferralTestFailure(description: "expected one referred event, got \(events)")
        }
        return e
    }

    @Test("a submitted petition referred for N days gets department, assignee and a deadline N days after the referral day")
    func referWithDays() throws {
        let e = try referred(Fixture.refer(deadline: .days(30)))
        #expect(e.petitionId == Fixture.petitionId)
        #expect(e.department == "Phòng Quản lý đô thị")
        #expect(e.assignee == "Lê Văn Cường")
        #expect(e.by == "Trần Thị Bình")
        // 2026-03-19 15:00 in Vietnam + 30 days.
        #expect(e.deadline == Fixture.date("2026-04-18"))
    }

    @Test("a submitted petition referred with an explicit date keeps that date as its deadline")
    func referWithDate() throws {
        let e = try referred(Fixture.refer(deadline: .date(Fixture.date("2026-05-15"))))
        #expect(e.deadline == Fixture.date("2026-05-15"))
    }

    @Test("the deadline counts from the referral's local date in Vietnam (UTC+7), not the UTC date")
    func daysCountFromVietnameseDate() throws {
        // 21:30 UTC on 19 March is already 04:30 on 20 March in Hà Nội.
        let lateEveningUTC = Fixture.instant("2026-03-19T21:30:00Z")
        let e = try referred(Fixture.refer(deadline: .days(1), at: lateEveningUTC))
        #expect(e.deadline == Fixture.date("2026-03-21"))
        // One minute before local midnight it is still 19 March.
        let beforeMidnight = Fixture.instant("2026-03-19T16:59:00Z")
        #expect(try referred(Fixture.refer(deadline: .days(1), at: beforeMidnight)).deadline == Fixture.date("2026-03-20"))
    }

    @Test("days crossing month, year and a leap day land on the right calendar date",
          arguments: [
              ("2026-12-20T03:00:00Z", 15, "2027-01-04"),
              ("2028-02-28T03:00:00Z", 1, "2028-02-29"),
              ("2027-02-28T03:00:00Z", 1, "2027-03-01"),
              ("2026-01-31T03:00:00Z", 3660, "2036-02-08"),
          ])
    func daysAcrossCalendarBoundaries(at: String, days: Int, expected: String) throws {
        let e = try referred(Fixture.refer(deadline: .days(days), at: Fixture.instant(at)))
        #expect(e.deadline == Fixture.date(expected))
    }

    @Test("an explicit deadline before the referral day is refused with deadline_before_referral, using Vietnam's date")
    func dateBeforeReferralDay() throws {
        // Referral at 21:30 UTC on 19 March = 20 March in Vietnam: the 19th is already past.
        let lateEveningUTC = Fixture.instant("2026-03-19T21:30:00Z")
        let error = try #require(throws: DomainError.self) {
            try referred(Fixture.refer(deadline: .date(Fixture.date("2026-03-19")), at: lateEveningUTC))
        }
        #expect(error.code == "deadline_before_referral")
        #expect(error.message == "deadline 2026-03-19 is before the referral date 2026-03-20; give a later deadline")
    }

    @Test("an explicit deadline on the referral day itself is allowed")
    func dateOnReferralDay() throws {
        let lateEveningUTC = Fixture.instant("2026-03-19T21:30:00Z")
        let e = try referred(Fixture.refer(deadline: .date(Fixture.date("2026-03-20")), at: lateEveningUTC))
        #expect(e.deadline == Fixture.date("2026-03-20"))
    }

    @Test("a number of days below 1 is refused with invalid_input naming days", arguments: [0, -1, -30])
    func nonPositiveDays(days: Int) throws {
        let error = try #require(throws: DomainError.self) { try referred(Fixture.refer(deadline: .days(days))) }
        #expect(error.code == "invalid_input")
        #expect(error.message == "days: must be at least 1, got \(days)")
    }

    @Test("more than 3660 days is refused with invalid_input; 3660 is allowed")
    func tooManyDays() throws {
        #expect(try referred(Fixture.refer(deadline: .days(3660))).deadline == Fixture.date("2036-03-26"))
        let error = try #require(throws: DomainError.self) { try referred(Fixture.refer(deadline: .days(3661))) }
        #expect(error.code == "invalid_input")
        #expect(error.message == "days: must be at most 3660, got 3661")
    }

    @Test("referring a petition that does not exist is refused with petition_not_found")
    func referMissing() throws {
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.refer(), id: "P000404", PetitionState())
        }
        #expect(error.code == "petition_not_found")
        #expect(error.message.contains("P000404"))
    }

    @Test("referring an answered, referred or resolved petition is refused with invalid_transition and a hint",
          arguments: [
              (PetitionStatus.answered, "it was answered on-site"),
              (.referred, "it is already held by Phòng Quản lý đô thị; use `petitionctl reassign`"),
              (.resolved, "it is closed"),
          ])
    func referInWrongStatus(status: PetitionStatus, hint: String) throws {
        let state = try Fixture.state(status)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.refer(), id: Fixture.petitionId, state)
        }
        #expect(error.code == "invalid_transition")
        #expect(error.message.hasPrefix("cannot refer petition \(Fixture.petitionId): it is \(status.rawValue); "))
        #expect(error.message.contains(hint), "\(error.message)")
    }

    @Test("the status check comes before the deadline check: a closed petition is never told its days are wrong")
    func statusBeforeDeadline() throws {
        let state = try Fixture.state(.resolved)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.refer(deadline: .days(0)), id: Fixture.petitionId, state)
        }
        #expect(error.code == "invalid_transition")
    }

    @Test("a referral without department, assignee or who referred is refused with invalid_input naming the field",
          arguments: [
              ("department", Fixture.refer(department: "")),
              ("assignee", Fixture.refer(assignee: " ")),
              ("by", Fixture.refer(by: "\n")),
          ])
    func referBlankField(field: String, command: PetitionCommand) throws {
        let error = try #require(throws: DomainError.self) { try referred(command) }
        #expect(error.code == "invalid_input")
        #expect(error.message == "\(field): must not be empty")
    }
}

struct ReferralTestFailure: Error, CustomStringConvertible {
    var description: String
}
