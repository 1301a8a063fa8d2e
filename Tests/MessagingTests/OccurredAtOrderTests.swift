import EventSourcing
import Foundation
@testable import Messaging
import PetitionDomain
import Testing

/// Minutes may be typed in late, but a command is never dated before what its petition already records: a referral
/// dated before its submission would run its deadline and its chain of hands backwards.
@Suite("a command's time is not before its petition's last recorded event")
struct OccurredAtOrderTests {
    @Test("a referral dated before the petition's submission (2000, or an hour before) is refused; one typed in late but after it is accepted")
    func referralBeforeSubmissionIsRefused() throws {
        let processor = try makeProcessor(InMemoryEventStore())
        _ = processor.handle(Requests.open("c1"), Requests.submit("c2")) // submitted at Requests.now, 19 March 08:30 in Vietnam
        for (id, at) in [("c3", "2000-01-01T08:00:00+07:00"), ("c4", "2026-03-19T07:30:00+07:00")] {
            let r = try reply(processor.handle(Requests.refer(id, at: Timestamp.parse(at))).replies[0])
            #expect(r.error?.code == "invalid_value", "\(at): \(r)")
            #expect(r.error?.message.contains("is before the last event of petition-P000001") == true, "\(r.error?.message ?? "")")
        }
        let late = try reply(processor.handle(Requests.refer("c5", at: Timestamp.parse("2026-03-19T09:00:00+07:00"))).replies[0])
        #expect(late.ok, "\(late)")
        // The processor's clock says 08:30: a resolution at that time, before the 09:00 referral, is refused too.
        let beforeReferral = try reply(processor.handle(Requests.resolve("c6")).replies[0])
        #expect(beforeReferral.error?.code == "invalid_value", "\(beforeReferral)")
    }

    @Test("the system's escalation, dated when it fell due, neither is refused nor holds back a resolution typed in late")
    func systemRecordsDoNotMoveTheClock() throws {
        let ids = SequentialIds()
        let processor = try CommandProcessor(store: InMemoryEventStore(), now: { Timestamp.parse("2026-05-01T08:00:00+07:00")! }, newId: { ids.make() })
        let at = Timestamp.parse("2026-03-19T08:00:00+07:00")
        var open = Requests.open("c1"), submit = Requests.submit("c2")
        open = CommandRequest(commandId: open.commandId, actor: open.actor, occurredAt: at, command: open.command)
        submit = CommandRequest(commandId: submit.commandId, actor: submit.actor, occurredAt: at, command: submit.command)
        _ = processor.handle(open, submit,
                             Requests.refer("c3", deadline: .date(LocalDate("2026-04-18")!), at: Timestamp.parse("2026-03-19T10:00:00+07:00")))
        let escalate = CommandRequest(commandId: "c4", actor: Actor(id: "petition-escalator", role: .system),
                                      occurredAt: Timestamp.parse("2026-04-15T00:00:00+07:00"),
                                      Commands.Escalate(petitionId: "P000001", level: .warning, deadline: LocalDate("2026-04-18")!,
                                                        due: LocalDate("2026-04-15")!, recipient: "Chủ tịch UBND xã"))
        #expect(try reply(processor.handle(escalate).replies[0]).ok)
        let resolve = CommandRequest(commandId: "c5", actor: Actor(id: "nong-nghiep", role: .departmentOfficer, department: "Phòng Nông nghiệp"),
                                     occurredAt: Timestamp.parse("2026-04-01T10:00:00+07:00"),
                                     Commands.Resolve(petitionId: "P000001", by: "Lê Văn Cường", resolution: "Đã nạo vét"))
        let r = try reply(processor.handle(resolve).replies[0])
        #expect(r.ok, "resolved on 1 April, typed in after the 15 April warning: \(r)")
    }

    @Test("minutes typed in a week later are dated at their conference: a petition and its on-site answer without a time take the session's; a time before the session opened is refused")
    func minutesTypedInLaterAreDatedAtTheConference() throws {
        let ids = SequentialIds()
        let conference = Timestamp.parse("2026-03-19T08:00:00+07:00")!
        let store = InMemoryEventStore()
        let processor = try CommandProcessor(store: store, now: { Timestamp.parse("2026-03-26T16:00:00+07:00")! }, newId: { ids.make() })
        let open = Requests.open("c1")
        _ = processor.handle(CommandRequest(commandId: open.commandId, actor: open.actor, occurredAt: conference, command: open.command))
        let submitted = try reply(processor.handle(Requests.submit("c2")).replies[0])
        #expect(submitted.ok, "\(submitted)")
        let answer = CommandRequest(commandId: "c3", actor: Actor(id: "chair-01", role: .chair), occurredAt: nil,
                                    Commands.Answer(petitionId: "P000001", by: "Trần Văn A", answer: "Đã trả lời tại hội nghị"))
        #expect(try reply(processor.handle(answer).replies[0]).ok)
        let submit = CommandRequest(commandId: "c4", actor: Actor(id: "clerk-01", role: .clerk), occurredAt: Timestamp.parse("2026-03-18T08:00:00+07:00"),
                                    Commands.Submit(sessionId: "S000001", kind: .report, category: .land, content: "Đất",
                                                    citizen: PersonalData(name: "Nguyễn Văn B")))
        let early = try reply(processor.handle(submit).replies[0])
        #expect(early.error?.code == "invalid_value" && early.error?.message.contains("before session S000001 opened") == true, "\(early)")
        let times = try store.read(from: 1, limit: 10).map { ($0.type, $0.occurredAt) }
        #expect(times.map(\.0) == ["session.opened.v3", "petition.submitted.v3", "petition.answered.v1"])
        #expect(times.allSatisfy { $0.1 == conference }, "typed in on 26 March, dated at the 19 March conference: \(times)")
    }
}
