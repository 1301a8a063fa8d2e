import EventSourcing
import PetitionDomain
import Testing

@Suite("Session decider: opening the minutes of a dialogue conference")
struct SessionDeciderTests {
    let command = OpenSession(sessionId: "S000001", unit: "Xã Tân Phú, huyện Đồng Phú",
                              title: "Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân", chair: "Nguyễn Thị Hoa")

    @Test("a session that does not exist yet can be opened, keeping unit, title and chair")
    func openingANewSessionRecordsItExactly() throws {
        let events = try Session.decide(command, SessionState())
        #expect(events == [.opened(SessionOpened(sessionId: "S000001", unit: "Xã Tân Phú, huyện Đồng Phú",
                                                  title: "Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân",
                                                  chair: "Nguyễn Thị Hoa"))])
    }

    @Test("opening a session that is already open is refused with session_already_exists")
    func openingAnOpenSessionIsRefused() throws {
        let state = Session.fold(try Session.decide(command, SessionState()))
        let error = try #require(throws: DomainError.self) { try Session.decide(command, state) }
        #expect(error.code == "session_already_exists")
        #expect(error.message.contains("S000001"))
        #expect(error.message.contains("already open"))
    }

    @Test("an empty or blank unit, title or chair is refused with invalid_input naming the field",
          arguments: ["unit", "title", "chair"], ["", "   ", "\n\t "])
    func blankRequiredFieldIsRefused(field: String, blank: String) throws {
        var command = command
        switch field {
        case "unit": command.unit = blank
        case "title": command.title = blank
        default: command.chair = blank
        }
        let error = try #require(throws: DomainError.self) { try Session.decide(command, SessionState()) }
        #expect(error.code == "invalid_input")
        #expect(error.message == "\(field): must not be empty")
    }

    @Test("a text longer than 10,000 characters is refused with invalid_input")
    func overlongTitleIsRefused() throws {
        var command = command
        command.title = String(repeating: "ạ", count: 10_001)
        let error = try #require(throws: DomainError.self) { try Session.decide(command, SessionState()) }
        #expect(error.code == "invalid_input")
        #expect(error.message.hasPrefix("title:"))
    }

    @Test("folding a session's history gives a session that exists with its opening data")
    func evolveKeepsTheOpening() throws {
        #expect(!Session.initialState.exists)
        let events = try Session.decide(command, SessionState())
        let state = Session.fold(events)
        #expect(state.exists)
        #expect(state.opened?.sessionId == "S000001")
        #expect(state.opened?.chair == "Nguyễn Thị Hoa")
    }
}
