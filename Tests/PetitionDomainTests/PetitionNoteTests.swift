import PetitionDomain
import Testing

@Suite("Petition decider: notes on a petition")
struct PetitionNoteTests {
    static let every: [PetitionStatus] = [.submitted, .answered, .referred, .resolved, .reopened, .withdrawn, .merged]

    @Test("a note can be written on a petition of any status and changes nothing else", arguments: every)
    func noteChangesNothing(status: PetitionStatus) throws {
        let state = try Fixture.state(status)
        let events = try Petition.AddNote(by: "Thư ký", text: "Đã gọi điện cho công dân").decide(Fixture.petitionId, state)
        #expect(events == [.noteAdded(PetitionNoteAdded(petitionId: Fixture.petitionId, by: "Thư ký", text: "Đã gọi điện cho công dân"))])
        #expect(events.reduce(state, Petition.evolve) == state)
        #expect(events[0].summary == "ghi chú của Thư ký: Đã gọi điện cho công dân")
    }

    @Test("a note on a petition that does not exist, or an empty one, is refused")
    func refused() throws {
        #expect(throws: DomainError.self) { try Petition.decide(("P404", Petition.AddNote(by: "Thư ký", text: "x")), PetitionState()) }
        #expect(throws: DomainError.self) { try Petition.AddNote(by: "Thư ký", text: " \t").decide(Fixture.petitionId, try Fixture.state(.submitted)) }
    }
}
