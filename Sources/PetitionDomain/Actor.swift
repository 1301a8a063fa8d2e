/// Who issues a command: a registered official (or a worker service), the role they act in, their unit, and for
/// an officer their department.
public struct Actor: Hashable, Sendable {
    /// The official's registered id (`O000002`), or the worker's name (`petition-escalator`).
    public var id: String
    public var role: Role
    /// The department an officer belongs to: its registered name (what a referral names as the holder).
    public var department: String?
    /// The code of the official's unit; nil for a worker.
    public var unit: String?
    /// The department's registered code within the unit (a referral may name the holder by it).
    public var departmentCode: String?
    /// Names the department had before a rename: a petition referred before the registry recorded the holder's
    /// reference (``PetitionReferred/departmentRef``) names it by one of these or the current one.
    public var formerDepartmentNames: [String]

    public init(id: String, role: Role, department: String? = nil, unit: String? = nil, departmentCode: String? = nil,
                formerDepartmentNames: [String] = []) {
        self.id = id
        self.role = role
        self.department = department
        self.unit = unit
        self.departmentCode = departmentCode
        self.formerDepartmentNames = formerDepartmentNames
    }

    /// The officer's department as a petition's events name the holder: ``DepartmentRegistered/ref``.
    public var departmentRef: String? { departmentCode.flatMap { code in unit.map { $0 + "/" + code } } }

    /// How the actor is written in event metadata: `role/id`, e.g. `chair/Nguyễn Văn An`.
    public var recorded: String { "\(role.rawValue)/\(id)" }

    /// Throws `notPermitted` unless this actor's role may do `action`; an officer only on what their department holds:
    /// the department `holderRef` names, or, for a referral recorded without one, the department named `holder`.
    public func authorize(_ action: Action, petitionId: String? = nil, holder: String? = nil, holderRef: String? = nil) throws(DomainError) {
        guard action.roles.contains(role) else { throw .notPermitted(role: role, action: action.description, allowed: action.roles) }
        if role == .system, let service = action.service, id != service {
            throw .notPermitted(role: role, action: action.description + " (only \(service) does)", allowed: action.roles)
        }
        if role == .departmentOfficer, let petitionId {
            let holds = holderRef.map { $0 == departmentRef }
                ?? holder.map { department == $0 || departmentCode == $0 || formerDepartmentNames.contains($0) } ?? false
            guard let department, holds else {
                // Namesakes in two units: say which is which.
                let same = department != nil && department == holder
                throw .notHolder(petitionId, department: (department ?? "no department") + (same ? departmentRef.map { " (\($0))" } ?? "" : ""),
                                 holder: holder.map { $0 + (same ? holderRef.map { " (\($0))" } ?? "" : "") })
            }
        }
    }
}

/// What a command does, for deciding who may do it: declared once, with the command's handler.
public struct Action: Hashable, Sendable, CustomStringConvertible {
    /// What it does, as a user would say it (in refusals: "a clerk may not refer a petition").
    public let description: String
    /// The roles that may do it (README, "Roles"); the first is the one that usually does.
    public let roles: [Role]
    /// For a system action: the one worker that does it (`petition-escalator`); no other service may.
    public let service: String?

    public init(_ description: String, roles: [Role], service: String? = nil) {
        precondition(!roles.isEmpty, "an action someone may do")
        precondition(service == nil || roles == [.system], "only a system action belongs to a service")
        self.description = description
        self.roles = roles
        self.service = service
    }
}

extension Action {
    public static let openSession = Action("open a session", roles: [.clerk])
    public static let submit = Action("record a petition", roles: [.clerk])
    public static let answer = Action("answer a petition on-site", roles: [.chair, .clerk])
    /// A clerk records a referral only as the conference decided it (while the petition is just recorded, in the
    /// chair's name); any later referral is the chair's own.
    public static let refer = Action("refer a petition", roles: [.chair, .clerk])
    public static let resolve = Action("resolve a petition", roles: [.departmentOfficer])
    public static let feedback = Action("record a citizen's feedback", roles: [.clerk, .chair])
    public static let accept = Action("accept a referral", roles: [.departmentOfficer])
    public static let extend = Action("extend a deadline", roles: [.chair])
    public static let reassign = Action("reassign a petition", roles: [.chair])
    public static let reopen = Action("reopen a petition", roles: [.chair])
    public static let withdraw = Action("record a withdrawal", roles: [.clerk, .chair])
    public static let merge = Action("merge petitions", roles: [.chair])
    public static let escalate = Action("raise an escalation", roles: [.system], service: "petition-escalator")
    public static let recordDelivery = Action("record an alert's delivery", roles: [.system], service: "petition-notifier")
    public static let forgetPerson = Action("erase a person's personal data", roles: [.chair])
}
