import EventSourcing
import Foundation

/// What the domain knows of a petition: enough to decide the next command.
public struct PetitionState: Hashable, Sendable {
    public var petitionId: String?
    public var status: PetitionStatus = .none
    public var unit: String?
    /// The registered unit's code (nil for a petition recorded before units were registered).
    public var unitCode: String?
    public var kind: PetitionKind?
    public var citizen: SealedPersonalData?
    public var department: String?
    /// The holding department's registry reference (`unit/code`), when its unit is registered.
    public var departmentRef: String?
    public var assignee: String?
    public var deadline: LocalDate?
    public var complexity: Complexity = .normal
    /// Whether the holding department accepted the current referral.
    public var accepted = false
    /// Extensions of the current referral so far.
    public var extensions = 0
    /// Escalations raised, as `level@deadline`.
    public var escalations: Set<String> = []
    /// The ids of the alerts raised: the only alerts whose delivery may be recorded.
    public var alerts: Set<String> = []
    public var mergedInto: String?
    /// What the citizen may still give feedback on: the answer or the resolution just given.
    public var awaitingFeedback: FeedbackSubject?

    public init() {}

    static func escalationKey(_ level: EscalationLevel, _ deadline: LocalDate) -> String { "\(level.rawValue)@\(deadline)" }
}

/// The petition decider: the table of valid transitions (README, "Petition lifecycle").
public enum Petition {
    public static let category = "petition"

    /// Decides `command` for petition `id` in `state`.
    public static func decide(_ command: PetitionCommand, id: String, _ state: PetitionState) throws(DomainError) -> [PetitionEvent] {
        if case .submit = command {} else if state.status == .none { throw .petitionNotFound(id) }
        switch command {
        case let .submit(petitionId, sessionId, session, kind, category, content, citizen, trackingCode):
            guard state.status == .none else { throw .petitionAlreadyExists(id) }
            guard let opened = session.opened else { throw .sessionNotFound(sessionId) }
            try require(content, "content")
            return [.submitted(PetitionSubmitted(petitionId: petitionId, sessionId: opened.sessionId, unit: opened.unit, unitCode: opened.unitCode,
                                                 kind: kind, category: category, content: content, citizen: citizen, trackingCode: trackingCode))]

        case let .answer(by, answer):
            try expect(state, id, command, in: [.submitted, .reopened])
            try require(by, "by")
            try require(answer, "answer")
            return [.answered(PetitionAnswered(petitionId: id, by: by, answer: answer))]

        case let .refer(department, assignee, by, rule, complexity, occurredAt, context, departmentRef):
            try expect(state, id, command, in: [.submitted, .reopened])
            try require(department, "department")
            try require(assignee, "assignee")
            try require(by, "by")
            let referralDay = LocalDate(containing: occurredAt)
            let deadline: LocalDate
            let ruleText: String
            switch rule {
            case .days(let n):
                guard n > 0 else { throw .invalidInput("days", "must be at least 1, got \(n)") }
                guard n <= 3660 else { throw .invalidInput("days", "must be at most 3660, got \(n)") }
                deadline = referralDay.adding(days: n)
                ruleText = "\(n) calendar days, given by the chair"
            case .date(let date):
                guard date >= referralDay else { throw .deadlineBeforeReferral(deadline: date, referral: referralDay) }
                deadline = date
                ruleText = "date given by the chair"
            case .policy:
                let kind = state.kind ?? .recommendation
                deadline = try context.policy.deadline(kind: kind, complexity: complexity, remote: context.remote,
                                                       from: referralDay, calendar: context.calendar)
                ruleText = context.policy.describe(kind: kind, complexity: complexity, remote: context.remote)
            }
            return [.referred(PetitionReferred(petitionId: id, department: department, assignee: assignee, by: by,
                                               deadline: deadline, complexity: complexity, rule: ruleText, departmentRef: departmentRef))]

        case let .resolve(by, resolution):
            try expect(state, id, command, in: [.referred])
            try require(by, "by")
            try require(resolution, "resolution")
            return [.resolved(PetitionResolved(petitionId: id, by: by, resolution: resolution))]

        default:
            return try decideFollowUp(command, id: id, state)
        }
    }

    /// The petition's state after `event`: its status by ``status(after:from:)``, the rest as the event's registration says.
    public static func evolve(_ state: PetitionState, _ event: PetitionEvent) -> PetitionState {
        var s = state
        let payload = event.payload
        s.status = payload.status(after: s.status)
        payload.evolve(&s)
        return s
    }

    /// The petition's status after `event` when it was `status`: the domain's one status rule, which the
    /// read models and the period report use too (README, "Petition lifecycle").
    public static func status(after event: PetitionEvent, from status: PetitionStatus) -> PetitionStatus {
        event.payload.status(after: status)
    }

    /// Whether a resolution made on local day `day` is on time: on or before the deadline then in force.
    /// With no deadline in force it is not on time (no deadline was kept): the rule of the chain of hands
    /// and of the period report alike (README, "Petition lifecycle").
    public static func resolvedOnTime(on day: LocalDate, deadline: LocalDate?) -> Bool {
        deadline.map { day <= $0 } ?? false
    }

    /// Throws `invalidTransition` unless the petition is in one of `allowed`, with a hint that says what to do instead.
    static func expect(_ state: PetitionState, _ id: String, _ command: PetitionCommand, in allowed: Set<PetitionStatus>) throws(DomainError) {
        guard !allowed.contains(state.status) else { return }
        throw .invalidTransition(id, command.verb, status: state.status, hint: hint(state, command))
    }

    /// What a user can do instead, given where the petition is.
    static func hint(_ state: PetitionState, _ command: PetitionCommand) -> String {
        switch state.status {
        case .none: return "it does not exist"
        case .submitted: return "it waits for an on-site answer or a referral (`petitionctl answer` or `petitionctl refer`)"
        case .reopened: return "it was reopened and waits for a referral (`petitionctl refer`) or a new answer"
        case .answered:
            if case .answer = command { return "it was already answered on-site" }
            return "it was answered on-site; record the citizen's feedback (`petitionctl feedback`) or reopen it (`petitionctl reopen`)"
        case .referred:
            if case .refer = command { return "it is already held by \(state.department ?? "a department"); use `petitionctl reassign` to hand it over" }
            return "it is held by \(state.department ?? "a department") (\(state.assignee ?? "?")), due \(state.deadline.map(\.description) ?? "?"); it is resolved with `petitionctl resolve`"
        case .resolved:
            if case .resolve = command { return "it was already resolved" }
            return "it is closed; reopen it first with `petitionctl reopen`"
        case .withdrawn: return "the citizen withdrew it"
        case .merged: return "it was merged into \(state.mergedInto ?? "another petition"); act on that one"
        }
    }
}
