import EventSourcing
import Foundation
import PetitionDomain

/// Shared inputs for the domain tests: a session, a citizen, and petitions in every status.
enum Fixture {
    static let petitionId = "P000001"
    static let sessionId = "S000001"

    static let opened = SessionOpened(sessionId: sessionId, unit: "Phường Bến Nghé, Quận 1",
                                      title: "Hội nghị đối thoại với Nhân dân quý I/2026", chair: "Trần Thị Bình")
    static let session = SessionState(opened: opened)
    static let citizen = SealedPersonalData(personId: "person-0001", sealed: "c2VhbGVkLWJ5LXRoZS12YXVsdA==")
    static let content = "Đề nghị sửa chữa tuyến đường liên xã bị xuống cấp, ngập nước mỗi khi mưa lớn."

    /// An instant from RFC 3339 text.
    static func instant(_ text: String) -> Date {
        guard let date = Timestamp.parse(text) else { fatalError("bad test instant \(text)") }
        return date
    }

    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("bad test date \(text)") }
        return date
    }

    /// 2026-03-19 15:00 in Vietnam.
    static let referralInstant = instant("2026-03-19T08:00:00Z")

    static func submit(content: String = content, session: SessionState = session) -> PetitionCommand {
        .submit(petitionId: petitionId, sessionId: sessionId, session: session, kind: .recommendation,
                category: .transport, content: content, citizen: citizen)
    }

    static func answer(by: String = "Trần Thị Bình", answer: String = "UBND phường sẽ khảo sát và sửa chữa trong tháng 4.") -> PetitionCommand {
        .answer(by: by, answer: answer)
    }

    static func refer(department: String = "Phòng Quản lý đô thị", assignee: String = "Lê Văn Cường",
                      by: String = "Trần Thị Bình", deadline: DeadlineRule = .days(30),
                      complexity: Complexity = .normal, at occurredAt: Date = referralInstant) -> PetitionCommand {
        .refer(department: department, assignee: assignee, by: by, deadline: deadline, complexity: complexity,
               occurredAt: occurredAt, context: context)
    }

    /// The standard policy on the shipped calendar, not a remote area.
    static let context = DeadlineContext(policy: .standard, calendar: DefaultHolidays.calendar)

    /// A petition that can carry a duplicate on.
    static let carrier: PetitionState = {
        var s = PetitionState()
        s.petitionId = "P000002"
        s.status = .submitted
        return s
    }()

    static func resolve(by: String = "Lê Văn Cường", resolution: String = "Đã trải nhựa lại 800 m đường và nạo vét cống thoát nước.") -> PetitionCommand {
        .resolve(by: by, resolution: resolution)
    }

    /// The commands that bring a petition from nothing to `status`.
    static func commands(to status: PetitionStatus) -> [PetitionCommand] {
        switch status {
        case .none: []
        case .submitted: [submit()]
        case .answered: [submit(), answer()]
        case .referred: [submit(), refer()]
        case .resolved: [submit(), refer(), resolve()]
        case .reopened: [submit(), answer(), .feedback(satisfied: false, comment: "Chưa thỏa đáng", by: "clerk")]
        case .withdrawn: [submit(), .withdraw(by: "clerk", reason: "Công dân rút đơn")]
        case .merged: [submit(), .merge(into: "P000002", target: carrier, by: "chair", reason: "Trùng nội dung")]
        }
    }

    /// The events of a petition that reached `status`, each decided on the state before it.
    static func history(to status: PetitionStatus) throws -> [PetitionEvent] {
        var state = PetitionState()
        var events: [PetitionEvent] = []
        for command in commands(to: status) {
            let new = try Petition.decide(command, id: petitionId, state)
            events += new
            state = new.reduce(state, Petition.evolve)
        }
        return events
    }

    /// The state of a petition that reached `status`.
    static func state(_ status: PetitionStatus) throws -> PetitionState {
        Petition.fold(try history(to: status))
    }
}
