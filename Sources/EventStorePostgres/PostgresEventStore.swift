import EventSourcing
import Foundation
import NIOCore
import PostgresNIO

/// The event log in PostgreSQL: the same tables, hash chain and promises as the embedded SQLite log, for a
/// province whose operators replicate and back up PostgreSQL with the tools they already trust.
///
/// One process writes (the gateway, which holds the writer's lease: ``PostgresWriterLease``); positions are the
/// writer's own count, so they are gapless (a sequence would skip numbers on a rollback), and two writers that
/// both tried would collide on the position's primary key, never interleave. A commit returns once PostgreSQL
/// has made it durable (the writer raises a server's `synchronous_commit` of `off` or `local` to `on`).
public final class PostgresEventStore: EventStore, @unchecked Sendable { // the writer's session is used by one thread, as EventStore says
    public let location: PostgresLocation
    private let writer: PostgresSession
    var writerSession: PostgresSession { writer }
    /// Reads from other threads (history, queries) get a session each, taken from here and given back.
    private let readers = SessionShelf()
    private let kek: KeyEncryptionKey?
    /// Called when the writing session itself failed (the connection, not a refused statement): the writer's
    /// lease went with it, so the process must stop writing. Set once, before the first append.
    nonisolated(unsafe) public var onWriterLost: (@Sendable (String) -> Void)?

    /// Opens the log at `location`, creating its tables if the database has none.
    /// With `kek`, every person's key and folded name is kept wrapped under it.
    public init(_ location: PostgresLocation, kek: KeyEncryptionKey? = nil) throws(EventStoreError) {
        self.location = location
        self.kek = kek
        writer = try PostgresSession(location)
        writer.deadline = .seconds(120) // a commit, or the keys' table rewritten after an erasure
        do {
            try PostgresSchema.migrate(writer)
        } catch {
            throw .storage("cannot prepare the event log at \(location): \(PostgresSession.explain(error))")
        }
    }

    /// Whether the log at `address` keeps keys wrapped under a key-encryption key (false when it has no tables yet).
    public static func holdsWrappedKeys(at address: String) throws(EventStoreError) -> Bool {
        let location = try PostgresLocation(address)
        do {
            let session = try PostgresSession(location)
            guard try session.tableExists("secrets") else { return false }
            return try session.integer("SELECT count(*) FROM (SELECT 1 FROM secrets WHERE length(key) <> 32 LIMIT 1) AS wrapped") == 1
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw .storage("cannot read \(location): \(PostgresSession.explain(error))")
        }
    }

    /// Opens the log at a `postgresql://` address.
    public convenience init(address: String, kek: KeyEncryptionKey? = nil) throws(EventStoreError) {
        try self.init(try PostgresLocation(address), kek: kek)
    }

    public func append(_ batch: AppendBatch, recordedAt: Date) throws(EventStoreError) -> [RecordedEvent] {
        do {
            let recorded = try writer.transaction { try write(batch, recordedAt: recordedAt) }
            // The batch is durable: a rewrite that cannot run now is tried again after the next one, never reported as its failure.
            if erasurePending != nil { _ = try? purgeErasedKeys() }
            return recorded
        } catch let error as EventStoreError {
            throw error
        } catch {
            if let (state, constraint) = PostgresSession.serverError(error), state == "23505" {
                switch constraint {
                case "events_id_key": throw .duplicateEventId("(one of this batch's events)")
                case "commands_pkey": throw .duplicateCommand("(one of this batch's commands)")
                case "events_pkey", "events_stream_stream_version_key":
                    let head = (try? headPosition()) ?? -1
                    throw .headMoved(expected: batch.expectedHead ?? -1, actual: head)
                default: break
                }
            }
            if PostgresSession.sessionLost(error), let onWriterLost { onWriterLost(PostgresSession.explain(error)) }
            throw .storage("cannot append to the event log at \(location): \(PostgresSession.explain(error))")
        }
    }

    private func write(_ batch: AppendBatch, recordedAt: Date) throws -> [RecordedEvent] {
        // Every stream's version in one read, then the head: the batch is laid out from them (AppendBatch.records:
        // the expectations, positions, versions and hash chain, as every store lays them out).
        var versions: [StreamName: Int64] = [:]
        let streams = batch.streams
        if !streams.isEmpty {
            for row in try writer.query("SELECT stream, MAX(stream_version) FROM events WHERE stream = ANY($1) GROUP BY stream",
                                        PostgresBindings(streams.map(\.description))).rows {
                let (stream, version) = try row.decode((String, Int64).self)
                if let name = StreamName(stream) { versions[name] = version }
            }
        }
        try batch.checkExpectations(versions) // before the head: a wrong version is reported as such even when the head moved too
        var position: Int64 = 0
        var previous = HashChain.genesis
        if let row = try writer.query("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1").rows.first {
            let (head, hash) = try row.decode((Int64, ByteBuffer).self)
            position = head
            previous = Data(buffer: hash)
        }
        if let expected = batch.expectedHead, expected != position {
            throw EventStoreError.headMoved(expected: expected, actual: position)
        }
        let (recorded, newStreams) = try batch.records(versions: versions, head: position, previous: previous, recordedAt: recordedAt)
        if !recorded.isEmpty { try writer.query(EventColumns.insert, EventColumns(recorded).bindings) }

        if !newStreams.isEmpty {
            try writer.query("""
                INSERT INTO categories (category, streams) SELECT * FROM unnest($1::text[], $2::bigint[])
                ON CONFLICT (category) DO UPDATE SET streams = categories.streams + excluded.streams
                """, PostgresBindings(Array(newStreams.keys), Array(newStreams.values)))
        }
        if !batch.commands.isEmpty {
            try writer.query("INSERT INTO commands (command_id, fingerprint, reply) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
                             PostgresBindings(batch.commands.map(\.commandId), batch.commands.map(\.fingerprint), batch.commands.map(\.reply)))
        }
        if !batch.secrets.isEmpty {
            let stored = batch.secrets.map { $0.stored(under: kek) }
            var binds = PostgresBindings()
            binds.append(batch.secrets.map(\.id))
            binds.append(stored.map { ByteBuffer(data: $0.key) })
            // An absent folded name is NULL: an array of texts cannot hold one, so a second array says which are absent.
            binds.append(stored.map { $0.searchName ?? "" })
            binds.append(stored.map { $0.searchName == nil })
            try writer.query("""
                INSERT INTO secrets (id, key, search_name)
                SELECT id, key, CASE WHEN absent THEN NULL ELSE name END FROM unnest($1::text[], $2::bytea[], $3::text[], $4::bool[]) AS s(id, key, name, absent)
                """, binds)
        }
        if !batch.destroyedSecrets.isEmpty {
            try writer.query("DELETE FROM secrets WHERE id = ANY($1)", PostgresBindings(batch.destroyedSecrets))
            erasurePending = try writer.currentTransaction()
        }
        return recorded
    }

    /// The transaction (its 32-bit id) that last deleted keys whose rows may still be in the table's pages.
    nonisolated(unsafe) private var erasurePending: Int64? // the writer's thread only

    func markErasurePending(_ xid: Int64) { erasurePending = xid }

    /// Refuses a key-encryption key that opens none of the log's wrapped keys (a gateway given a key of its own
    /// instead of a copy of the one the log's keys are wrapped under would take everyone for erased).
    func checkKeyOpensTheLog() throws {
        guard let kek else { return }
        guard let row = try writer.query("SELECT key FROM secrets WHERE length(key) <> 32 LIMIT 1").rows.first else { return }
        guard kek.openKey(Data(buffer: try row.decode(ByteBuffer.self))) != nil else {
            throw EventStoreError.storage("this gateway's key-encryption key (keys/personal-data.key or PETITION_KEK) does not open the log's personal-data keys: give it a copy of the key of the gateway that wrapped them")
        }
    }

    /// Wraps what `secrets` still holds in clear (a log an earlier version kept, migrated in), in one transaction.
    func wrapClearSecrets() throws {
        guard let kek else { return }
        try writer.transaction {
            let rows = try writer.query("SELECT id, key, search_name FROM secrets WHERE \(KeyEncryptionKey.clearSecretsCondition)").rows
            for row in rows {
                let (id, stored, storedName) = try row.decode((String, ByteBuffer, String?).self)
                let (key, name) = kek.wrappingClear(key: Data(buffer: stored), name: storedName)
                var binds = PostgresBindings()
                binds.append(ByteBuffer(data: key))
                binds.append(name)
                binds.append(id)
                try writer.query("UPDATE secrets SET key = $1, search_name = $2 WHERE id = $3", binds)
            }
        }
    }

    /// Writes the keys' table anew without the rows of destroyed keys (`VACUUM FULL secrets`: a DELETE leaves a
    /// row's bytes in its page until the page is reused). A snapshot older than the deletion (an audit's, a
    /// `pg_dump` running, in any database of the cluster) would keep the row alive through the rewrite, so the
    /// rewrite waits until none is left: false while one is, and the next append tries again. True when no
    /// destroyed key's row is left in the table's files.
    @discardableResult
    public func purgeErasedKeys() throws(EventStoreError) -> Bool {
        guard let xid = erasurePending else { return true }
        do {
            // Whatever holds the cluster's horizon back: sessions' snapshots, replication slots, prepared transactions.
            let older = try writer.integer("""
                SELECT (SELECT count(*) FROM pg_stat_activity
                        WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid() AND age(backend_xmin) >= age($1::text::xid))
                     + (SELECT count(*) FROM pg_replication_slots
                        WHERE (xmin IS NOT NULL AND age(xmin) >= age($1::text::xid)) OR (catalog_xmin IS NOT NULL AND age(catalog_xmin) >= age($1::text::xid)))
                     + (SELECT count(*) FROM pg_prepared_xacts WHERE age(transaction) >= age($1::text::xid))
                """, PostgresBindings(String(xid))) ?? 0
            guard older == 0 else { return false }
            // The rewrite takes the table's lock: waited for a quarter of a second at most (this is the writer), else later.
            try writer.query("SET lock_timeout = '250ms'")
            defer { _ = try? writer.query("SET lock_timeout = 0") }
            do {
                try writer.query("VACUUM FULL secrets")
            } catch let error where PostgresSession.serverError(error)?.state == "55P03" {
                return false
            }
            erasurePending = nil
            return true
        } catch {
            throw .storage("cannot rewrite the keys' table of \(location): \(PostgresSession.explain(error))")
        }
    }

    // MARK: reads (any thread: each takes a session of its own)

    private func reading<T>(_ body: (PostgresSession) throws -> T) throws(EventStoreError) -> T {
        let session: PostgresSession
        do { session = try readers.take { () throws(EventStoreError) in try PostgresSession(location) } }
        catch { throw error }
        do {
            let result = try body(session)
            readers.give(session)
            return result
        } catch let error as EventStoreError {
            readers.give(session)
            throw error
        } catch {
            // A failed session is dropped, not given back.
            throw .storage("cannot read the event log at \(location): \(PostgresSession.explain(error))")
        }
    }

    public func read(from position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] {
        try reading { try PostgresRecords.fetch($0, "WHERE position >= $1 ORDER BY position LIMIT $2", PostgresBindings(position, Int64(limit))) }
    }

    public func readStream(_ stream: StreamName) throws(EventStoreError) -> [RecordedEvent] {
        try reading { try PostgresRecords.fetch($0, "WHERE stream = $1 ORDER BY stream_version", PostgresBindings(stream.description)) }
    }

    public func lastRecord(of stream: StreamName) throws(EventStoreError) -> RecordedEvent? {
        try reading { try PostgresRecords.fetch($0, "WHERE stream = $1 ORDER BY stream_version DESC LIMIT 1", PostgresBindings(stream.description)).first }
    }

    public func streamVersion(_ stream: StreamName) throws(EventStoreError) -> Int64 {
        try reading { try $0.integer("SELECT MAX(stream_version) FROM events WHERE stream = $1", PostgresBindings(stream.description)) ?? 0 }
    }

    public func headPosition() throws(EventStoreError) -> Int64 {
        try reading { try $0.integer("SELECT MAX(position) FROM events") ?? 0 }
    }

    public func commands(_ commandIds: [String]) throws(EventStoreError) -> [String: CommandRecord] {
        guard !commandIds.isEmpty else { return [:] }
        return try reading { session in
            var found: [String: CommandRecord] = [:]
            for row in try session.query("SELECT command_id, fingerprint, reply FROM commands WHERE command_id = ANY($1)",
                                         PostgresBindings(commandIds)).rows {
                let (id, fingerprint, reply) = try row.decode((String, String, String).self)
                found[id] = CommandRecord(commandId: id, fingerprint: fingerprint, reply: reply)
            }
            return found
        }
    }

    public func streamCount(category: String) throws(EventStoreError) -> Int64 {
        try reading { try $0.integer("SELECT streams FROM categories WHERE category = $1", PostgresBindings(category)) ?? 0 }
    }

    public func secret(_ id: String) throws(EventStoreError) -> SecretKey? {
        try reading { session in
            guard let row = try session.query("SELECT key, search_name FROM secrets WHERE id = $1", PostgresBindings(id)).rows.first else { return nil }
            let (stored, name) = try row.decode((ByteBuffer, String?).self)
            return SecretKey(id: id, storedKey: Data(buffer: stored), storedName: name, kek: kek)
        }
    }

    public func people(matching words: [String], limit: Int) throws(EventStoreError) -> [String] {
        try reading { session in
            guard let kek else {
                var sql = "SELECT id FROM secrets WHERE search_name IS NOT NULL"
                for index in words.indices { sql += " AND strpos(search_name, $\(index + 1)) > 0" }
                var binds = PostgresBindings()
                for word in words { binds.append(word) }
                binds.append(Int64(limit))
                return try session.query(sql + " ORDER BY id COLLATE \"C\" LIMIT $\(words.count + 1)", binds).rows.map { try $0.decode(String.self) }
            }
            // Wrapped names are opened here, in memory: none is ever in the database in clear.
            let rows = try session.query("SELECT id, search_name FROM secrets WHERE search_name IS NOT NULL AND search_name <> '' ORDER BY id COLLATE \"C\"").rows
            var found: [String] = []
            for row in rows {
                let (id, stored) = try row.decode((String, String).self)
                guard let name = kek.openName(stored), words.allSatisfy({ name.contains($0) }) else { continue }
                found.append(id)
                if found.count == limit { break }
            }
            return found
        }
    }
}

/// Sessions kept for reuse by reading threads.
final class SessionShelf: @unchecked Sendable { // guarded by its lock
    private let lock = NSLock()
    private var idle: [PostgresSession] = []

    func take(_ open: () throws(EventStoreError) -> PostgresSession) throws(EventStoreError) -> PostgresSession {
        if let session = lock.withLock({ idle.popLast() }) { return session }
        return try open()
    }

    func give(_ session: PostgresSession) {
        lock.withLock { if idle.count < 8 { idle.append(session) } }
    }
}

/// The events of one batch as one array per column, written with a single `INSERT … SELECT FROM unnest(…)`.
struct EventColumns {
    static let insert = """
        INSERT INTO events (position, stream, stream_version, id, type, occurred_at, recorded_at, data,
                            actor, command_id, correlation_id, causation_id, previous_hash, hash)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                             $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bytea[], $14::bytea[])
        """
    private var position: [Int64] = [], version: [Int64] = [], occurred: [Int64] = [], recorded: [Int64] = []
    private var stream: [String] = [], id: [String] = [], type: [String] = [], data: [String] = []
    private var actor: [String] = [], command: [String] = [], correlation: [String] = [], causation: [String] = []
    private var previous: [ByteBuffer] = [], hash: [ByteBuffer] = []

    /// `records`, exactly as they are (positions, versions, hashes and all).
    init(_ records: [RecordedEvent]) {
        for r in records {
            position.append(r.position); stream.append(r.stream.description); version.append(r.streamVersion)
            id.append(r.id); type.append(r.type)
            occurred.append(Timestamp.millis(r.occurredAt)); recorded.append(Timestamp.millis(r.recordedAt)); data.append(r.data)
            actor.append(r.metadata.actor); command.append(r.metadata.commandId)
            correlation.append(r.metadata.correlationId); causation.append(r.metadata.causationId)
            previous.append(ByteBuffer(data: r.previousHash)); hash.append(ByteBuffer(data: r.hash))
        }
    }

    var bindings: PostgresBindings {
        var b = PostgresBindings(capacity: 14)
        b.append(position); b.append(stream); b.append(version); b.append(id); b.append(type); b.append(occurred)
        b.append(recorded); b.append(data); b.append(actor); b.append(command); b.append(correlation); b.append(causation)
        b.append(previous); b.append(hash)
        return b
    }
}

/// Whole records read back from `events`.
enum PostgresRecords {
    static let columns = "position, stream, stream_version, id, type, occurred_at, recorded_at, data, actor, command_id, correlation_id, causation_id, previous_hash, hash"

    static func fetch(_ session: PostgresSession, _ clause: String, _ binds: PostgresBindings) throws -> [RecordedEvent] {
        try session.query("SELECT \(columns) FROM events \(clause)", binds).rows.map(record)
    }

    static func record(_ row: PostgresRow) throws -> RecordedEvent {
        let (position, streamText, version, id, type, occurred, recorded, data, actor, command, correlation, causation, previous, hash) =
            try row.decode((Int64, String, Int64, String, String, Int64, Int64, String, String, String, String, String, ByteBuffer, ByteBuffer).self)
        guard let stream = StreamName(streamText) else {
            throw EventStoreError.corrupt("the record at position \(position) has a stream name that cannot be read: \(streamText.debugDescription)")
        }
        return RecordedEvent(position: position, stream: stream, streamVersion: version, id: id, type: type,
                             occurredAt: Timestamp.date(millis: occurred), recordedAt: Timestamp.date(millis: recorded), data: data,
                             metadata: EventMetadata(actor: actor, commandId: command, correlationId: correlation, causationId: causation),
                             previousHash: Data(buffer: previous), hash: Data(buffer: hash))
    }
}
