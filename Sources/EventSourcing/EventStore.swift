import Foundation

/// Events for one stream, appended only if the stream is where the writer expects.
public struct StreamAppend: Sendable {
    public var stream: StreamName
    public var expectedVersion: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: StreamName, expectedVersion: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// A handled command, kept so that the same command id gets the same reply.
public struct CommandRecord: Hashable, Sendable {
    public var commandId: String
    /// A digest of the request, to refuse a command id reused for a different request.
    public var fingerprint: String
    /// The reply sent, as JSON text.
    public var reply: String

    public init(commandId: String, fingerprint: String, reply: String) {
        self.commandId = commandId
        self.fingerprint = fingerprint
        self.reply = reply
    }
}

/// A secret kept beside the log, never in it (a person's data key).
public struct SecretKey: Hashable, Sendable {
    public var id: String
    public var key: Data
    /// The person's name folded for search (lower case, no diacritics): personal data, so it is kept
    /// only here, next to the key, and destroyed with it.
    public var searchName: String?

    public init(id: String, key: Data, searchName: String? = nil) {
        self.id = id
        self.key = key
        self.searchName = searchName
    }
}

/// Everything one group commit writes, atomically and durably.
public struct AppendBatch: Sendable {
    public var appends: [StreamAppend]
    public var commands: [CommandRecord]
    public var secrets: [SecretKey]
    /// Keys to destroy (crypto-shredding), in the same transaction as the events that record it.
    public var destroyedSecrets: [String] = []
    /// When set, the log's head must be exactly this position, or nothing is written:
    /// the single writer's guard against anyone else having appended.
    public var expectedHead: Int64?

    public init(appends: [StreamAppend] = [], commands: [CommandRecord] = [], secrets: [SecretKey] = [], expectedHead: Int64? = nil) {
        self.appends = appends
        self.commands = commands
        self.secrets = secrets
        self.expectedHead = expectedHead
    }

    public var isEmpty: Bool { appends.isEmpty && commands.isEmpty && secrets.isEmpty && destroyedSecrets.isEmpty }
}

/// The append-only event log: one protocol, one shared test suite, several backends.
///
/// Calls are synchronous: a store is owned by one loop thread (the gateway's
/// writer), and readers on other threads get their own snapshot.
public protocol EventStore: Sendable {
    /// Appends the batch in one transaction, durable when this returns.
    ///
    /// Checks every expected version first; if any fails nothing is written.
    func append(_ batch: AppendBatch, recordedAt: Date) throws(EventStoreError) -> [RecordedEvent]
    /// Records from `position` (inclusive), in order, at most `limit`.
    func read(from position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent]
    /// Every record of one stream, in order.
    func readStream(_ stream: StreamName) throws(EventStoreError) -> [RecordedEvent]
    /// The last record of one stream, nil when it does not exist (read alone, not with the rest of the stream).
    func lastRecord(of stream: StreamName) throws(EventStoreError) -> RecordedEvent?
    /// The stream's version: the number of its events, 0 when it does not exist.
    func streamVersion(_ stream: StreamName) throws(EventStoreError) -> Int64
    /// The position of the last record, 0 for an empty log.
    func headPosition() throws(EventStoreError) -> Int64
    /// The stored replies of those of `commandIds` already handled, in one read.
    func commands(_ commandIds: [String]) throws(EventStoreError) -> [String: CommandRecord]
    /// How many streams of a category exist.
    func streamCount(category: String) throws(EventStoreError) -> Int64
    /// A secret kept beside the log, nil when absent or destroyed.
    func secret(_ id: String) throws(EventStoreError) -> SecretKey?
    /// The people whose folded search name contains every one of `words` (already folded), at most `limit`, by id.
    func people(matching words: [String], limit: Int) throws(EventStoreError) -> [String]
}

extension EventStore {
    /// The stored reply of a command already handled.
    public func command(_ commandId: String) throws(EventStoreError) -> CommandRecord? {
        try commands([commandId])[commandId]
    }
}
