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
    case refer(petitionId: String, department: String, assignee: String, by: String, deadline: DeadlineRule)
    case resolve(petitionId: String, by: String, resolution: String)

    /// Every field, in a fixed order: what makes two commands the same command.
    var canonicalParts: [String] {
        switch self {
        case let .openSession(unit, title, chair): return ["session.open", unit, title, chair]
        case let .submit(sessionId, kind, category, content, citizen):
            return ["petition.submit", sessionId, kind.rawValue, category.rawValue, content, citizen.name, citizen.address ?? "\u{0}", citizen.phone ?? "\u{0}"]
        case let .answer(petitionId, by, answer): return ["petition.answer", petitionId, by, answer]
        case let .refer(petitionId, department, assignee, by, deadline):
            let rule: String
            switch deadline {
            case .days(let n): rule = "days:\(n)"
            case .date(let d): rule = "date:\(d)"
            }
            return ["petition.refer", petitionId, department, assignee, by, rule]
        case let .resolve(petitionId, by, resolution): return ["petition.resolve", petitionId, by, resolution]
        }
    }

    /// The message types of commands, as on the wire.
    public static let messageTypes = ["session.open", "petition.submit", "petition.answer", "petition.refer", "petition.resolve"]
}

/// One command message: who sent it, when it happened, and its idempotency key.
public struct CommandRequest: Sendable {
    public var commandId: String
    public var actor: String
    /// When it happened; nil means "now" (the gateway's recording time).
    public var occurredAt: Date?
    public var command: GatewayCommand
    /// Digest of the meaning of the request, to refuse a reused command id.
    public var fingerprint: String

    public init(commandId: String, actor: String, occurredAt: Date?, command: GatewayCommand) {
        self.commandId = commandId
        self.actor = actor
        self.occurredAt = occurredAt
        self.command = command
        // Length-prefixed parts, so no two different commands share the bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for part in [actor, occurredAt.map { String(Timestamp.millis($0)) } ?? "-"] + command.canonicalParts {
            bytes.append(contentsOf: String(part.utf8.count).utf8)
            bytes.append(0x3A)
            bytes.append(contentsOf: part.utf8)
        }
        fingerprint = Data(SHA256.hash(data: bytes).prefix(16)).hex
    }

    /// Decodes a command message whose `type` is one of ``GatewayCommand/messageTypes``.
    public init(type: String, fields f: JSONFields) throws(WireError) {
        guard GatewayCommand.messageTypes.contains(type) else { throw .unknownType(type, known: GatewayCommand.messageTypes + ["status"]) }
        let commandId = try f.string("commandId", maxLength: 128)
        guard commandId.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x3A }) else {
            throw .invalidValue("commandId", "may hold only letters A-Z a-z, digits and . _ : - (a UUID is fine), got \"\(commandId)\"")
        }
        let actor = try f.string("actor", maxLength: 200)
        let occurredAt = try f.optionalInstant("occurredAt")
        let command: GatewayCommand
        switch type {
        case "session.open":
            command = .openSession(unit: try f.string("unit", maxLength: 200), title: try f.string("title", maxLength: 500),
                                   chair: try f.string("chair", maxLength: 200))
        case "petition.submit":
            let c = try f.object("citizen")
            let phone = try c.optionalString("phone", maxLength: 32)
            if let phone, !Self.isPhone(phone) {
                throw .invalidValue("citizen.phone", "must be a phone number of 6 to 15 digits, got \"\(phone)\"")
            }
            let citizen = PersonalData(name: try c.string("name", maxLength: 200), address: try c.optionalString("address", maxLength: 500), phone: phone)
            command = .submit(sessionId: try f.string("sessionId", maxLength: 64), kind: try f.choice("kind", PetitionKind.self),
                              category: try f.choice("category", PetitionCategory.self), content: try f.string("content"), citizen: citizen)
        case "petition.answer":
            command = .answer(petitionId: try f.string("petitionId", maxLength: 64), by: try f.string("by", maxLength: 200),
                              answer: try f.string("answer"))
        case "petition.refer":
            let days = try f.optionalInt("days")
            let date = try f.optionalString("deadline", maxLength: 10)
            let rule: DeadlineRule
            switch (days, date) {
            case (let n?, nil):
                guard n >= 1, n <= 3660 else { throw .invalidValue("days", "must be between 1 and 3660, got \(n)") }
                rule = .days(Int(n))
            case (nil, let text?):
                guard let d = LocalDate(text) else { throw .invalidValue("deadline", "must be a date YYYY-MM-DD, got \"\(text)\"") }
                rule = .date(d)
            case (nil, nil): throw .missingField("days")
            case (_?, _?): throw .invalidValue("deadline", "cannot be given together with days; give one")
            }
            command = .refer(petitionId: try f.string("petitionId", maxLength: 64), department: try f.string("department", maxLength: 200),
                             assignee: try f.string("assignee", maxLength: 200), by: try f.string("by", maxLength: 200), deadline: rule)
        case "petition.resolve":
            command = .resolve(petitionId: try f.string("petitionId", maxLength: 64), by: try f.string("by", maxLength: 200),
                               resolution: try f.string("resolution"))
        default:
            throw .unknownType(type, known: GatewayCommand.messageTypes)
        }
        self.init(commandId: commandId, actor: actor, occurredAt: occurredAt, command: command)
    }

    static func isPhone(_ text: String) -> Bool {
        let digits = text.filter(\.isASCII).filter(\.isNumber).count
        return (6...15).contains(digits) && text.allSatisfy { $0.isASCII && ($0.isNumber || " +-.()".contains($0)) }
    }
}
