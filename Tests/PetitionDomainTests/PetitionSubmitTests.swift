import EventSourcing
import Foundation
import PetitionDomain
import Testing

@Suite("Petition decider: submitting a citizen's petition")
struct PetitionSubmitTests {
    @Test("a petition raised at an open session is submitted with the session's id and unit")
    func submitToOpenSession() throws {
        let events = try Petition.decide(Fixture.submit(), id: Fixture.petitionId, PetitionState())
        guard case .submitted(let e)? = events.first, events.count == 1 else {
            Issue.record("expected one submitted event, got \(events)")
            return
        }
        #expect(e.petitionId == Fixture.petitionId)
        #expect(e.sessionId == Fixture.sessionId)
        #expect(e.unit == Fixture.opened.unit)
        #expect(e.kind == .recommendation)
        #expect(e.category == .transport)
        #expect(e.content == Fixture.content)
        #expect(e.citizen == Fixture.citizen)
    }

    @Test("a petition for a session that was never opened is refused with session_not_found and says how to open it")
    func submitToMissingSession() throws {
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.submit(session: SessionState()), id: Fixture.petitionId, PetitionState())
        }
        #expect(error.code == "session_not_found")
        #expect(error.message.contains(Fixture.sessionId))
        #expect(error.message.contains("petitionctl session open"))
    }

    @Test("submitting a petition id that already exists is refused with petition_already_exists",
          arguments: [PetitionStatus.submitted, .answered, .referred, .resolved])
    func submitExistingPetition(status: PetitionStatus) throws {
        let state = try Fixture.state(status)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.submit(), id: Fixture.petitionId, state)
        }
        #expect(error.code == "petition_already_exists")
        #expect(error.message.contains(Fixture.petitionId))
    }

    @Test("a petition with empty or blank content is refused with invalid_input naming content",
          arguments: ["", " ", "\n\n", "\u{3000}"])
    func submitEmptyContent(content: String) throws {
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.submit(content: content), id: Fixture.petitionId, PetitionState())
        }
        #expect(error.code == "invalid_input")
        #expect(error.message == "content: must not be empty")
    }

    @Test("content of exactly 10,000 characters is accepted, one more is refused")
    func contentLengthLimit() throws {
        let atLimit = String(repeating: "đ", count: 10_000)
        #expect(try Petition.decide(Fixture.submit(content: atLimit), id: Fixture.petitionId, PetitionState()).count == 1)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.submit(content: atLimit + "đ"), id: Fixture.petitionId, PetitionState())
        }
        #expect(error.code == "invalid_input")
        #expect(error.message.hasPrefix("content:"))
    }

    @Test("the generic decider gives the same decision as Petition.decide")
    func deciderWrapsDecide() throws {
        let viaDecider = try Petition.decide((Fixture.petitionId, Fixture.submit()), PetitionState())
        let direct = try Petition.decide(Fixture.submit(), id: Fixture.petitionId, PetitionState())
        #expect(viaDecider == direct)
    }
}
