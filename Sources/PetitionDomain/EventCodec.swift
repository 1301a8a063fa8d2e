import EventSourcing
import Foundation

/// Every domain event the log may hold, by stream.
public enum DomainEvent: Hashable, Sendable {
    case session(SessionEvent)
    case petition(PetitionEvent)
}

/// Encodes domain events to (type, JSON) and back; the one place that knows type names.
///
/// Every type name carries its version. A new version of an event gets a new
/// name and an upcaster here, so old records keep decoding.
public enum EventCodec {
    /// Every event type this codec writes; each has `Schemas/events/<type>.json`.
    public static let eventTypes: [String] = [
        SessionOpened.eventType, PetitionSubmitted.eventType, PetitionAnswered.eventType,
        PetitionReferred.eventType, PetitionResolved.eventType,
    ]

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The type name and JSON text of an event (hand-written; equal to ``encodeWithCodable(_:)``).
    public static func encode(_ event: DomainEvent) -> (type: String, data: String) {
        (typeName(of: event), EventJSON.encode(event))
    }

    /// The same JSON through `JSONEncoder`: the reference the fast encoder is tested against.
    public static func encodeWithCodable(_ event: DomainEvent) -> (type: String, data: String) {
        func json<T: Encodable>(_ value: T) -> String {
            // Encoding our own plain structs cannot fail.
            String(decoding: try! encoder.encode(value), as: UTF8.self)
        }
        switch event {
        case .session(.opened(let e)): return (SessionOpened.eventType, json(e))
        case .petition(.submitted(let e)): return (PetitionSubmitted.eventType, json(e))
        case .petition(.answered(let e)): return (PetitionAnswered.eventType, json(e))
        case .petition(.referred(let e)): return (PetitionReferred.eventType, json(e))
        case .petition(.resolved(let e)): return (PetitionResolved.eventType, json(e))
        }
    }

    /// The versioned type name of an event.
    public static func typeName(of event: DomainEvent) -> String {
        switch event {
        case .session(.opened): SessionOpened.eventType
        case .petition(.submitted): PetitionSubmitted.eventType
        case .petition(.answered): PetitionAnswered.eventType
        case .petition(.referred): PetitionReferred.eventType
        case .petition(.resolved): PetitionResolved.eventType
        }
    }

    /// Decodes a stored event; nil for a type this version does not know.
    public static func decode(type: String, data: String) throws -> DomainEvent? {
        try EventJSON.decode(type: type, data: data)
    }

    /// Decodes a stored event through `JSONDecoder`: the reference the fast decoder is tested against.
    public static func decodeWithCodable(type: String, data: String) throws -> DomainEvent? {
        let bytes = Data(data.utf8)
        let decoder = JSONDecoder()
        switch type {
        case SessionOpened.eventType: return .session(.opened(try decoder.decode(SessionOpened.self, from: bytes)))
        case PetitionSubmitted.eventType: return .petition(.submitted(try decoder.decode(PetitionSubmitted.self, from: bytes)))
        case PetitionAnswered.eventType: return .petition(.answered(try decoder.decode(PetitionAnswered.self, from: bytes)))
        case PetitionReferred.eventType: return .petition(.referred(try decoder.decode(PetitionReferred.self, from: bytes)))
        case PetitionResolved.eventType: return .petition(.resolved(try decoder.decode(PetitionResolved.self, from: bytes)))
        default: return nil
        }
    }

    /// Decodes the event at `key` of a container (the `data` of a CloudEvent on the wire).
    public static func decode<K: CodingKey>(type: String, from c: KeyedDecodingContainer<K>, forKey key: K) throws -> DomainEvent? {
        switch type {
        case SessionOpened.eventType: return .session(.opened(try c.decode(SessionOpened.self, forKey: key)))
        case PetitionSubmitted.eventType: return .petition(.submitted(try c.decode(PetitionSubmitted.self, forKey: key)))
        case PetitionAnswered.eventType: return .petition(.answered(try c.decode(PetitionAnswered.self, forKey: key)))
        case PetitionReferred.eventType: return .petition(.referred(try c.decode(PetitionReferred.self, forKey: key)))
        case PetitionResolved.eventType: return .petition(.resolved(try c.decode(PetitionResolved.self, forKey: key)))
        default: return nil
        }
    }

    /// Decodes a recorded event.
    public static func decode(_ record: RecordedEvent) throws -> DomainEvent? {
        try decode(type: record.type, data: record.data)
    }
}
