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
        func add(_ part: String) {
            let count = part.utf8.count
            if count < 10 { bytes.append(0x30 + UInt8(count)) } else { bytes.append(contentsOf: String(count).utf8) }
            bytes.append(0x3A)
            bytes.append(contentsOf: part.utf8)
        }
        add(actor.id); add(actor.role.rawValue); add(actor.department ?? "\u{0}")
        add(occurredAt.map { String(Timestamp.millis($0)) } ?? "-")
        add(command.messageType)
        for part in command.handler.fingerprintFields { add(part) }
        fingerprint = Data(SHA256.hash(data: bytes).prefix(16)).hex
    }

    /// Decodes a command message whose `type` is one of ``GatewayCommand/messageTypes``.
    public init(type: String, fields f: JSONFields) throws(WireError) {
        guard let handler = GatewayCommand.handler(forMessageType: type) else {
            throw .unknownType(type, known: GatewayCommand.messageTypes + ["status"])
        }
        let commandId = try f.identifier("commandId")
        let role = try f.choice("role", Role.self)
        let department = try f.optionalString("actorDepartment", maxLength: 200)
        if role == .departmentOfficer, department == nil {
            throw .invalidValue("actorDepartment", "a department officer must say which department they act for")
        }
        let actor = Actor(id: try f.string("actor", maxLength: 200), role: role, department: role == .departmentOfficer ? department : nil)
        let occurredAt = try f.optionalInstant("occurredAt")
        let command = GatewayCommand(try handler.init(fields: f))
        self.init(commandId: commandId, actor: actor, occurredAt: occurredAt, command: command)
    }

    /// A request for `command`.
    public init(commandId: String, actor: Actor, occurredAt: Date?, _ command: some CommandHandler) {
        self.init(commandId: commandId, actor: actor, occurredAt: occurredAt, command: GatewayCommand(command))
    }
}

extension PersonalData {
    /// Whether `text` is a phone number: 6 to 15 digits, with spaces and `+-.()` between them.
    static func isPhone(_ text: String) -> Bool {
        var digits = 0
        for b in text.utf8 {
            switch b {
            case 0x30...0x39: digits += 1
            case 0x20, 0x2B, 0x2D, 0x2E, 0x28, 0x29: continue // space + - . ( )
            default: return false
            }
        }
        return (6...15).contains(digits)
    }
}
