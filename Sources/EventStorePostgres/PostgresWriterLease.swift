import EventSourcing
import Foundation
import PostgresNIO

/// The single writer's lease on a PostgreSQL log: a session-level advisory lock held by the store's own writing
/// session. Only the session that holds it appends, so a gateway that lost its connection can write nothing
/// more, and the lock is released by PostgreSQL the moment that session ends (the process died, was killed
/// with -9, or its host went away: the session's TCP keepalives tell the server within about 15 s).
public enum PostgresWriterLease {
    /// The advisory lock's key ("petition" + 1).
    public static let key: Int64 = PostgresSchema.migrationLock + 1
}

extension PostgresEventStore {
    /// Blocks until this store's writing session holds the writer's lease, polling every `interval`;
    /// `waiting` is called once if another process holds it (a standby gateway says so and waits).
    public func acquireWriterLease(interval: TimeInterval = 0.5, waiting: () -> Void = {}) throws(EventStoreError) {
        var told = false
        do {
            // The server notices a vanished writer within about 5 + 3 × 3 s and releases its lease.
            try writerSession.query("SET tcp_keepalives_idle = 5")
            try writerSession.query("SET tcp_keepalives_interval = 3")
            try writerSession.query("SET tcp_keepalives_count = 3")
            while true {
                let row = try writerSession.query("SELECT pg_try_advisory_lock(\(PostgresWriterLease.key))").rows.first
                if try row?.decode(Bool.self) == true {
                    try becameWriter()
                    return
                }
                if !told { waiting(); told = true }
                Thread.sleep(forTimeInterval: interval)
            }
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw .storage("cannot take the writer's lease on \(location): \(PostgresSession.explain(error))")
        }
    }

    /// What the writer does first, holding the lease: its commits durable whatever the server's default (an
    /// acknowledged command must survive a crash of the server), keys an earlier version kept in clear wrapped, and
    /// the keys' table rewritten once in case a writer before it died between an erasure and its rewrite.
    private func becameWriter() throws {
        let mode = try writerSession.query("SHOW synchronous_commit").rows.first?.decode(String.self) ?? "on"
        if mode == "off" || mode == "local" { try writerSession.query("SET synchronous_commit = on") }
        try checkKeyOpensTheLog()
        try wrapClearSecrets()
        markErasurePending(try writerSession.currentTransaction())
        _ = try? purgeErasedKeys()
    }

    /// The process id of the PostgreSQL session holding the writer's lease, nil when no one holds it.
    public func leaseHolder() throws(EventStoreError) -> Int64? {
        do {
            let session = try PostgresSession(location)
            return try session.integer("""
                SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND objid = \(UInt32(truncatingIfNeeded: PostgresWriterLease.key)) AND classid = \(UInt32(truncatingIfNeeded: PostgresWriterLease.key >> 32))
                """)
        } catch {
            throw .storage("cannot read who holds the writer's lease on \(location): \(PostgresSession.explain(error))")
        }
    }
}
