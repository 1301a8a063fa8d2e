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

/// What a command does, for deciding who may do it: declared once, with the command's handler.
public struct Action: Hashable, Sendable, CustomStringConvertible {
    /// What it does, as a user would say it (in refusals: "a clerk may not refer a petition").
    public let description: String
    /// The roles that may do it (README, "Roles"); the first is the one that usually does.
    public let roles: [Role]

    public init(_ description: String, roles: [Role]) {
        precondition(!roles.isEmpty, "an action someone may do")
        self.description = description
        self.roles = roles
    }
}

extension Action {
    public static let openSession = Action("open a session", roles: [.clerk])
    public static let submit = Action("record a petition", roles: [.clerk])
    public static let answer = Action("answer a petition on-site", roles: [.chair, .clerk])
    public static let refer = Action("refer a petition", roles: [.chair])
    public static let resolve = Action("resolve a petition", roles: [.departmentOfficer])
    public static let feedback = Action("record a citizen's feedback", roles: [.clerk, .chair])
    public static let accept = Action("accept a referral", roles: [.departmentOfficer])
    public static let extend = Action("extend a deadline", roles: [.chair])
    public static let reassign = Action("reassign a petition", roles: [.chair])
    public static let reopen = Action("reopen a petition", roles: [.chair])
    public static let withdraw = Action("record a withdrawal", roles: [.clerk, .chair])
    public static let merge = Action("merge petitions", roles: [.chair])
    public static let escalate = Action("raise an escalation", roles: [.system])
    public static let recordDelivery = Action("record an alert's delivery", roles: [.system])
    public static let forgetPerson = Action("erase a person's personal data", roles: [.chair])
}
