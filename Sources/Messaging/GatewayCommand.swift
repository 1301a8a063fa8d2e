import Crypto
import EventSourcing
import Foundation
import PetitionDomain

/// A citizen's personal data as typed by the clerk; sealed before it reaches the log.
public struct PersonalData: Codable, Hashable, Sendable {
    public var name: String
    public var address: String?
    public var phone: String?

    public init(name: String, address: String? = nil, phone: String? = nil) {
        self.name = name
        self.address = address
        self.phone = phone
    }
}

/// A command the gateway accepts, decoded and checked for shape.
public enum GatewayCommand: Hashable, Sendable {
    case openSession(unit: String, title: String, chair: String)
    case submit(sessionId: String, kind: PetitionKind, category: PetitionCategory, content: String, citizen: PersonalData)
    case answer(petitionId: String, by: String, answer: String)
    case refer(petitionId: String, department: String, assignee: String, by: String, deadline: DeadlineRule, complexity: Complexity)
    case resolve(petitionId: String, by: String, resolution: String)
    case feedback(petitionId: String, satisfied: Bool, comment: String)
    case accept(petitionId: String)
    case extend(petitionId: String, approver: String, decision: String, deadline: LocalDate?)
    case reassign(petitionId: String, department: String, assignee: String, reason: String)
    case reopen(petitionId: String, reason: String)
    case withdraw(petitionId: String, reason: String)
    case merge(petitionId: String, into: String, reason: String)
    case escalate(petitionId: String, level: EscalationLevel, deadline: LocalDate, due: LocalDate, recipient: String)
    case recordDelivery(AlertDelivery.Command)
    case forgetPerson(personId: String, by: String, reason: String)
    case note(petitionId: String, text: String)

    /// What the command does, for the role check.
    public var action: Action {
        switch self {
        case .openSession: .openSession
        case .submit: .submit
        case .answer: .answer
        case .refer: .refer
        case .resolve: .resolve
        case .feedback: .feedback
        case .accept: .accept
        case .extend: .extend
        case .reassign: .reassign
        case .reopen: .reopen
        case .withdraw: .withdraw
        case .merge: .merge
        case .escalate: .escalate
        case .recordDelivery: .recordDelivery
        case .forgetPerson: .forgetPerson
        case .note: .note
        }
    }

    /// The petition it acts on, if any.
    public var petitionId: String? {
        switch self {
        case .openSession, .submit, .recordDelivery, .forgetPerson: nil
        case let .answer(id, _, _), let .refer(id, _, _, _, _, _), let .resolve(id, _, _), let .feedback(id, _, _), let .accept(id),
             let .extend(id, _, _, _), let .reassign(id, _, _, _), let .reopen(id, _), let .withdraw(id, _), let .merge(id, _, _),
             let .escalate(id, _, _, _, _), let .note(id, _):
            id
        }
    }

    /// Every field, in a fixed order: what makes two commands the same command.
    var canonicalParts: [String] {
        switch self {
        case let .openSession(unit, title, chair): return ["session.open", unit, title, chair]
        case let .submit(sessionId, kind, category, content, citizen):
            return ["petition.submit", sessionId, kind.rawValue, category.rawValue, content, citizen.name, citizen.address ?? "\u{0}", citizen.phone ?? "\u{0}"]
        case let .answer(petitionId, by, answer): return ["petition.answer", petitionId, by, answer]
        case let .refer(petitionId, department, assignee, by, deadline, complexity):
            let rule: String
            switch deadline {
            case .days(let n): rule = "days:\(n)"
            case .date(let d): rule = "date:\(d)"
            case .policy: rule = "policy"
            }
            return ["petition.refer", petitionId, department, assignee, by, rule, complexity.rawValue]
        case let .resolve(petitionId, by, resolution): return ["petition.resolve", petitionId, by, resolution]
        case let .feedback(petitionId, satisfied, comment): return ["petition.feedback", petitionId, satisfied ? "1" : "0", comment]
        case let .accept(petitionId): return ["petition.accept", petitionId]
        case let .extend(petitionId, approver, decision, deadline): return ["petition.extend", petitionId, approver, decision, deadline?.description ?? "\u{0}"]
        case let .reassign(petitionId, department, assignee, reason): return ["petition.reassign", petitionId, department, assignee, reason]
        case let .reopen(petitionId, reason): return ["petition.reopen", petitionId, reason]
        case let .withdraw(petitionId, reason): return ["petition.withdraw", petitionId, reason]
        case let .merge(petitionId, into, reason): return ["petition.merge", petitionId, into, reason]
        case let .escalate(petitionId, level, deadline, due, recipient):
            return ["petition.escalate", petitionId, level.rawValue, deadline.description, due.description, recipient]
        case .recordDelivery(.delivered(let alertId, let petitionId, let sink, let attempts, let detail)):
            return ["alert.record", alertId, petitionId, sink, "delivered", String(attempts), detail]
        case .recordDelivery(.failed(let alertId, let petitionId, let sink, let attempt, let reason, let permanent)):
            return ["alert.record", alertId, petitionId, sink, "failed", String(attempt), reason, permanent ? "1" : "0"]
        case let .forgetPerson(personId, by, reason): return ["person.forget", personId, by, reason]
        case let .note(petitionId, text): return ["petition.note", petitionId, text]
        }
    }

    /// What a command message type does, for the role check and for clients choosing a role.
    public static func action(forMessageType type: String) -> Action? {
        let actions: [String: Action] = [
            "session.open": .openSession, "petition.submit": .submit, "petition.answer": .answer, "petition.refer": .refer,
            "petition.resolve": .resolve, "petition.feedback": .feedback, "petition.accept": .accept, "petition.extend": .extend,
            "petition.reassign": .reassign, "petition.reopen": .reopen, "petition.withdraw": .withdraw, "petition.merge": .merge,
            "petition.escalate": .escalate, "alert.record": .recordDelivery, "person.forget": .forgetPerson,
            "petition.note": .note,
        ]
        return actions[type]
    }

    /// The message types of commands, as on the wire.
    public static let messageTypes = [
        "session.open", "petition.submit", "petition.answer", "petition.refer", "petition.resolve", "petition.feedback",
        "petition.accept", "petition.extend", "petition.reassign", "petition.reopen", "petition.withdraw", "petition.merge",
        "petition.escalate", "alert.record", "person.forget", "petition.note",
    ]
}

/// One command message: who sent it, in which role, when it happened, and its idempotency key.
public struct CommandRequest: Sendable {
    public var commandId: String
    public var actor: Actor
    /// When it happened; nil means "now" (the gateway's recording time).
    public var occurredAt: Date?
    public var command: GatewayCommand
    /// Digest of the meaning of the request, to refuse a reused command id.
    public var fingerprint: String

    public init(commandId: String, actor: Actor, occurredAt: Date?, command: GatewayCommand) {
        self.commandId = commandId
        self.actor = actor
        self.occurredAt = occurredAt
        self.command = command
        // Length-prefixed parts, so no two different commands share the bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for part in [actor.id, actor.role.rawValue, actor.department ?? "\u{0}", occurredAt.map { String(Timestamp.millis($0)) } ?? "-"] + command.canonicalParts {
            bytes.append(contentsOf: String(part.utf8.count).utf8)
            bytes.append(0x3A)
            bytes.append(contentsOf: part.utf8)
        }
        fingerprint = Data(SHA256.hash(data: bytes).prefix(16)).hex
    }

    /// Decodes a command message whose `type` is one of ``GatewayCommand/messageTypes``.
    public init(type: String, fields f: JSONFields) throws(WireError) {
        guard GatewayCommand.messageTypes.contains(type) else { throw .unknownType(type, known: GatewayCommand.messageTypes + ["status"]) }
        let commandId = try f.identifier("commandId")
        let role = try f.choice("role", Role.self)
        let department = try f.optionalString("actorDepartment", maxLength: 200)
        if role == .departmentOfficer, department == nil {
            throw .invalidValue("actorDepartment", "a department officer must say which department they act for")
        }
        let actor = Actor(id: try f.string("actor", maxLength: 200), role: role, department: role == .departmentOfficer ? department : nil)
        let occurredAt = try f.optionalInstant("occurredAt")
        let command = try Self.command(type, f)
        self.init(commandId: commandId, actor: actor, occurredAt: occurredAt, command: command)
    }

    private static func command(_ type: String, _ f: JSONFields) throws(WireError) -> GatewayCommand {
        func petitionId() throws(WireError) -> String { try f.identifier("petitionId", maxBytes: 64) }
        func date(_ key: String) throws(WireError) -> LocalDate? {
            guard let text = try f.optionalString(key, maxLength: 10) else { return nil }
            guard let d = LocalDate(text) else { throw .invalidValue(key, "must be a date YYYY-MM-DD, got \"\(text)\"") }
            return d
        }
        func requiredDate(_ key: String) throws(WireError) -> LocalDate {
            guard let d = try date(key) else { throw .missingField(key) }
            return d
        }
        switch type {
        case "session.open":
            return .openSession(unit: try f.string("unit", maxLength: 200), title: try f.string("title", maxLength: 500),
                                chair: try f.string("chair", maxLength: 200))
        case "petition.submit":
            let c = try f.object("citizen")
            let phone = try c.optionalString("phone", maxLength: 32)
            if let phone, !Self.isPhone(phone) {
                throw .invalidValue("citizen.phone", "must be a phone number of 6 to 15 digits, got \"\(phone)\"")
            }
            let citizen = PersonalData(name: try c.string("name", maxLength: 200), address: try c.optionalString("address", maxLength: 500), phone: phone)
            return .submit(sessionId: try f.identifier("sessionId", maxBytes: 64), kind: try f.choice("kind", PetitionKind.self),
                           category: try f.choice("category", PetitionCategory.self), content: try f.string("content"), citizen: citizen)
        case "petition.answer":
            return .answer(petitionId: try petitionId(), by: try f.string("by", maxLength: 200), answer: try f.string("answer"))
        case "petition.refer":
            let days = try f.optionalInt("days")
            let deadline = try date("deadline")
            let rule: DeadlineRule
            switch (days, deadline) {
            case (let n?, nil):
                guard n >= 1, n <= 3660 else { throw .invalidValue("days", "must be between 1 and 3660, got \(n)") }
                rule = .days(Int(n))
            case (nil, let d?): rule = .date(d)
            case (nil, nil): rule = .policy
            case (_?, _?): throw .invalidValue("deadline", "cannot be given together with days; give one, or neither to use the unit's deadline policy")
            }
            let complexity = try f.optionalString("complexity", maxLength: 32).map { (text: String) throws(WireError) -> Complexity in
                guard let c = Complexity(rawValue: text) else {
                    throw .invalidValue("complexity", "must be one of \(Complexity.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
                }
                return c
            } ?? .normal
            return .refer(petitionId: try petitionId(), department: try f.string("department", maxLength: 200),
                          assignee: try f.string("assignee", maxLength: 200), by: try f.string("by", maxLength: 200), deadline: rule, complexity: complexity)
        case "petition.resolve":
            return .resolve(petitionId: try petitionId(), by: try f.string("by", maxLength: 200), resolution: try f.string("resolution"))
        case "petition.feedback":
            guard let satisfied = try f.optionalBool("satisfied") else { throw .missingField("satisfied") }
            return .feedback(petitionId: try petitionId(), satisfied: satisfied, comment: try f.optionalString("comment") ?? "")
        case "petition.accept":
            return .accept(petitionId: try petitionId())
        case "petition.extend":
            return .extend(petitionId: try petitionId(), approver: try f.string("approver", maxLength: 200),
                           decision: try f.string("decision", maxLength: 200), deadline: try date("deadline"))
        case "petition.reassign":
            return .reassign(petitionId: try petitionId(), department: try f.string("department", maxLength: 200),
                             assignee: try f.string("assignee", maxLength: 200), reason: try f.string("reason", maxLength: 2000))
        case "petition.note":
            return .note(petitionId: try petitionId(), text: try f.string("text", maxLength: 2000))
        case "petition.reopen":
            return .reopen(petitionId: try petitionId(), reason: try f.string("reason", maxLength: 2000))
        case "petition.withdraw":
            return .withdraw(petitionId: try petitionId(), reason: try f.string("reason", maxLength: 2000))
        case "petition.merge":
            return .merge(petitionId: try petitionId(), into: try f.identifier("into", maxBytes: 64), reason: try f.string("reason", maxLength: 2000))
        case "petition.escalate":
            return .escalate(petitionId: try petitionId(), level: try f.choice("level", EscalationLevel.self), deadline: try requiredDate("deadline"),
                             due: try requiredDate("due"), recipient: try f.string("recipient", maxLength: 200))
        case "alert.record":
            let alertId = try f.identifier("alertId")
            let pid = try petitionId()
            let sink = try f.string("sink", maxLength: 64)
            switch try f.string("outcome", maxLength: 16) {
            case "delivered":
                guard let attempts = try f.optionalInt("attempts"), attempts >= 1, attempts <= 1_000_000 else {
                    throw .invalidValue("attempts", "must be a whole number of attempts, at least 1")
                }
                return .recordDelivery(.delivered(alertId: alertId, petitionId: pid, sink: sink, attempts: Int(attempts),
                                                  detail: try f.optionalString("detail", maxLength: 2000) ?? ""))
            case "failed":
                guard let attempt = try f.optionalInt("attempt"), attempt >= 1, attempt <= 1_000_000 else {
                    throw .invalidValue("attempt", "must be the attempt's number, at least 1")
                }
                return .recordDelivery(.failed(alertId: alertId, petitionId: pid, sink: sink, attempt: Int(attempt),
                                               reason: try f.string("reason", maxLength: 2000), permanent: try f.optionalBool("permanent") ?? false))
            case let other:
                throw .invalidValue("outcome", "must be delivered or failed, got \"\(other)\"")
            }
        case "person.forget":
            return .forgetPerson(personId: try f.identifier("personId", maxBytes: 64), by: try f.string("by", maxLength: 200),
                                 reason: try f.string("reason", maxLength: 2000))
        default:
            throw .unknownType(type, known: GatewayCommand.messageTypes)
        }
    }

    static func isPhone(_ text: String) -> Bool {
        let digits = text.filter(\.isASCII).filter(\.isNumber).count
        return (6...15).contains(digits) && text.allSatisfy { $0.isASCII && ($0.isNumber || " +-.()".contains($0)) }
    }
}
