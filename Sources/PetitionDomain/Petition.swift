import EventSourcing
import Foundation

/// What the domain knows of a petition: enough to decide the next command.
public struct PetitionState: Hashable, Sendable {
    public var petitionId: String?
    public var status: PetitionStatus = .none
    public var department: String?
    public var assignee: String?
    public var deadline: LocalDate?

    public init() {}
}

/// The petition decider: the table of valid transitions (README, "Petition lifecycle").
public enum Petition {
    public static let category = "petition"

    public static let decider = Decider<(String, PetitionCommand), PetitionState, PetitionEvent, DomainError>(
        initialState: PetitionState(),
        decide: { (pair: (String, PetitionCommand), state: PetitionState) throws(DomainError) -> [PetitionEvent] in
            try decide(pair.1, id: pair.0, state)
        },
        evolve: evolve
    )

    /// Decides `command` for petition `id` in `state`.
    public static func decide(_ command: PetitionCommand, id: String, _ state: PetitionState) throws(DomainError) -> [PetitionEvent] {
        switch command {
        case let .submit(petitionId, sessionId, session, kind, category, content, citizen):
            guard state.status == .none else { throw .petitionAlreadyExists(id) }
            guard let opened = session.opened else { throw .sessionNotFound(sessionId) }
            try require(content, "content")
            return [.submitted(PetitionSubmitted(petitionId: petitionId, sessionId: opened.sessionId, unit: opened.unit,
                                                 kind: kind, category: category, content: content, citizen: citizen))]

        case let .answer(by, answer):
            switch state.status {
            case .submitted: break
            case .none: throw .petitionNotFound(id)
            case .answered: throw .invalidTransition(id, "answer", status: .answered, hint: "it was already answered on-site")
            case .referred: throw .invalidTransition(id, "answer", status: .referred, hint: "the holding department resolves it with `petitionctl resolve`")
            case .resolved: throw .invalidTransition(id, "answer", status: .resolved, hint: "it is closed")
            }
            try require(by, "by")
            try require(answer, "answer")
            return [.answered(PetitionAnswered(petitionId: id, by: by, answer: answer))]

        case let .refer(department, assignee, by, rule, occurredAt):
            switch state.status {
            case .submitted: break
            case .none: throw .petitionNotFound(id)
            case .answered: throw .invalidTransition(id, "refer", status: .answered, hint: "it was answered on-site")
            case .referred: throw .invalidTransition(id, "refer", status: .referred, hint: "it is already held by \(state.department ?? "a department")")
            case .resolved: throw .invalidTransition(id, "refer", status: .resolved, hint: "it is closed")
            }
            try require(department, "department")
            try require(assignee, "assignee")
            try require(by, "by")
            let referralDay = LocalDate(containing: occurredAt)
            let deadline: LocalDate
            switch rule {
            case .days(let n):
                guard n > 0 else { throw .invalidInput("days", "must be at least 1, got \(n)") }
                guard n <= 3660 else { throw .invalidInput("days", "must be at most 3660, got \(n)") }
                deadline = referralDay.adding(days: n)
            case .date(let date):
                guard date >= referralDay else { throw .deadlineBeforeReferral(deadline: date, referral: referralDay) }
                deadline = date
            }
            return [.referred(PetitionReferred(petitionId: id, department: department, assignee: assignee, by: by, deadline: deadline))]

        case let .resolve(by, resolution):
            switch state.status {
            case .referred: break
            case .none: throw .petitionNotFound(id)
            case .submitted: throw .invalidTransition(id, "resolve", status: .submitted, hint: "answer it on-site or refer it to a department first")
            case .answered: throw .invalidTransition(id, "resolve", status: .answered, hint: "it was answered on-site")
            case .resolved: throw .invalidTransition(id, "resolve", status: .resolved, hint: "it was already resolved")
            }
            try require(by, "by")
            try require(resolution, "resolution")
            return [.resolved(PetitionResolved(petitionId: id, by: by, resolution: resolution))]
        }
    }

    public static func evolve(_ state: PetitionState, _ event: PetitionEvent) -> PetitionState {
        var s = state
        switch event {
        case .submitted(let e):
            s.petitionId = e.petitionId
            s.status = .submitted
        case .answered:
            s.status = .answered
        case .referred(let e):
            s.status = .referred
            s.department = e.department
            s.assignee = e.assignee
            s.deadline = e.deadline
        case .resolved:
            s.status = .resolved
        }
        return s
    }
}
