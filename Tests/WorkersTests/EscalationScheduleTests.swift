import EventSourcing
import Foundation
import PetitionDomain
import Testing
import Workers

@Suite("EscalationSchedule: which rung of the ladder falls due when")
struct EscalationScheduleTests {
    static let unit = "Xã Vũ Hội"
    static func at(_ text: String) -> Int64 { Timestamp.parseMillis(text)! }
    static func day(_ text: String) -> LocalDate { LocalDate(text)! }

    static func schedule(warning: Int = 3, grace: Int = 5) -> EscalationSchedule {
        var settings = UnitSettings()
        settings.warningDaysBefore = warning
        settings.graceDays = grace
        settings.chair = "Nguyễn Văn Chủ"
        settings.parent = "Huyện Vũ Thư"
        return EscalationSchedule(directory: UnitDirectory(defaults: UnitSettings(), units: [unit: settings]))
    }

    static func referred(_ s: EscalationSchedule, _ id: String, deadline: String) {
        s.apply(.petition(.submitted(PetitionSubmitted(petitionId: id, sessionId: "S1", unit: unit, kind: .recommendation, category: .land,
                                                       content: "c", citizen: SealedPersonalData(personId: "p", sealed: "s")))))
        s.apply(.petition(.referred(PetitionReferred(petitionId: id, department: "Phòng TN&MT", assignee: "Lê Văn C", by: "chair",
                                                     deadline: day(deadline)))))
    }

    @Test("warning at the start of the day 3 days before, overdue when the deadline day ends, escalation 5 days later, in Vietnam's time")
    func ladderTimes() {
        let s = Self.schedule()
        Self.referred(s, "P1", deadline: "2026-04-10")
        #expect(s.due(at: Self.at("2026-04-06T23:59:59+07:00")).isEmpty)
        let warning = s.due(at: Self.at("2026-04-07T00:00:00+07:00"))
        #expect(warning.map(\.level) == [.warning])
        #expect(warning.first?.recipient == "Lê Văn C (Phòng TN&MT)")
        #expect(warning.first?.commandId == "esc:P1:warning:2026-04-10")
        #expect(s.due(at: Self.at("2026-04-10T23:59:59+07:00")).isEmpty, "the deadline day itself is still on time")
        let overdue = s.due(at: Self.at("2026-04-11T00:00:00+07:00"))
        #expect(overdue.map(\.level) == [.overdue])
        #expect(overdue.first?.recipient == "Chủ tịch UBND Xã Vũ Hội (Nguyễn Văn Chủ)")
        #expect(overdue.first?.due == Self.day("2026-04-11"))
        #expect(s.due(at: Self.at("2026-04-15T23:59:00+07:00")).isEmpty)
        let escalated = s.due(at: Self.at("2026-04-16T00:00:00+07:00"))
        #expect(escalated.map(\.level) == [.escalated])
        #expect(escalated.first?.recipient == "Chủ tịch UBND Huyện Vũ Thư")
        #expect(s.due(at: Self.at("2027-01-01T00:00:00Z")).isEmpty, "each rung once")
    }

    @Test("a warning names the holding department as the registry names it now: a rename after the referral shows")
    func warningNamesARenamedDepartmentByItsNewName() {
        let s = Self.schedule()
        s.apply(.petition(.submitted(PetitionSubmitted(petitionId: "P1", sessionId: "S1", unit: Self.unit, kind: .recommendation, category: .land,
                                                       content: "c", citizen: SealedPersonalData(personId: "p", sealed: "s")))))
        s.apply(.petition(.referred(PetitionReferred(petitionId: "P1", department: "Phòng Tài nguyên và Môi trường", assignee: "Lê Văn C", by: "chair",
                                                     deadline: Self.day("2026-04-10"), departmentRef: "26734/TNMT"))))
        s.apply(.registry(.departmentRenamed(DepartmentRenamed(unit: "26734", code: "TNMT", name: "Phòng Nông nghiệp và Môi trường"))))
        s.apply(.registry(.departmentRenamed(DepartmentRenamed(unit: "26737", code: "TNMT", name: "Phòng khác"))))
        #expect(s.due(at: Self.at("2026-04-07T00:00:00+07:00")).first?.recipient == "Lê Văn C (Phòng Nông nghiệp và Môi trường)")
    }

    @Test("after a long outage every missed rung comes out at once, in ladder order")
    func catchUpAfterOutage() {
        let s = Self.schedule()
        Self.referred(s, "P1", deadline: "2026-04-10")
        #expect(s.due(at: Self.at("2026-06-01T00:00:00Z")).map(\.level) == [.warning, .overdue, .escalated])
    }

    @Test("rungs raised before a restart (seen in history) are not raised again")
    func raisedInHistoryNotRepeated() {
        let s = Self.schedule()
        Self.referred(s, "P1", deadline: "2026-04-10")
        for level in [EscalationLevel.warning, .overdue] {
            s.apply(.petition(.escalated(PetitionEscalated(petitionId: "P1", level: level, deadline: Self.day("2026-04-10"), due: Self.day("2026-04-07"),
                                                           unit: Self.unit, department: "d", assignee: "a", recipient: "r"))))
        }
        #expect(s.due(at: Self.at("2026-06-01T00:00:00Z")).map(\.level) == [.escalated])
    }

    @Test("resolving, withdrawing or merging cancels what is no longer due")
    func closingCancels() {
        let s = Self.schedule()
        for id in ["P1", "P2", "P3"] { Self.referred(s, id, deadline: "2026-04-10") }
        s.apply(.petition(.resolved(PetitionResolved(petitionId: "P1", by: "b", resolution: "r"))))
        s.apply(.petition(.withdrawn(PetitionWithdrawn(petitionId: "P2", by: "b", reason: "r"))))
        s.apply(.petition(.merged(PetitionMerged(petitionId: "P3", into: "P9", by: "b", reason: "r"))))
        #expect(s.due(at: Self.at("2026-06-01T00:00:00Z")).isEmpty)
        #expect(s.heldCount == 0)
    }

    @Test("an extension moves the ladder to the new deadline; rungs of the old one are dropped")
    func extensionMovesLadder() {
        let s = Self.schedule()
        Self.referred(s, "P1", deadline: "2026-04-10")
        #expect(s.due(at: Self.at("2026-04-07T00:00:00+07:00")).map(\.level) == [.warning])
        s.apply(.petition(.extended(PetitionExtended(petitionId: "P1", by: "c", approver: "a", decision: "QĐ 1", previousDeadline: Self.day("2026-04-10"),
                                                     deadline: Self.day("2026-05-10"), extensionNumber: 1))))
        #expect(s.due(at: Self.at("2026-04-12T00:00:00+07:00")).isEmpty, "not overdue against the old deadline")
        let next = s.due(at: Self.at("2026-05-07T00:00:00+07:00"))
        #expect(next.map(\.level) == [.warning])
        #expect(next.first?.deadline == Self.day("2026-05-10"))
    }

    @Test("a reassignment sends the next warning to the new holder")
    func reassignmentChangesRecipient() {
        let s = Self.schedule()
        Self.referred(s, "P1", deadline: "2026-04-10")
        s.apply(.petition(.reassigned(PetitionReassigned(petitionId: "P1", fromDepartment: "Phòng TN&MT", fromAssignee: "Lê Văn C",
                                                         department: "Phòng Kinh tế", assignee: "Đỗ Thị D", by: "c", reason: "r"))))
        #expect(s.due(at: Self.at("2026-04-07T00:00:00+07:00")).first?.recipient == "Đỗ Thị D (Phòng Kinh tế)")
    }

    @Test("a rung whose command did not land comes back when retried")
    func retryRequeues() {
        let s = Self.schedule()
        Self.referred(s, "P1", deadline: "2026-04-10")
        let first = s.due(at: Self.at("2026-04-07T00:00:00+07:00"))
        #expect(first.count == 1)
        s.retry(first[0], at: Self.at("2026-04-07T00:00:02+07:00"))
        #expect(s.due(at: Self.at("2026-04-07T00:00:01+07:00")).isEmpty)
        #expect(s.due(at: Self.at("2026-04-07T00:00:02+07:00")) == first.map { d in
            var d = d
            d.dueAt = Self.at("2026-04-07T00:00:02+07:00")
            return d
        })
    }

    @Test("with warnings turned off (0 days) the first rung is the overdue alert")
    func warningsOff() {
        let s = Self.schedule(warning: 0)
        Self.referred(s, "P1", deadline: "2026-04-10")
        #expect(s.due(at: Self.at("2026-04-11T00:00:00+07:00")).map(\.level) == [.overdue])
    }

    @Test("the heap holds at most one live rung per open petition, so a tick's cost does not grow with them")
    func oneEntryPerPetition() {
        let s = Self.schedule()
        for i in 0..<1000 { Self.referred(s, "P\(i)", deadline: "2026-04-10") }
        #expect(s.queued == 1000)
        #expect(s.due(at: Self.at("2026-04-01T00:00:00Z")).isEmpty)
        #expect(s.nextDueAt == Self.at("2026-04-07T00:00:00+07:00"))
    }
}
