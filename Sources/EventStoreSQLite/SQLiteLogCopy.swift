import EventSourcing
import Foundation
import GRDB

/// A new SQLite log file filled with another log's records exactly as stored: a PostgreSQL log's backup, or
/// any log moved into a data folder. Written in one transaction; the file is complete only after ``finish()``.
public final class SQLiteLogCopy: LogCopyTarget {
    private let queue: DatabaseQueue
    private let path: String

    /// Creates the log file at `path`, which must not exist, with the embedded store's tables.
    public init(newFileAt path: String) throws(EventStoreError) {
        guard !FileManager.default.fileExists(atPath: path) else { throw .storage("\(path) exists") }
        self.path = path
        do {
            try SQLiteEventStore(path: path).close()
            var config = Configuration()
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            config.allowsUnsafeTransactions = true // one transaction spans the copy's calls, committed by finish()
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw .storage("cannot create the log file \(path): \(error)")
        }
    }

    public func write(_ records: [RecordedEvent]) throws {
        try queue.writeWithoutTransaction { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO events (position, stream, stream_version, id, type, occurred_at, recorded_at, data,
                                    actor, command_id, correlation_id, causation_id, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in records {
                try insert.execute(arguments: [r.position, r.stream.description, r.streamVersion, r.id, r.type,
                                               Timestamp.millis(r.occurredAt), Timestamp.millis(r.recordedAt), r.data,
                                               r.metadata.actor, r.metadata.commandId, r.metadata.correlationId, r.metadata.causationId,
                                               r.previousHash, r.hash])
            }
        }
    }

    public func write(_ tables: LogSideTables) throws {
        try queue.writeWithoutTransaction { db in
            for command in tables.commands {
                try db.execute(sql: "INSERT INTO commands (command_id, fingerprint, reply) VALUES (?, ?, ?)",
                               arguments: [command.commandId, command.fingerprint, command.reply])
            }
            for secret in tables.secrets {
                try db.execute(sql: "INSERT INTO secrets (id, key, search_name) VALUES (?, ?, ?)", arguments: [secret.id, secret.key, secret.searchName])
            }
            for (category, count) in tables.categories {
                try db.execute(sql: "INSERT INTO categories (category, streams) VALUES (?, ?)", arguments: [category, count])
            }
        }
    }

    public func finish() throws -> Int64 {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "COMMIT")
            return try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM events") ?? 0
        }
    }

    deinit { try? queue.close() }
}
