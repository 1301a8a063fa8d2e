import EventSourcing
import PetitionDomain
import Testing

@Suite("Petition evolve: folding a petition's history into its state")
struct PetitionEvolveTests {
    @Test("a petition with no history does not exist")
    func emptyHistory() {
        let state = Petition.fold([PetitionEvent]())
        #expect(state.status == .none)
        #expect(state.petitionId == nil)
        #expect(state == Petition.initialState)
    }

    @Test("after submission the petition is submitted, known by its id, and held by no department")
    func afterSubmission() throws {
        let state = try Fixture.state(.submitted)
        #expect(state.status == .submitted)
        #expect(state.petitionId == Fixture.petitionId)
        #expect(state.department == nil)
        #expect(state.assignee == nil)
        #expect(state.deadline == nil)
    }

    @Test("after an on-site answer the petition is answered")
    func afterAnswer() throws {
        let state = try Fixture.state(.answered)
        #expect(state.status == .answered)
        #expect(state.department == nil)
    }

    @Test("after a referral the petition is referred and remembers department, assignee and deadline")
    func afterReferral() throws {
        let state = try Fixture.state(.referred)
        #expect(state.status == .referred)
        #expect(state.department == "Phòng Quản lý đô thị")
        #expect(state.assignee == "Lê Văn Cường")
        #expect(state.deadline == Fixture.date("2026-04-18"))
    }

    @Test("after resolution the petition is resolved and still remembers who held it")
    func afterResolution() throws {
        let state = try Fixture.state(.resolved)
        #expect(state.status == .resolved)
        #expect(state.department == "Phòng Quản lý đô thị")
        #expect(state.deadline == Fixture.date("2026-04-18"))
    }

    @Test("fold gives the same state as applying evolve one event at a time")
    func foldIsRepeatedEvolve() throws {
        let history = try Fixture.history(to: .resolved)
        var state = PetitionState()
        for event in history { state = Petition.evolve(state, event) }
        #expect(Petition.fold(history) == state)
    }

    @Test("only submitted and referred petitions are outstanding",
          arguments: [(PetitionStatus.none, false), (.submitted, true), (.answered, false), (.referred, true), (.resolved, false)])
    func outstandingStatuses(status: PetitionStatus, outstanding: Bool) {
        #expect(status.isOutstanding == outstanding)
    }
}
