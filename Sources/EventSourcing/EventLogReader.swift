import Foundation

/// The log read as inspectors and rebuilds read it: read-only, store-neutral, from the stored bytes.
///
/// Every backend's store module provides one (SQLite: `SQLiteEventLog`), and it is the only code that knows
/// how the log is laid out; audit tools (verify, rebuild, export, backup, report) and projection rebuilds use
/// nothing else. A reader is shared between threads; each thread opens its own ``EventLogConnection``.
public protocol EventLogReader: Sendable {
    /// Where the log is, for messages.
    var location: String { get }
    /// A connection of its own, to be used by one thread at a time.
    func connect() throws(EventStoreError) -> any EventLogConnection
    /// A consistent, compact copy of the whole log at `path`, which must not exist, safe while the log is
    /// written; returns the copy's head position. Nothing deleted before (a destroyed key) is carried into it.
    func backup(to path: String) throws(EventStoreError) -> Int64
    /// Every personal-data key still kept beside the log, by id (for audits that open many people's data).
    func keys() throws(EventStoreError) -> [String: Data]
}

/// One connection to the log. Reads inside one ``snapshot(_:)`` see a single state of the log, however much
/// a writer appends meanwhile; reads outside one each see the latest committed state.
public protocol EventLogConnection: AnyObject {
    /// Runs `body` in one read snapshot (nested calls join the outer snapshot).
    func snapshot<T>(_ body: () throws -> T) throws -> T
    /// The position of the last record, 0 for an empty log.
    func head() throws(EventStoreError) -> Int64
    /// The last position recorded at or before `millis` (ms since 1970), 0 when none was.
    func lastPosition(recordedBy millis: Int64) throws(EventStoreError) -> Int64
    /// When `position` was recorded (ms since 1970), nil when the log has no such position.
    func recordedAt(_ position: Int64) throws(EventStoreError) -> Int64?
    /// The hash stored with the record at `position`, nil when there is none (or it is not 32 bytes).
    func hash(at position: Int64) throws(EventStoreError) -> Data?
    /// The position of a record whose stored hash is `hash` (32 bytes), if any.
    func position(holding hash: UnsafeRawPointer) throws(EventStoreError) -> Int64?
    /// The records of `streams` at or before `last`, in position order.
    func records(of streams: [StreamName], through last: Int64) throws(EventStoreError) -> [RecordedEvent]
    /// A cursor over the records in position order; ``EventLogCursor/seek(_:)`` places it.
    func cursor() throws(EventStoreError) -> any EventLogCursor
    /// What the log keeps beside its records, as stored (for copying a log whole).
    func sideTables() throws(EventStoreError) -> LogSideTables
}

/// A stored field of a record, in the order the hash chain takes them.
public enum RecordField: Int32, Sendable, CaseIterable {
    case position, stream, streamVersion, id, type, occurredAt, recordedAt, data
    case actor, commandId, correlationId, causationId, previousHash, hash
}

/// Walks the log's records in position order, handing out their stored bytes without copying them.
///
/// Bytes returned by ``bytes(_:)`` are valid only until the cursor moves.
public protocol EventLogCursor: AnyObject {
    /// Places the cursor before the first record at or after `position`.
    func seek(_ position: Int64) throws(EventStoreError)
    /// Moves to the next record; false past the last one.
    func step() throws(EventStoreError) -> Bool
    /// An integer field of the current record: position, stream version, occurredAt or recordedAt (ms).
    func integer(_ field: RecordField) -> Int64
    /// The stored bytes of a text or hash field of the current record (UTF-8 for texts), valid until the next move.
    func bytes(_ field: RecordField) -> UnsafeRawBufferPointer
}

extension EventLogCursor {
    /// A text field of the current record as a string.
    public func string(_ field: RecordField) -> String {
        String(decoding: bytes(field), as: UTF8.self)
    }

    /// Whether a text field of the current record is exactly `expected` (UTF-8 bytes), without making a string.
    public func field(_ field: RecordField, equals expected: [UInt8]) -> Bool {
        let stored = bytes(field)
        guard stored.count == expected.count else { return false }
        return expected.withUnsafeBytes { $0.count == 0 || memcmp($0.baseAddress!, stored.baseAddress!, $0.count) == 0 }
    }

    /// The current record, whole.
    public func record() throws(EventStoreError) -> RecordedEvent {
        let position = integer(.position)
        let streamText = string(.stream)
        guard let stream = StreamName(streamText) else {
            throw .corrupt("the record at position \(position) has a stream name that cannot be read: \(streamText.debugDescription)")
        }
        return RecordedEvent(
            position: position, stream: stream, streamVersion: integer(.streamVersion), id: string(.id), type: string(.type),
            occurredAt: Timestamp.date(millis: integer(.occurredAt)), recordedAt: Timestamp.date(millis: integer(.recordedAt)),
            data: string(.data),
            metadata: EventMetadata(actor: string(.actor), commandId: string(.commandId),
                                    correlationId: string(.correlationId), causationId: string(.causationId)),
            previousHash: Data(bytes(.previousHash)), hash: Data(bytes(.hash)))
    }
}

extension EventLogReader {
    /// Visits every record from `position` through `last` (nil: the head) in order, whole, in one snapshot,
    /// without holding them all in memory.
    public func forEach(from position: Int64 = 1, through last: Int64? = nil, _ body: (RecordedEvent) throws -> Void) throws {
        let connection = try connect()
        try connection.snapshot {
            let cursor = try connection.cursor()
            try cursor.seek(position)
            while try cursor.step() {
                if let last, cursor.integer(.position) > last { break }
                try body(try cursor.record())
            }
        }
    }
}
