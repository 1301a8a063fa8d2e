import EventSourcing
import Foundation
import PostgresNIO

/// The log's tables in PostgreSQL: the SQLite log's, column for column, so one reader, verifier and backup
/// format serve both. Versions are applied once each, in order, under a transaction-level advisory lock, and
/// recorded in `petition_schema`.
enum PostgresSchema {
    /// The advisory lock key taken while the tables are created or changed.
    static let migrationLock: Int64 = 0x7065_7469_7469_6F6E // "petition"

    static let versions: [(name: String, sql: String)] = [
        ("v1", """
            CREATE TABLE events (
                position BIGINT PRIMARY KEY,
                stream TEXT COLLATE "C" NOT NULL,
                stream_version BIGINT NOT NULL,
                id TEXT COLLATE "C" NOT NULL UNIQUE,
                type TEXT COLLATE "C" NOT NULL,
                occurred_at BIGINT NOT NULL,
                recorded_at BIGINT NOT NULL,
                data TEXT NOT NULL,
                actor TEXT NOT NULL,
                command_id TEXT NOT NULL,
                correlation_id TEXT NOT NULL,
                causation_id TEXT NOT NULL,
                previous_hash BYTEA NOT NULL,
                hash BYTEA NOT NULL,
                UNIQUE (stream, stream_version)
            );
            CREATE INDEX events_by_hash ON events (hash);
            CREATE INDEX events_by_recorded_at ON events (recorded_at, position);
            CREATE TABLE categories (category TEXT COLLATE "C" PRIMARY KEY, streams BIGINT NOT NULL);
            CREATE TABLE commands (command_id TEXT COLLATE "C" PRIMARY KEY, fingerprint TEXT NOT NULL, reply TEXT NOT NULL);
            CREATE TABLE secrets (id TEXT COLLATE "C" PRIMARY KEY, key BYTEA NOT NULL, search_name TEXT);
            """),
    ]

    static func migrate(_ session: PostgresSession) throws {
        try session.transaction {
            try session.query("SELECT pg_advisory_xact_lock(\(migrationLock))")
            try session.query("CREATE TABLE IF NOT EXISTS petition_schema (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            let applied = Set(try session.query("SELECT version FROM petition_schema").rows.map { try $0.decode(String.self) })
            for (name, sql) in versions where !applied.contains(name) {
                // Several statements in one simple query (no parameters).
                for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                    try session.query(statement)
                }
                try session.query("INSERT INTO petition_schema (version) VALUES ($1)", PostgresBindings(name))
            }
        }
    }
}
