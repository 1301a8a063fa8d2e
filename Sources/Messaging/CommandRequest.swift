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

/// One command message: its idempotency key, when it happened, the command, and who sends it.
///
/// Who acts is never read from the message: the gateway takes it from the key the connection authenticated with
/// (``userId``, set by the ZAP handler) and the registry. Only the gateway's own tools and tests, which call the
/// processor directly, give an ``actor`` themselves.
public struct CommandRequest: Sendable {
    public var commandId: String
    /// Who acts, when the caller of the processor says so itself; nil: whoever ``userId`` stands for.
    public var actor: Actor?
    /// The connection's authenticated identity (`service:<name>`, or an official's public key), set by the gateway.
    public var userId: String?
    /// When it happened; nil means "now" (the gateway's recording time).
    public var occurredAt: Date?
    public var command: GatewayCommand
    /// The version the sender last saw of the command's stream (`expectedVersion`): refused with
    /// `version_mismatch` if the stream has moved since (optimistic concurrency, HTTP's `If-Match`); nil: any.
    public var expectedVersion: Int64?
    /// The door it came through, for a command the HTTP API sent on an official's behalf (``Delegation``).
    public var via: String?

    public init(commandId: String, actor: Actor? = nil, occurredAt: Date?, command: GatewayCommand) {
        self.commandId = commandId
        self.actor = actor
        self.occurredAt = occurredAt
        self.command = command
    }

    /// The message fields a command no longer carries: who acts comes from the authenticated key.
    public static let identityFields = ["actor", "role", "actorDepartment"]

    /// Decodes a command message whose `type` is one of ``GatewayCommand/messageTypes``.
    public init(type: String, fields f: JSONFields, userId: String? = nil) throws(WireError) {
        guard let handler = GatewayCommand.handler(forMessageType: type) else {
            throw .unknownType(type, known: GatewayCommand.messageTypes + ["status"])
        }
        let commandId = try f.identifier("commandId")
        if let stale = Self.identityFields.first(where: { f.object[$0] != nil && !handler.ownMembers.contains($0) }) {
            throw .invalidValue(stale, "is not part of a command any more: who acts, in which role and department, is the official whose key the connection authenticated with; remove it")
        }
        let occurredAt = try f.optionalInstant("occurredAt")
        let identity = try Delegation.identity(userId, f)
        let expected = try f.optionalInt("expectedVersion")
        if let expected, expected < 0 { throw .invalidValue("expectedVersion", "must be 0 (no such stream yet) or more, got \(expected)") }
        let command = GatewayCommand(try handler.init(fields: f))
        self.init(commandId: commandId, occurredAt: occurredAt, command: command)
        self.userId = identity
        self.expectedVersion = expected
        self.via = identity == userId ? nil : Delegation.service
    }

    /// A request for `command`.
    public init(commandId: String, actor: Actor? = nil, occurredAt: Date?, _ command: some CommandHandler) {
        self.init(commandId: commandId, actor: actor, occurredAt: occurredAt, command: GatewayCommand(command))
    }

    /// Digest of the meaning of the request as `actor` sends it, to refuse a reused command id.
    public func fingerprint(by actor: Actor) -> String {
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
        return Data(SHA256.hash(data: bytes).prefix(16)).hex
    }

    /// The fingerprint by the request's own ``actor`` (requests made with one).
    public var fingerprint: String { fingerprint(by: actor ?? Actor(id: "", role: .system)) }
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
