import Foundation

/// Who and what caused an event: carried with every record.
public struct EventMetadata: Codable, Hashable, Sendable {
    public var actor: String
    public var commandId: String
    public var correlationId: String
    public var causationId: String

    public init(actor: String, commandId: String, correlationId: String? = nil, causationId: String? = nil) {
        self.actor = actor
        self.commandId = commandId
        self.correlationId = correlationId ?? commandId
        self.causationId = causationId ?? commandId
    }
}

/// An event about to be appended: its data is already encoded JSON text.
public struct NewEvent: Hashable, Sendable {
    public var id: String
    public var type: String
    public var occurredAt: Date
    public var data: String
    public var metadata: EventMetadata

    public init(id: String, type: String, occurredAt: Date, data: String, metadata: EventMetadata) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.data = data
        self.metadata = metadata
    }
}

/// One record of the log, exactly as stored, with its place in the hash chain.
public struct RecordedEvent: Hashable, Sendable {
    public var position: Int64
    public var stream: StreamName
    public var streamVersion: Int64
    public var id: String
    public var type: String
    public var occurredAt: Date
    public var recordedAt: Date
    /// The event's data: JSON text, stored and hashed byte for byte.
    public var data: String
    public var metadata: EventMetadata
    public var previousHash: Data
    public var hash: Data

    public init(position: Int64, stream: StreamName, streamVersion: Int64, id: String, type: String,
                occurredAt: Date, recordedAt: Date, data: String, metadata: EventMetadata,
                previousHash: Data, hash: Data) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.data = data
        self.metadata = metadata
        self.previousHash = previousHash
        self.hash = hash
    }
}
