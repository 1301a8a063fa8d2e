import EventSourcing
import Foundation

/// Every domain event the log may hold, by stream.
public enum DomainEvent: Hashable, Sendable {
    case session(SessionEvent)
    case petition(PetitionEvent)
    case alert(AlertEvent)
    case person(PersonEvent)
    case registry(RegistryEvent)
    case access(AccessEvent)

    /// Its payload, through which every consumer finds the type's registration.
    var payload: any EventPayload {
        switch self {
        case .session(.opened(let e)): e
        case .petition(let e): e.payload
        case .alert(.delivered(let e)): e
        case .alert(.deliveryFailed(let e)): e
        case .person(.forgotten(let e)): e
        case .registry(let e): e.payload
        case .access(.accessed(let e)): e
        }
    }

    /// What happened, in one line for a person reading the history (no personal data).
    public var summary: String { payload.summary }
}

/// What a stored record decodes to: a domain event, the gateway's own checkpoint, or a type this version
/// does not know (written by a newer version, or damaged): never silently nothing.
public enum DecodedRecord: Hashable, Sendable {
    case event(DomainEvent)
    /// `audit.checkpoint.v1`: the gateway's signed checkpoint, not a domain event.
    case checkpoint
    /// A type this version does not read, at `position` (0 when the record's position is not known).
    case unknown(type: String, position: Int64)

    /// The domain event, nil for a checkpoint or an unknown type.
    public var event: DomainEvent? {
        if case .event(let e) = self { return e }
        return nil
    }
}

/// Encodes domain events to (type, JSON) and back through ``EventRegistry``, the one place that knows type names.
///
/// Every type name carries its version. A new version of an event gets a new
/// name and an upcaster in the registry, so old records keep decoding.
public enum EventCodec {
    /// `petition.referred.v1`, read and upcast to v2 (complexity `normal`, rule "given by the chair").
    public static let referredV1 = "petition.referred.v1"

    /// Every event type this codec writes; each has `Schemas/events/<type>.json`.
    public static let eventTypes: [String] = EventRegistry.names

    /// Every event type the log holds today: the domain's (``eventTypes``) and the gateway's own signed
    /// checkpoints (`audit.checkpoint.v1`, not a domain event: ``read(type:utf8:position:)`` says `.checkpoint`). Each has a schema.
    public static let logEventTypes: [String] = eventTypes + [LogCheckpoint.eventType]

    /// Every type this codec reads: what it writes, and older versions it upcasts. Each has a schema.
    public static let readableTypes: Set<String> = Set(eventTypes + EventRegistry.upcasters.keys + EventRegistry.extended.keys)

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The type name and JSON text of an event (hand-written; equal to ``encodeWithCodable(_:)``).
    public static func encode(_ event: DomainEvent) -> (type: String, data: String) {
        let payload = event.payload
        var w = EventJSON.Writer()
        payload.write(to: &w)
        return (type(of: payload).eventType, w.finish())
    }

    /// The same JSON through `JSONEncoder`: the reference the fast encoder is tested against.
    public static func encodeWithCodable(_ event: DomainEvent) -> (type: String, data: String) {
        let payload = event.payload
        // Encoding our own plain structs cannot fail.
        return (type(of: payload).eventType, String(decoding: try! encoder.encode(payload), as: UTF8.self))
    }

    /// The versioned type name of an event.
    public static func typeName(of event: DomainEvent) -> String { type(of: event.payload).eventType }

    /// Reads a stored record's data: its event, a checkpoint, or an unknown type at `position`.
    public static func read(type: String, utf8 data: [UInt8], position: Int64 = 0) throws -> DecodedRecord {
        if type == LogCheckpoint.eventType { return .checkpoint }
        let payload = EventRegistry.byName[type] ?? EventRegistry.extended[type]
        let upcast = payload == nil ? EventRegistry.upcasters[type] : nil
        guard payload != nil || upcast != nil else { return .unknown(type: type, position: position) }
        let r = try EventJSON.reader(type: type, utf8: data)
        if let payload { return .event(try payload.init(reading: r).event) }
        return .event(try upcast!(r))
    }

    /// Reads a recorded event: its event, a checkpoint, or an unknown type at its position.
    public static func read(_ record: RecordedEvent) throws -> DecodedRecord {
        try read(type: record.type, utf8: Array(record.data.utf8), position: record.position)
    }

    /// Decodes a stored event; nil for a checkpoint or a type this version does not know (``read(type:utf8:position:)`` tells which).
    public static func decode(type: String, data: String) throws -> DomainEvent? {
        try read(type: type, utf8: Array(data.utf8)).event
    }

    /// Decodes a stored event from the UTF-8 bytes of its data, as a reader of the log file has them; nil as ``decode(type:data:)``.
    public static func decode(type: String, utf8 data: [UInt8]) throws -> DomainEvent? {
        try read(type: type, utf8: data).event
    }

    /// Decodes a recorded event; nil as ``decode(type:data:)``.
    public static func decode(_ record: RecordedEvent) throws -> DomainEvent? {
        try read(record).event
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
        if type == referredV1 {
            let v1 = try source.value(PetitionReferredV1.self)
            return .petition(.referred(PetitionReferred(petitionId: v1.petitionId, department: v1.department, assignee: v1.assignee,
                                                        by: v1.by, deadline: v1.deadline)))
        }
        guard let payload = EventRegistry.byName[type] ?? EventRegistry.extended[type] else { return nil }
        return try source.value(payload).event
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

extension RegistryState {
    /// The registry as a log holds it, read through one connection in one snapshot, and the version of its stream.
    public static func read(from connection: any EventLogConnection) throws -> (RegistryState, Int64) {
        let stream = StreamName(category: Registry.category, id: Registry.streamId)
        let records = try connection.snapshot { try connection.records(of: [stream], through: try connection.head()) }
        var state = RegistryState()
        for record in records {
            if case .registry(let e)? = try EventCodec.decode(record) { state = Registry.evolve(state, e) }
        }
        return (state, records.last?.streamVersion ?? 0)
    }
}
