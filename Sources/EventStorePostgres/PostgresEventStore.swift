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
/// has made it durable (`synchronous_commit` as the server sets it, `on` by default).
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
            guard try session.integer("SELECT count(*) FROM pg_tables WHERE tablename = 'secrets' AND schemaname = current_schema()") == 1 else { return false }
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
            if erasurePending != nil { _ = try purgeErasedKeys() }
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
            if PostgresSession.serverError(error) == nil, let onWriterLost { onWriterLost(PostgresSession.explain(error)) }
            throw .storage("cannot append to the event log at \(location): \(PostgresSession.explain(error))")
        }
    }

    private func write(_ batch: AppendBatch, recordedAt: Date) throws -> [RecordedEvent] {
        // Every stream's version in one read, and every expectation checked before anything is written.
        let streams = Array(Set(batch.appends.map(\.stream.description)))
        var startVersions: [StreamName: Int64] = [:]
        if !streams.isEmpty {
            for row in try writer.query("SELECT stream, MAX(stream_version) FROM events WHERE stream = ANY($1) GROUP BY stream",
                                        PostgresBindings(streams)).rows {
                let (stream, version) = try row.decode((String, Int64).self)
                if let name = StreamName(stream) { startVersions[name] = version }
            }
        }
        var versions: [StreamName: Int64] = [:]
        for append in batch.appends {
            let current = versions[append.stream] ?? startVersions[append.stream] ?? 0
            if startVersions[append.stream] == nil { startVersions[append.stream] = 0 }
            guard append.expectedVersion.admits(current) else {
                throw EventStoreError.wrongExpectedVersion(append.stream, expected: append.expectedVersion, actual: current)
            }
            versions[append.stream] = current + Int64(append.events.count)
        }

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
        let recordedMillis = Timestamp.millis(recordedAt)

        var rows = EventColumns(capacity: batch.appends.reduce(0) { $0 + $1.events.count })
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(rows.capacity)
        var streamVersions = startVersions
        for append in batch.appends where !append.events.isEmpty {
            var version = streamVersions[append.stream]!
            let stream = append.stream.description
            for event in append.events {
                position += 1
                version += 1
                let occurredMillis = Timestamp.millis(event.occurredAt)
                let hash = HashChain.hash(previous: previous, position: position, stream: stream, streamVersion: version,
                                          id: event.id, type: event.type, occurredAtMillis: occurredMillis,
                                          recordedAtMillis: recordedMillis, data: event.data, metadata: event.metadata)
                rows.add(position: position, stream: stream, version: version, event: event, occurred: occurredMillis,
                         recorded: recordedMillis, previous: previous, hash: hash)
                recorded.append(RecordedEvent(position: position, stream: append.stream, streamVersion: version, id: event.id,
                                              type: event.type, occurredAt: Timestamp.date(millis: occurredMillis),
                                              recordedAt: Timestamp.date(millis: recordedMillis), data: event.data,
                                              metadata: event.metadata, previousHash: previous, hash: hash))
                previous = hash
            }
            streamVersions[append.stream] = version
        }
        if !recorded.isEmpty { try writer.query(EventColumns.insert, rows.bindings) }

        var newStreams: [String: Int64] = [:]
        for (stream, start) in startVersions where start == 0 && versions[stream]! > 0 {
            newStreams[stream.category, default: 0] += 1
        }
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
            var binds = PostgresBindings()
            binds.append(batch.secrets.map(\.id))
            binds.append(batch.secrets.map { secret in ByteBuffer(data: kek.map { $0.wrap(secret.key) } ?? secret.key) })
            // An absent folded name is NULL: one array with NULLs, spelled as text and cast.
            binds.append(batch.secrets.map { s in s.searchName.map { n in kek.map { $0.wrapName(n) } ?? n } ?? "" })
            binds.append(batch.secrets.map { $0.searchName == nil })
            try writer.query("""
                INSERT INTO secrets (id, key, search_name)
                SELECT id, key, CASE WHEN absent THEN NULL ELSE name END FROM unnest($1::text[], $2::bytea[], $3::text[], $4::bool[]) AS s(id, key, name, absent)
                """, binds)
        }
        if !batch.destroyedSecrets.isEmpty {
            try writer.query("DELETE FROM secrets WHERE id = ANY($1)", PostgresBindings(batch.destroyedSecrets))
            erasurePending = try writer.integer("SELECT txid_current() % 4294967296")
        }
        return recorded
    }

    /// The transaction (its 32-bit id) that last deleted keys whose rows may still be in the table's pages.
    nonisolated(unsafe) private var erasurePending: Int64? // the writer's thread only

    /// Writes the keys' table anew without the rows of destroyed keys (`VACUUM FULL secrets`: a DELETE leaves a
    /// row's bytes in its page until the page is reused). A snapshot older than the deletion (an audit's, a
    /// `pg_dump` running, in any database of the cluster) would keep the row alive through the rewrite, so the
    /// rewrite waits until none is left: false while one is, and the next append tries again. True when no
    /// destroyed key's row is left in the table's files.
    @discardableResult
    public func purgeErasedKeys() throws(EventStoreError) -> Bool {
        guard let xid = erasurePending else { return true }
        do {
            let older = try writer.integer(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid() AND age(backend_xmin) >= age($1::text::xid)",
                PostgresBindings(String(xid))) ?? 0
            guard older == 0 else { return false }
            try writer.query("VACUUM FULL secrets")
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
            guard let key = kek.map({ $0.openKey(Data(buffer: stored)) }) ?? Data(buffer: stored) else { return nil }
            return SecretKey(id: id, key: key, searchName: name.flatMap { n in kek.map { $0.openName(n) } ?? n })
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
    let capacity: Int
    private var position: [Int64] = [], version: [Int64] = [], occurred: [Int64] = [], recorded: [Int64] = []
    private var stream: [String] = [], id: [String] = [], type: [String] = [], data: [String] = []
    private var actor: [String] = [], command: [String] = [], correlation: [String] = [], causation: [String] = []
    private var previous: [ByteBuffer] = [], hash: [ByteBuffer] = []

    init(capacity: Int) {
        self.capacity = capacity
        position.reserveCapacity(capacity)
        data.reserveCapacity(capacity)
    }

    mutating func add(position p: Int64, stream s: String, version v: Int64, event: NewEvent, occurred o: Int64, recorded r: Int64,
                      previous prev: Data, hash h: Data) {
        position.append(p); stream.append(s); version.append(v); id.append(event.id); type.append(event.type)
        occurred.append(o); recorded.append(r); data.append(event.data)
        actor.append(event.metadata.actor); command.append(event.metadata.commandId)
        correlation.append(event.metadata.correlationId); causation.append(event.metadata.causationId)
        previous.append(ByteBuffer(data: prev)); hash.append(ByteBuffer(data: h))
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
