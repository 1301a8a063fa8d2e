import EventSourcing
import Foundation
import PetitionDomain

/// The wire and export shape of a recorded event: CloudEvents 1.0 attributes plus our extensions.
///
/// Extension names are lower-case letters only, as CloudEvents requires:
/// `position`, `streamversion`, `recordedat`, `actor`, `commandid`,
/// `correlationid`, `causationid`, `previoushash`, `hash`. `data` is the
/// stored JSON text, embedded byte for byte.
public enum CloudEvent {
    /// The `source` attribute of every event this system writes.
    public static let source = "urn:petition-followup:gateway"

    /// The JSON text of `event`.
    public static func json(_ event: RecordedEvent) -> String {
        var s = "{\"specversion\":\"1.0\",\"id\":"
        s.reserveCapacity(420 + event.data.utf8.count)
        JSONText.appendString(event.id, to: &s)
        s += ",\"source\":\"\(source)\",\"type\":"
        JSONText.appendString(event.type, to: &s)
        s += ",\"subject\":"
        JSONText.appendString(event.stream.description, to: &s)
        s += ",\"time\":\"\(Timestamp.format(event.occurredAt))\",\"datacontenttype\":\"application/json\""
        s += ",\"position\":\(event.position),\"streamversion\":\(event.streamVersion)"
        s += ",\"recordedat\":\"\(Timestamp.format(event.recordedAt))\",\"actor\":"
        JSONText.appendString(event.metadata.actor, to: &s)
        s += ",\"commandid\":"
        JSONText.appendString(event.metadata.commandId, to: &s)
        s += ",\"correlationid\":"
        JSONText.appendString(event.metadata.correlationId, to: &s)
        s += ",\"causationid\":"
        JSONText.appendString(event.metadata.causationId, to: &s)
        s += ",\"previoushash\":\"\(event.previousHash.hex)\",\"hash\":\"\(event.hash.hex)\",\"data\":"
        s += event.data
        s += "}"
        return s
    }
}

/// A recorded event received over the wire, with its data decoded to a domain event.
public struct WireEvent: Decodable, Sendable {
    public var position: Int64
    public var stream: StreamName
    public var streamVersion: Int64
    public var id: String
    public var type: String
    public var occurredAt: Date
    public var recordedAt: Date
    public var actor: String
    /// Nil for a type this version does not know: it is skipped, but its position still counts.
    public var event: DomainEvent?

    enum CodingKeys: String, CodingKey {
        case position, subject, streamversion, id, type, time, recordedat, actor, data
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        position = try c.decode(Int64.self, forKey: .position)
        stream = try c.decode(StreamName.self, forKey: .subject)
        streamVersion = try c.decode(Int64.self, forKey: .streamversion)
        id = try c.decode(String.self, forKey: .id)
        type = try c.decode(String.self, forKey: .type)
        func instant(_ key: CodingKeys) throws -> Date {
            let text = try c.decode(String.self, forKey: key)
            guard let d = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return d
        }
        occurredAt = try instant(.time)
        recordedAt = try instant(.recordedat)
        actor = try c.decode(String.self, forKey: .actor)
        event = try EventCodec.decode(type: type, from: c, forKey: .data)
    }

    /// A wire event made from a stored record (for readers that hold the store itself).
    public init(_ record: RecordedEvent) throws {
        position = record.position
        stream = record.stream
        streamVersion = record.streamVersion
        id = record.id
        type = record.type
        occurredAt = record.occurredAt
        recordedAt = record.recordedAt
        actor = record.metadata.actor
        event = try EventCodec.decode(record)
    }

    /// The place of a record that could not be decoded: it carries no event (so it folds into nothing),
    /// but its position counts, like a type this version does not know.
    public init(undecodable position: Int64) {
        self.position = position
        stream = StreamName(category: "undecodable", id: String(position))
        streamVersion = 0
        id = ""
        type = "undecodable"
        occurredAt = Date(timeIntervalSince1970: 0)
        recordedAt = occurredAt
        actor = ""
        event = nil
    }
}
