import EventSourcing
import Foundation
import GRDB
import GRDBSQLite
import PetitionDomain

/// The event log file opened read-only, as an audit reads it: with the system running or stopped, never written.
///
/// Every read is one snapshot (a read transaction), so a gateway appending
/// meanwhile changes nothing that is read.
public final class EventLogFile: @unchecked Sendable {
    public let path: String
    private let queue: DatabaseQueue

    /// Opens the log at `path` read-only.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RebuildError("no event log at \(path); give the system's data folder with --data-dir (the folder holding events.sqlite)")
        }
        self.path = path
        var config = Configuration()
        config.readonly = true
        config.label = "event-log-audit"
        config.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            _ = try queue.read { db in try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events'") }
        } catch {
            throw RebuildError("cannot read the event log at \(path): \(error)")
        }
    }

    /// The last position recorded (0 for an empty log).
    public func head() throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM events") ?? 0 }
    }

    /// What the log had recorded by `millis`: the last position whose `recorded_at` is at or before it (0: none yet).
    public func lastPosition(recordedBy millis: Int64) throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM events WHERE recorded_at <= ?", arguments: [millis]) ?? 0 }
    }

    /// When the log recorded `position`, in milliseconds; nil if it has no such position.
    public func recordedAt(_ position: Int64) throws -> Int64? {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT recorded_at FROM events WHERE position = ?", arguments: [position]) }
    }

    /// Reads positions 1 through `last` in order, decoded, `chunk` at a time, in one snapshot.
    ///
    /// Reads the columns the fold needs through the C API and decodes each
    /// record's data from its bytes: the hot loop of a rebuild.
    func scan(through last: Int64, chunk: Int = 4096, _ body: ([ProjectionEvent]) throws -> Void) throws {
        try queue.read { db in
            let c = db.sqliteConnection!
            var statement: OpaquePointer?
            let sql = "SELECT position, type, occurred_at, recorded_at, data FROM events WHERE position <= ? ORDER BY position"
            guard sqlite3_prepare_v2(c, sql, -1, &statement, nil) == SQLITE_OK else {
                throw RebuildError("cannot read the events table: \(String(cString: sqlite3_errmsg(c)))")
            }
            defer { sqlite3_finalize(statement) }
            sqlite3_bind_int64(statement, 1, last)
            var events: [ProjectionEvent] = []
            events.reserveCapacity(chunk)
            while true {
                let rc = sqlite3_step(statement)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw RebuildError("reading the log failed: \(String(cString: sqlite3_errmsg(c)))") }
                let position = sqlite3_column_int64(statement, 0)
                let type = String(cString: sqlite3_column_text(statement, 1))
                let bytes = Int(sqlite3_column_bytes(statement, 4))
                let data = [UInt8](UnsafeBufferPointer(start: sqlite3_column_text(statement, 4), count: bytes))
                let event: DomainEvent?
                do {
                    event = try EventCodec.decode(type: type, utf8: data)
                } catch {
                    throw RebuildError("the record at position \(position) (\(type)) cannot be decoded: \(error)")
                }
                events.append(ProjectionEvent(position: position, occurredAt: sqlite3_column_int64(statement, 2),
                                              recordedAt: sqlite3_column_int64(statement, 3), event: event))
                if events.count == chunk {
                    try body(events)
                    events.removeAll(keepingCapacity: true)
                }
            }
            if !events.isEmpty { try body(events) }
        }
    }

    /// The records of `streams`, through `last`, in position order, decoded.
    func events(of streams: [String], through last: Int64) throws -> [ProjectionEvent] {
        try queue.read { db in
            let marks = streams.map { _ in "?" }.joined(separator: ", ")
            return try Row.fetchAll(db, sql: """
                SELECT position, type, occurred_at, recorded_at, data FROM events
                WHERE stream IN (\(marks)) AND position <= ? ORDER BY position
                """, arguments: StatementArguments(streams) + [last]).map { row in
                let type: String = row[1], data: String = row[4], position: Int64 = row[0]
                do {
                    return ProjectionEvent(position: position, occurredAt: row[2], recordedAt: row[3],
                                           event: try EventCodec.decode(type: type, data: data))
                } catch {
                    throw RebuildError("the record at position \(position) (\(type)) cannot be decoded: \(error)")
                }
            }
        }
    }
}

/// A rebuild or an audit read could not be done; the message says what is wrong and what to do.
public struct RebuildError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
