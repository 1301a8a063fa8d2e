import Foundation

/// How a referral's deadline is set.
public enum DeadlineRule: Hashable, Sendable {
    /// This many calendar days after the day the referral happened (the chair's own limit).
    case days(Int)
    /// This exact local date.
    case date(LocalDate)
    /// From the unit's deadline policy: by kind, complexity and remote area, on its working-day calendar.
    case policy
}

/// What a deadline is computed with: the unit's policy, its calendar, and whether it is a remote area.
public struct DeadlineContext: Hashable, Sendable {
    public var policy: DeadlinePolicy
    public var calendar: WorkingCalendar
    public var remote: Bool

    public init(policy: DeadlinePolicy, calendar: WorkingCalendar, remote: Bool = false) {
        self.policy = policy
        self.calendar = calendar
        self.remote = remote
    }
}

/// Commands on one petition. Each is decided as of `occurredAt` (when it happened).
public enum PetitionCommand: Hashable, Sendable {
    /// Record a citizen's petition raised at `session`, with the tracking code the gateway drew for it.
    case submit(petitionId: String, sessionId: String, session: SessionState, kind: PetitionKind, category: PetitionCategory,
                content: String, citizen: SealedPersonalData, trackingCode: String? = nil)
    /// The chair answers at the conference.
    case answer(by: String, answer: String)
    /// Refer to a department and an official, with a deadline.
    /// `departmentRef` is the registered department's ``DepartmentRegistered/ref``, nil where the unit is not registered.
    case refer(department: String, assignee: String, by: String, deadline: DeadlineRule, complexity: Complexity,
               occurredAt: Date, context: DeadlineContext, departmentRef: String? = nil)
    /// The holding department settles it.
    case resolve(by: String, resolution: String)
    /// The citizen says whether the answer or resolution satisfied them.
    case feedback(satisfied: Bool, comment: String, by: String)
    /// The holding department takes the referral in hand.
    case accept(by: String)
    /// Move the deadline by a recorded decision; `deadline` nil means by the policy's extension length.
    case extend(by: String, approver: String, decision: String, deadline: LocalDate?, context: DeadlineContext)
    /// Hand it to another department or official.
    case reassign(department: String, assignee: String, by: String, reason: String, departmentRef: String? = nil)
    /// Open a closed petition again.
    case reopen(by: String, reason: String)
    /// The citizen withdraws it.
    case withdraw(by: String, reason: String)
    /// This petition duplicates `into`, whose current state is `target`.
    case merge(into: String, target: PetitionState, by: String, reason: String)
    /// The other half of a merge, on the petition that carries the duplicate on.
    case attachDuplicate(duplicateId: String, citizen: SealedPersonalData, by: String)
    /// Raise a rung of the escalation ladder for `deadline` (the escalator's command).
    case escalate(level: EscalationLevel, deadline: LocalDate, due: LocalDate, recipient: String, alertId: String)

    /// The verb, as a user would say it.
    public var verb: String {
        switch self {
        case .submit: "submit"
        case .answer: "answer"
        case .refer: "refer"
        case .resolve: "resolve"
        case .feedback: "record feedback on"
        case .accept: "accept"
        case .extend: "extend"
        case .reassign: "reassign"
        case .reopen: "reopen"
        case .withdraw: "withdraw"
        case .merge: "merge"
        case .attachDuplicate: "merge a duplicate into"
        case .escalate: "escalate"
        }
    }
}
