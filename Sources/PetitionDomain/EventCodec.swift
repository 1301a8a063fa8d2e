import EventSourcing
import Foundation

/// Every domain event the log may hold, by stream.
public enum DomainEvent: Hashable, Sendable {
    case session(SessionEvent)
    case petition(PetitionEvent)
    case alert(AlertEvent)
    case person(PersonEvent)
}

/// Encodes domain events to (type, JSON) and back; the one place that knows type names.
///
/// Every type name carries its version. A new version of an event gets a new
/// name and an upcaster here, so old records keep decoding.
public enum EventCodec {
    /// `petition.referred.v1`, read and upcast to v2 (complexity `normal`, rule "given by the chair").
    public static let referredV1 = "petition.referred.v1"

    /// Every event type this codec writes; each has `Schemas/events/<type>.json`.
    public static let eventTypes: [String] = [
        SessionOpened.eventType, PetitionSubmitted.eventType, PetitionAnswered.eventType,
        PetitionReferred.eventType, PetitionResolved.eventType, PetitionFeedback.eventType, PetitionAccepted.eventType,
        PetitionExtended.eventType, PetitionReassigned.eventType, PetitionReopened.eventType, PetitionWithdrawn.eventType,
        PetitionMerged.eventType, PetitionDuplicateMerged.eventType, PetitionEscalated.eventType,
        AlertDelivered.eventType, AlertDeliveryFailed.eventType, PersonForgotten.eventType,
    ]

    /// Every event type the log holds today: the domain's (``eventTypes``) and the gateway's own signed
    /// checkpoints (`audit.checkpoint.v1`, not a domain event: this codec decodes it as nil). Each has a schema.
    public static let logEventTypes: [String] = eventTypes + [LogCheckpoint.eventType]

    /// Every type this codec reads: what it writes, and older versions it upcasts. Each has a schema.
    public static let readableTypes: Set<String> = Set(eventTypes + [referredV1])

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
        let data: String
        switch event {
        case .session(.opened(let e)): data = json(e)
        case .petition(.submitted(let e)): data = json(e)
        case .petition(.answered(let e)): data = json(e)
        case .petition(.referred(let e)): data = json(e)
        case .petition(.resolved(let e)): data = json(e)
        case .petition(.feedback(let e)): data = json(e)
        case .petition(.accepted(let e)): data = json(e)
        case .petition(.extended(let e)): data = json(e)
        case .petition(.reassigned(let e)): data = json(e)
        case .petition(.reopened(let e)): data = json(e)
        case .petition(.withdrawn(let e)): data = json(e)
        case .petition(.merged(let e)): data = json(e)
        case .petition(.duplicateMerged(let e)): data = json(e)
        case .petition(.escalated(let e)): data = json(e)
        case .alert(.delivered(let e)): data = json(e)
        case .alert(.deliveryFailed(let e)): data = json(e)
        case .person(.forgotten(let e)): data = json(e)
        }
        return (typeName(of: event), data)
    }

    /// The versioned type name of an event.
    public static func typeName(of event: DomainEvent) -> String {
        switch event {
        case .session(.opened): SessionOpened.eventType
        case .petition(.submitted): PetitionSubmitted.eventType
        case .petition(.answered): PetitionAnswered.eventType
        case .petition(.referred): PetitionReferred.eventType
        case .petition(.resolved): PetitionResolved.eventType
        case .petition(.feedback): PetitionFeedback.eventType
        case .petition(.accepted): PetitionAccepted.eventType
        case .petition(.extended): PetitionExtended.eventType
        case .petition(.reassigned): PetitionReassigned.eventType
        case .petition(.reopened): PetitionReopened.eventType
        case .petition(.withdrawn): PetitionWithdrawn.eventType
        case .petition(.merged): PetitionMerged.eventType
        case .petition(.duplicateMerged): PetitionDuplicateMerged.eventType
        case .petition(.escalated): PetitionEscalated.eventType
        case .alert(.delivered): AlertDelivered.eventType
        case .alert(.deliveryFailed): AlertDeliveryFailed.eventType
        case .person(.forgotten): PersonForgotten.eventType
        }
    }

    /// Decodes a stored event; nil for a type this version does not know.
    public static func decode(type: String, data: String) throws -> DomainEvent? {
        try EventJSON.decode(type: type, data: data)
    }

    /// Decodes a stored event from the UTF-8 bytes of its data, as a reader of the log file has them.
    public static func decode(type: String, utf8 data: [UInt8]) throws -> DomainEvent? {
        try EventJSON.decode(type: type, utf8: data)
    }

    /// Decodes a stored event through `JSONDecoder`: the reference the fast decoder is tested against.
    public static func decodeWithCodable(type: String, data: String) throws -> DomainEvent? {
        struct FromData: CodableSource {
            let bytes: Data
            func value<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: bytes) }
        }
        return try decode(type: type, FromData(bytes: Data(data.utf8)))
    }

    /// Decodes the event at `key` of a container (the `data` of a CloudEvent on the wire).
    public static func decode<K: CodingKey>(type: String, from c: KeyedDecodingContainer<K>, forKey key: K) throws -> DomainEvent? {
        return try decode(type: type, FromContainer(c: c, key: key))
    }

    private static func decode(type: String, _ source: some CodableSource) throws -> DomainEvent? {
        func d<T: Decodable>(_ t: T.Type) throws -> T { try source.value(t) }
        switch type {
        case SessionOpened.eventType: return .session(.opened(try d(SessionOpened.self)))
        case PetitionSubmitted.eventType: return .petition(.submitted(try d(PetitionSubmitted.self)))
        case PetitionAnswered.eventType: return .petition(.answered(try d(PetitionAnswered.self)))
        case referredV1:
            let v1 = try d(PetitionReferredV1.self)
            return .petition(.referred(PetitionReferred(petitionId: v1.petitionId, department: v1.department, assignee: v1.assignee,
                                                        by: v1.by, deadline: v1.deadline)))
        case PetitionReferred.eventType: return .petition(.referred(try d(PetitionReferred.self)))
        case PetitionResolved.eventType: return .petition(.resolved(try d(PetitionResolved.self)))
        case PetitionFeedback.eventType: return .petition(.feedback(try d(PetitionFeedback.self)))
        case PetitionAccepted.eventType: return .petition(.accepted(try d(PetitionAccepted.self)))
        case PetitionExtended.eventType: return .petition(.extended(try d(PetitionExtended.self)))
        case PetitionReassigned.eventType: return .petition(.reassigned(try d(PetitionReassigned.self)))
        case PetitionReopened.eventType: return .petition(.reopened(try d(PetitionReopened.self)))
        case PetitionWithdrawn.eventType: return .petition(.withdrawn(try d(PetitionWithdrawn.self)))
        case PetitionMerged.eventType: return .petition(.merged(try d(PetitionMerged.self)))
        case PetitionDuplicateMerged.eventType: return .petition(.duplicateMerged(try d(PetitionDuplicateMerged.self)))
        case PetitionEscalated.eventType: return .petition(.escalated(try d(PetitionEscalated.self)))
        case AlertDelivered.eventType: return .alert(.delivered(try d(AlertDelivered.self)))
        case AlertDeliveryFailed.eventType: return .alert(.deliveryFailed(try d(AlertDeliveryFailed.self)))
        case PersonForgotten.eventType: return .person(.forgotten(try d(PersonForgotten.self)))
        default: return nil
        }
    }

    /// Decodes a recorded event.
    public static func decode(_ record: RecordedEvent) throws -> DomainEvent? {
        try decode(type: record.type, data: record.data)
    }
}

/// Where the reference decoder reads a value from: JSON bytes, or a container on the wire.
private protocol CodableSource {
    func value<T: Decodable>(_ type: T.Type) throws -> T
}

private struct FromContainer<K: CodingKey>: CodableSource {
    let c: KeyedDecodingContainer<K>
    let key: K
    func value<T: Decodable>(_ type: T.Type) throws -> T { try c.decode(type, forKey: key) }
}

/// `petition.referred.v1` as it was written, for the reference decoder's upcast.
private struct PetitionReferredV1: Decodable {
    var petitionId: String
    var department: String
    var assignee: String
    var by: String
    var deadline: LocalDate
}
