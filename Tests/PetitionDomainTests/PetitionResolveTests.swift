import PetitionDomain
import Testing

@Suite("Petition decider: the holding department resolves a referral")
struct PetitionResolveTests {
    @Test("a referred petition can be resolved")
    func resolveReferred() throws {
        let state = try Fixture.state(.referred)
        let events = try Petition.decide(Fixture.resolve(), id: Fixture.petitionId, state)
        guard case .resolved(let e)? = events.first, events.count == 1 else {
            Issue.record("expected one resolved event, got \(events)")
            return
        }
        #expect(e.petitionId == Fixture.petitionId)
        #expect(e.by == "Lê Văn Cường")
        #expect(e.resolution == "Đã trải nhựa lại 800 m đường và nạo vét cống thoát nước.")
    }

    @Test("resolving a petition that does not exist is refused with petition_not_found")
    func resolveMissing() throws {
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.resolve(), id: "P000404", PetitionState())
        }
        #expect(error.code == "petition_not_found")
        #expect(error.message.contains("P000404"))
    }

    @Test("resolving a submitted, answered or resolved petition is refused with invalid_transition and a hint",
          arguments: [
              (PetitionStatus.submitted, "it waits for an on-site answer or a referral"),
              (.answered, "it was answered on-site"),
              (.resolved, "it was already resolved"),
          ])
    func resolveInWrongStatus(status: PetitionStatus, hint: String) throws {
        let state = try Fixture.state(status)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(Fixture.resolve(), id: Fixture.petitionId, state)
        }
        #expect(error.code == "invalid_transition")
        #expect(error.message.hasPrefix("cannot resolve petition \(Fixture.petitionId): it is \(status.rawValue); "))
        #expect(error.message.contains(hint), "\(error.message)")
    }

    @Test("a resolution without who resolved or without the resolution is refused with invalid_input",
          arguments: [("by", Fixture.resolve(by: "")), ("resolution", Fixture.resolve(resolution: "  "))])
    func resolveBlankField(field: String, command: PetitionCommand) throws {
        let state = try Fixture.state(.referred)
        let error = try #require(throws: DomainError.self) {
            try Petition.decide(command, id: Fixture.petitionId, state)
        }
        #expect(error.code == "invalid_input")
        #expect(error.message == "\(field): must not be empty")
    }
}
