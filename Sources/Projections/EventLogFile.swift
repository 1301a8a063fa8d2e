import EventSourcing
import Foundation
import EventStoreSQLite
import PetitionDomain

/// The event log opened read-only, as an audit reads it: with the system running or stopped, never written.
///
/// It reads through the store's ``EventLogReader`` only, so a rebuild works on any backend's log. Every read is
/// one snapshot, so a gateway appending meanwhile changes nothing that is read.
public final class EventLogFile: @unchecked Sendable { // one connection, used by one thread at a time
    public let path: String
    private let log: any EventLogReader
    private let connection: any EventLogConnection

    /// Opens the SQLite log at `path` read-only.
    public convenience init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RebuildError("no event log at \(path); give the system's data folder with --data-dir (the folder holding events.sqlite)")
        }
        do {
            try self.init(log: try SQLiteEventLog(path: path))
        } catch let error as EventStoreError {
            throw RebuildError("cannot read the event log at \(path): \(error.debugDescription)")
        }
    }

    /// Reads `log`.
    public init(log: any EventLogReader) throws {
        self.log = log
        path = log.location
        connection = try Self.reading { () throws(EventStoreError) in try log.connect() }
    }

    private static func reading<T>(_ body: () throws(EventStoreError) -> T) throws -> T {
        do { return try body() } catch { throw RebuildError("cannot read the event log: \(error.debugDescription)") }
    }

    /// The last position recorded (0 for an empty log).
    public func head() throws -> Int64 {
        try Self.reading { () throws(EventStoreError) in try connection.head() }
    }

    /// What the log had recorded by `millis`: the last position whose `recorded_at` is at or before it (0: none yet).
    public func lastPosition(recordedBy millis: Int64) throws -> Int64 {
        try Self.reading { () throws(EventStoreError) in try connection.lastPosition(recordedBy: millis) }
    }

    /// When the log recorded `position`, in milliseconds; nil if it has no such position.
    public func recordedAt(_ position: Int64) throws -> Int64? {
        try Self.reading { () throws(EventStoreError) in try connection.recordedAt(position) }
    }

    /// Reads positions 1 through `last` in order, decoded, `chunk` at a time, in one snapshot.
    ///
    /// Decodes each record's data from its stored bytes: the hot loop of a rebuild. Runs on a connection of its own,
    /// so it may run on another thread than the other reads.
    func scan(through last: Int64, chunk: Int = 4096, _ body: ([ProjectionEvent]) throws -> Void) throws {
        try scanStored(through: last, chunk: chunk) { try body(try Self.decode($0)) }
    }

    /// Records as stored, not yet decoded: what ``scanStored(through:chunk:_:)`` hands out, so another thread may decode them.
    struct StoredRecords: Sendable {
        var positions: [Int64] = []
        var occurredAt: [Int64] = []
        var recordedAt: [Int64] = []
        var types: [String] = []
        var data: [[UInt8]] = []

        var count: Int { positions.count }

        init(capacity: Int) {
            positions.reserveCapacity(capacity); occurredAt.reserveCapacity(capacity); recordedAt.reserveCapacity(capacity)
            types.reserveCapacity(capacity); data.reserveCapacity(capacity)
        }
    }

    /// Reads positions 1 through `last` in order, as stored, `chunk` at a time, in one snapshot (on a connection of its own).
    func scanStored(through last: Int64, chunk: Int = 4096, _ body: (StoredRecords) throws -> Void) throws {
        let connection = try Self.reading { () throws(EventStoreError) in try log.connect() }
        try connection.snapshot {
            let cursor = try Self.reading { () throws(EventStoreError) in try connection.cursor() }
            try Self.reading { () throws(EventStoreError) in try cursor.seek(1) }
            var records = StoredRecords(capacity: chunk)
            // The few type names a log holds, each made a string once (a record's type is compared, not copied).
            var types: [(utf8: [UInt8], name: String)] = []
            func type() -> String {
                if let known = types.first(where: { cursor.field(.type, equals: $0.utf8) }) { return known.name }
                let name = cursor.string(.type)
                types.append((Array(name.utf8), name))
                return name
            }
            while try Self.reading({ () throws(EventStoreError) in try cursor.step() }) {
                let position = cursor.integer(.position)
                if position > last { break }
                records.positions.append(position)
                records.occurredAt.append(cursor.integer(.occurredAt))
                records.recordedAt.append(cursor.integer(.recordedAt))
                records.types.append(type())
                records.data.append([UInt8](cursor.bytes(.data)))
                if records.count == chunk {
                    try body(records)
                    records = StoredRecords(capacity: chunk)
                }
            }
            if records.count > 0 { try body(records) }
        }
    }

    /// Decodes records ``scanStored(through:chunk:_:)`` read, in their order.
    static func decode(_ records: StoredRecords) throws -> [ProjectionEvent] {
        var events: [ProjectionEvent] = []
        events.reserveCapacity(records.count)
        for i in 0..<records.count {
            let position = records.positions[i]
            events.append(ProjectionEvent(position: position, occurredAt: records.occurredAt[i], recordedAt: records.recordedAt[i],
                                          event: try event(type: records.types[i], data: records.data[i], position: position)))
        }
        return events
    }

    /// The records of `streams`, through `last`, in position order, decoded.
    func events(of streams: [String], through last: Int64) throws -> [ProjectionEvent] {
        let names = streams.compactMap(StreamName.init)
        let records = try Self.reading { () throws(EventStoreError) in try connection.records(of: names, through: last) }
        return try records.map { record in
            ProjectionEvent(position: record.position, occurredAt: Timestamp.millis(record.occurredAt),
                            recordedAt: Timestamp.millis(record.recordedAt),
                            event: try Self.event(type: record.type, data: Array(record.data.utf8), position: record.position))
        }
    }

    /// A record's event for the fold: nil for a checkpoint (no view shows it). A type this version does not know, or
    /// data it cannot decode, stops the rebuild naming the record: a view folded without it would be silently wrong.
    static func event(type: String, data: [UInt8], position: Int64) throws -> DomainEvent? {
        let decoded: DecodedRecord
        do {
            decoded = try EventCodec.read(type: type, utf8: data, position: position)
        } catch {
            throw RebuildError("the record at position \(position) (\(type)) cannot be decoded: \(error)")
        }
        switch decoded {
        case .event(let event): return event
        case .checkpoint: return nil
        case .unknown:
            throw RebuildError("the record at position \(position) has the event type \(type), which this version of petition-followup does not know; rebuild with the version that wrote it or a later one")
        }
    }
}

/// A rebuild or an audit read could not be done; the message says what is wrong and what to do.
public struct RebuildError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
