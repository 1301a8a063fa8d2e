import EventSourcing
import Foundation
import NIOCore
import PostgresNIO

/// An empty PostgreSQL log filled with another log's records exactly as stored (`petitionctl migrate`), in one
/// transaction: the database holds the whole copy after ``finish()``, or nothing.
public final class PostgresLogCopy: LogCopyTarget {
    private let session: PostgresSession
    public let location: PostgresLocation

    /// Prepares the tables at `location` and refuses a database whose log is not empty.
    public init(_ location: PostgresLocation) throws(EventStoreError) {
        self.location = location
        session = try PostgresSession(location)
        do {
            try PostgresSchema.migrate(session)
            try session.query("BEGIN")
            // Nobody else may write while the copy is made: the writer's lease is held for the transaction.
            guard try session.query("SELECT pg_try_advisory_xact_lock(\(PostgresWriterLease.key))").rows.first?.decode(Bool.self) == true else {
                _ = try? session.query("ROLLBACK")
                throw EventStoreError.storage("a gateway is writing the event log at \(location): stop it before migrating into it")
            }
            let head = try session.integer("SELECT MAX(position) FROM events") ?? 0
            guard head == 0 else {
                _ = try? session.query("ROLLBACK")
                throw EventStoreError.storage("the event log at \(location) is not empty (head \(head)): a log is migrated only into an empty database")
            }
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw .storage("cannot prepare \(location) for the copy: \(PostgresSession.explain(error))")
        }
    }

    public func write(_ records: [RecordedEvent]) throws {
        try checked { try session.query(EventColumns.insert, EventColumns(records).bindings) }
    }

    public func write(_ tables: LogSideTables) throws {
        try checked {
            if !tables.commands.isEmpty {
                try session.query("INSERT INTO commands (command_id, fingerprint, reply) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
                                  PostgresBindings(tables.commands.map(\.commandId), tables.commands.map(\.fingerprint), tables.commands.map(\.reply)))
            }
            for secret in tables.secrets {
                var binds = PostgresBindings()
                binds.append(secret.id)
                binds.append(ByteBuffer(data: secret.key))
                binds.append(secret.searchName)
                try session.query("INSERT INTO secrets (id, key, search_name) VALUES ($1, $2, $3)", binds)
            }
            if !tables.categories.isEmpty {
                try session.query("INSERT INTO categories (category, streams) SELECT * FROM unnest($1::text[], $2::bigint[])",
                                  PostgresBindings(Array(tables.categories.keys), Array(tables.categories.values)))
            }
        }
    }

    public func finish() throws -> Int64 {
        try checked {
            try session.query("COMMIT")
            return try session.integer("SELECT MAX(position) FROM events") ?? 0
        }
    }

    private func checked<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            _ = try? session.query("ROLLBACK")
            throw EventStoreError.storage("cannot copy into \(location): \(PostgresSession.explain(error))")
        }
    }
}
