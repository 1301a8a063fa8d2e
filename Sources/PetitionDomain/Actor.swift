/// Who issues a command: a person or worker, the role they act in, and for an officer their department.
public struct Actor: Hashable, Sendable {
    public var id: String
    public var role: Role
    /// The department an officer belongs to.
    public var department: String?

    public init(id: String, role: Role, department: String? = nil) {
        self.id = id
        self.role = role
        self.department = department
    }

    /// How the actor is written in event metadata: `role/id`, e.g. `chair/Nguyễn Văn An`.
    public var recorded: String { "\(role.rawValue)/\(id)" }

    /// Throws `notPermitted` unless this actor's role may do `action`; an officer only on what their department holds.
    public func authorize(_ action: Action, petitionId: String? = nil, holder: String? = nil) throws(DomainError) {
        guard action.roles.contains(role) else { throw .notPermitted(role: role, action: action.description, allowed: action.roles) }
        if role == .departmentOfficer, let petitionId {
            guard let department, department == holder else { throw .notHolder(petitionId, department: department ?? "no department", holder: holder) }
        }
    }
}

/// What a command does, for deciding who may do it.
public enum Action: String, CaseIterable, Sendable, CustomStringConvertible {
    case openSession, submit, answer, refer, resolve, feedback, accept, extend, reassign, reopen, withdraw, merge, escalate, recordDelivery, forgetPerson, note

    /// The roles that may do it (README, "Roles"); the first is the one that usually does.
    public var roles: [Role] {
        switch self {
        case .openSession, .submit: [.clerk]
        case .answer: [.chair, .clerk]
        case .feedback, .withdraw, .note: [.clerk, .chair]
        case .refer, .extend, .reassign, .reopen, .merge, .forgetPerson: [.chair]
        case .accept, .resolve: [.departmentOfficer]
        case .escalate, .recordDelivery: [.system]
        }
    }

    public var description: String {
        switch self {
        case .openSession: "open a session"
        case .submit: "record a petition"
        case .answer: "answer a petition on-site"
        case .refer: "refer a petition"
        case .resolve: "resolve a petition"
        case .feedback: "record a citizen's feedback"
        case .accept: "accept a referral"
        case .extend: "extend a deadline"
        case .reassign: "reassign a petition"
        case .reopen: "reopen a petition"
        case .withdraw: "record a withdrawal"
        case .merge: "merge petitions"
        case .escalate: "raise an escalation"
        case .recordDelivery: "record an alert's delivery"
        case .forgetPerson: "erase a person's personal data"
        case .note: "add a note to a petition"
        }
    }
}
