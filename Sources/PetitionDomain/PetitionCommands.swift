import Foundation

/// How a referral's deadline is set.
public enum DeadlineRule: Hashable, Sendable {
    /// This many calendar days after the day the referral happened.
    case days(Int)
    /// This exact local date.
    case date(LocalDate)
}

/// Commands on one petition. Each is decided as of `occurredAt` (when it happened).
public enum PetitionCommand: Hashable, Sendable {
    /// Record a citizen's petition raised at `session`.
    case submit(petitionId: String, sessionId: String, session: SessionState, kind: PetitionKind, category: PetitionCategory,
                content: String, citizen: SealedPersonalData)
    /// The chair answers at the conference.
    case answer(by: String, answer: String)
    /// Refer to a department and an official, with a deadline.
    case refer(department: String, assignee: String, by: String, deadline: DeadlineRule, occurredAt: Date)
    /// The holding department settles it.
    case resolve(by: String, resolution: String)

    /// The verb, as a user would say it.
    public var verb: String {
        switch self {
        case .submit: "submit"
        case .answer: "answer"
        case .refer: "refer"
        case .resolve: "resolve"
        }
    }
}
