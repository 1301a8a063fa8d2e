import PetitionDomain
import Testing

@Suite("Petition decider: the chair answers on-site")
struct PetitionAnswerTests {
    @Test("a submitted petition can be answered")
    func answerSubmitted() throws {
        let state = try Fixture.state(.submitted)
        let events = try Petition.decide(Fixture.answer(), id: Fixture.petitionId, state)
        guard case .answered(let e)? = events.first, events.count == 1 else {
            Issue.record("expected one answered event, got \(events)")
            return
        }
        #expect(e.petitionId == Fixture.petitionId)
        #expect(e.by == "Trần Thị Bình")
        #expect(e.answer == "UBND phường sẽ khảo sát và sửa chữa trong tháng 4.")
    }

    @Test("answering a petition that does not exist is refused with petition_not_found and says how to find ids")
    func answerMissing() throws {
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.answer(), id: "P000404", PetitionState())
        }
        #expect(error.code == "petition_not_found")
        #expect(error.message.contains("P000404"))
        #expect(error.message.contains("petitionctl outstanding"))
    }

    @Test("answering an answered, referred or resolved petition is refused with invalid_transition and a hint",
          arguments: [
              (PetitionStatus.answered, "it was already answered on-site"),
              (.referred, "it is resolved with `petitionctl resolve`"),
              (.resolved, "it is closed; reopen it first"),
          ])
    func answerInWrongStatus(status: PetitionStatus, hint: String) throws {
        let state = try Fixture.state(status)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.answer(), id: Fixture.petitionId, state)
        }
        #expect(error.code == "invalid_transition")
        #expect(error.message.hasPrefix("cannot answer petition \(Fixture.petitionId): it is \(status.rawValue); "))
        #expect(error.message.contains(hint), "\(error.message)")
    }

    @Test("an answer without who answered or without the answer is refused with invalid_input",
          arguments: [("by", Fixture.answer(by: " ")), ("answer", Fixture.answer(answer: ""))])
    func answerBlankField(field: String, command: PetitionCommand) throws {
        let state = try Fixture.state(.submitted)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(command, id: Fixture.petitionId, state)
        }
        #expect(error.code == "invalid_input")
        #expect(error.message == "\(field): must not be empty")
    }
}
