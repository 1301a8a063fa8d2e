import EventSourcing
import PetitionDomain

/// An error reply on the wire: a stable `code` and a message that says what to do.
public struct WireError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Stable code, e.g. `missing_field`, `invalid_transition`.
    public var code: String
    /// One line for a user.
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public init(_ code: ErrorCode, _ message: String) {
        self.init(code: code.rawValue, message: message)
    }

    /// The code, typed (nil for a code this build does not know, from a newer server): what clients compare.
    public var errorCode: ErrorCode? { ErrorCode(rawValue: code) }

    public var description: String { message }

    public static func badRequest(_ why: String) -> Self { .init(.badRequest, why) }
    public static func tooLarge(_ size: Int, limit: Int) -> Self {
        .init(.tooLarge, "message is \(size) bytes; the limit is \(limit) bytes")
    }
    public static func unknownType(_ type: String, known: [String]) -> Self {
        .init(.unknownType, "unknown message type \"\(type)\"; expected one of \(known.joined(separator: ", "))")
    }
    public static func missingField(_ field: String) -> Self { .init(.missingField, "missing field \"\(field)\"") }
    public static func wrongType(_ field: String, expected: String) -> Self {
        .init(.wrongType, "field \"\(field)\" must be \(expected)")
    }
    public static func invalidValue(_ field: String, _ why: String) -> Self {
        .init(.invalidValue, "field \"\(field)\" \(why)")
    }
    public static func commandIdConflict(_ id: String) -> Self {
        .init(.commandIdConflict, "command id \(id) was already used for a different command; use a new id")
    }
    /// A transient failure; `retry` tells what to do (commands: resend with the same id).
    public static func unavailable(_ why: String, retry: String = "retry with the same command id") -> Self {
        .init(.unavailable, "\(why); \(retry)")
    }
    /// The gateway holds as many undecided commands from this connection (or from all) as it allows: nothing was done.
    public static let overloaded = Self(.overloaded, "the gateway is overloaded and did not read this command; nothing was done: retry later with the same command id, and wait for replies before sending more")
    /// Too many requests of one kind from one official: nothing was done; `why` says how long to wait.
    public static func overloaded(_ why: String) -> Self { .init(.overloaded, why) }
    public static func notApplied(position: Int64, waited: Int64, applied: Int64) -> Self {
        .init(.notApplied, "position \(position) not applied after \(waited) ms (applied up to \(applied)); retry later")
    }
    public static func notFound(_ what: String) -> Self { .init(.notFound, what) }
    public static func erased(_ personId: String) -> Self {
        .init(.erased, "person \(personId) was erased; their personal data can no longer be read")
    }
    public static func domain(_ error: DomainError) -> Self { .init(code: error.code, message: error.message) }
}
