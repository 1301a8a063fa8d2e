import EventSourcing
import Foundation
import GRDB
import GRDBSQLite

/// The embedded event log: one SQLite file in WAL mode, through GRDB.
///
/// One process writes (the gateway); any number read. A commit returns only
/// after SQLite has synced it (`synchronous = FULL`), so an acknowledged
/// command survives a crash or `kill -9`.
public final class SQLiteEventStore: EventStore {
    /// The database; nothing outside the store touches it (readers use ``SQLiteEventLog``).
    private let pool: DatabasePool
    /// Wraps every person's key and folded name kept in `secrets` (nil: kept as an earlier version kept them).
    private let kek: KeyEncryptionKey?

    /// How long a statement waits for a lock before giving up.
    private static let busySeconds: TimeInterval = 10
    /// Set on the writer when keys were destroyed and the write-ahead log could not yet be truncated (a reader
    /// held an older snapshot): the next append tries again, and so does ``close()``.
    nonisolated(unsafe) private var residuePending = false // touched only by the single writer, in `append`
    /// Moves committed pages from the WAL into the file after each commit, off the writer's thread (nil when read-only).
    private let checkpointer: Checkpointer?

    /// Opens (creating if needed) the log at `path`.
    /// With `kek`, every person's key and folded name is kept wrapped under it, and those an earlier version kept in
    /// clear are wrapped on opening.
    public init(path: String, readOnly: Bool = false, kek: KeyEncryptionKey? = nil) throws(EventStoreError) {
        self.kek = kek
        var config = Configuration()
        config.readonly = readOnly
        config.label = "event-log"
        config.busyMode = .timeout(Self.busySeconds)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Destroyed keys are overwritten, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // The checkpointer's thread moves the WAL into the file; the writer does it itself only past this many pages.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Checkpointer.writerFallbackPages)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            checkpointer = readOnly ? nil : try Checkpointer(path: path)
            if !readOnly {
                try migrate()
                if let kek { try Self.wrapClearSecrets(pool, kek) }
            }
        } catch {
            throw .storage("cannot open event log at \(path): \(error)")
        }
    }

    private func migrate() throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    position INTEGER PRIMARY KEY,
                    stream TEXT NOT NULL,
                    stream_version INTEGER NOT NULL,
                    id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    data TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    command_id TEXT NOT NULL,
                    correlation_id TEXT NOT NULL,
                    causation_id TEXT NOT NULL,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    UNIQUE (stream, stream_version)
                );
                CREATE TABLE streams (
                    stream TEXT PRIMARY KEY,
                    category TEXT NOT NULL,
                    version INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX streams_by_category ON streams(category);
                CREATE TABLE commands (
                    command_id TEXT PRIMARY KEY,
                    fingerprint TEXT NOT NULL,
                    reply TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE secrets (
                    id TEXT PRIMARY KEY,
                    key BLOB NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-people-search") { db in
            // The folded name a citizen can be found by: personal data, deleted with the key.
            try db.execute(sql: "ALTER TABLE secrets ADD COLUMN search_name TEXT")
        }
        migrator.registerMigration("v3-lean-writes") { db in
            // A stream's version is its last event's `stream_version` (read through the events' unique
            // (stream, stream_version) index), so a command no longer writes a `streams` row and its index entry;
            // only the number of streams per category is kept, one row per category, updated once per batch.
            try db.execute(sql: """
                CREATE TABLE categories (
                    category TEXT PRIMARY KEY,
                    streams INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO categories (category, streams) SELECT category, COUNT(*) FROM streams GROUP BY category;
                DROP TABLE streams;
                """)
        }
        try migrator.migrate(pool)
    }

    public func append(_ batch: AppendBatch, recordedAt: Date) throws(EventStoreError) -> [RecordedEvent] {
        do {
            let recorded = try pool.write { db in
                if writes == nil { writes = try Writes(db.sqliteConnection!) }
                return try Self.append(batch, recordedAt: recordedAt, in: db, with: writes!, kek: kek)
            }
            if !batch.destroyedSecrets.isEmpty || residuePending { residuePending = !purgeResidue() }
            checkpointer?.nudge()
            return recorded
        } catch let error as EventStoreError {
            throw error
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            if error.message?.contains("events.id") == true {
                throw .duplicateEventId("(one of this batch's events)")
            }
            if error.message?.contains("commands.command_id") == true {
                // The primary key refused it; the transaction rolled back, nothing was written.
                throw .duplicateCommand("(one of this batch's commands)")
            }
            throw .storage("constraint violated: \(error)")
        } catch {
            throw .storage("\(error)")
        }
    }

    /// Whether the log at `path` keeps keys wrapped under a key-encryption key (so one is needed to open anyone).
    public static func holdsWrappedKeys(at path: String) throws(EventStoreError) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        do {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                guard try db.tableExists("secrets") else { return false }
                return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM secrets WHERE length(key) != 32)") ?? false
            }
        } catch {
            throw .storage("cannot read \(path): \(error)")
        }
    }

    /// Wraps what `secrets` still holds in clear (written before there was a key-encryption key), in one transaction.
    private static func wrapClearSecrets(_ pool: DatabasePool, _ kek: KeyEncryptionKey) throws {
        try pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, key, search_name FROM secrets WHERE \(KeyEncryptionKey.clearSecretsCondition)")
            for row in rows {
                let (key, name) = kek.wrappingClear(key: row["key"], name: row["search_name"])
                try db.execute(sql: "UPDATE secrets SET key = ?, search_name = ? WHERE id = ?", arguments: [key, name, row["id"] as String])
            }
        }
    }

    private static func append(_ batch: AppendBatch, recordedAt: Date, in db: Database, with w: Writes, kek: KeyEncryptionKey?) throws -> [RecordedEvent] {
        // Every stream's version (one probe of the (stream, stream_version) index each), then the head: the batch
        // is laid out from them (AppendBatch.records: the expectations, positions, versions and hash chain).
        var versions: [StreamName: Int64] = [:]
        for stream in batch.streams {
            versions[stream] = try w.streamVersion.row([.text(stream.description)], columns: 1)?.first?.intValue ?? 0
        }
        let head = try w.head.row([], columns: 2)
        let position: Int64 = head?[0].intValue ?? 0
        try batch.checkExpectations(versions) // before the head: a wrong version is reported as such even when the head moved too
        if let expected = batch.expectedHead, expected != position {
            throw EventStoreError.headMoved(expected: expected, actual: position)
        }
        let (recorded, newStreams) = try batch.records(versions: versions, head: position, previous: head?[1].blobValue ?? HashChain.genesis,
                                                        recordedAt: recordedAt)
        for r in recorded {
            try w.insertEvent.run([.int(r.position), .text(r.stream.description), .int(r.streamVersion), .text(r.id), .text(r.type),
                                   .int(Timestamp.millis(r.occurredAt)), .int(Timestamp.millis(r.recordedAt)), .text(r.data),
                                   .text(r.metadata.actor), .text(r.metadata.commandId), .text(r.metadata.correlationId),
                                   .text(r.metadata.causationId), .blob(r.previousHash), .blob(r.hash)])
        }
        for (category, count) in newStreams {
            try w.countStreams.run([.text(category), .int(count)])
        }
        for command in batch.commands {
            try w.insertCommand.run([.text(command.commandId), .text(command.fingerprint), .text(command.reply)])
        }
        for secret in batch.secrets {
            let (key, name) = secret.stored(under: kek)
            try w.insertSecret.run([.text(secret.id), .blob(key), name.map { .text($0) } ?? .null])
        }
        for id in batch.destroyedSecrets {
            try w.deleteSecret.run([.text(id)])
        }
        return recorded
    }

    /// The append's statements, prepared once on the writer connection and kept with it.
    private final class Writes {
        let insertEvent, streamVersion, head, countStreams, insertCommand, insertSecret, deleteSecret: RawStatement

        init(_ c: OpaquePointer) throws {
            insertEvent = try RawStatement(c, """
                INSERT INTO events (position, stream, stream_version, id, type, occurred_at, recorded_at, data,
                                    actor, command_id, correlation_id, causation_id, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            streamVersion = try RawStatement(c, SQLiteEventStore.streamVersionSQL)
            head = try RawStatement(c, "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
            countStreams = try RawStatement(c, """
                INSERT INTO categories (category, streams) VALUES (?, ?)
                ON CONFLICT(category) DO UPDATE SET streams = streams + excluded.streams
                """)
            insertCommand = try RawStatement(c, "INSERT INTO commands (command_id, fingerprint, reply) VALUES (?, ?, ?)")
            insertSecret = try RawStatement(c, "INSERT INTO secrets (id, key, search_name) VALUES (?, ?, ?)")
            deleteSecret = try RawStatement(c, "DELETE FROM secrets WHERE id = ?")
        }
    }
    /// A stream's version: its last event's, NULL when it has none (one probe of the (stream, stream_version) index).
    static let streamVersionSQL = "SELECT MAX(stream_version) FROM events WHERE stream = ?"

    /// Only touched inside `pool.write`, which serializes access.
    private nonisolated(unsafe) var writes: Writes?

    deinit {
        checkpointer?.stop()
        // Finalize the statements on the writer before its connection closes.
        if writes != nil { try? pool.writeWithoutTransaction { _ in writes = nil } }
    }

    /// Copies every committed page into the main file and empties the WAL.
    /// Checkpoints the whole WAL into the file and empties it; false when a reader kept it from completing
    /// (SQLite reports that in the result row, it does not throw).
    @discardableResult
    private static func truncateWAL(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") == 0
    }

    /// Checkpoints the WAL into the main file (leaving it empty) and closes every connection.
    ///
    /// A process that stops cleanly calls this last; the store cannot be used afterwards.
    public func close() throws(EventStoreError) {
        checkpointer?.stop()
        do {
            try pool.writeWithoutTransaction { db in
                writes = nil
                try Self.truncateWAL(db)
            }
            try pool.close()
        } catch {
            throw .storage("cannot close the event log: \(error)")
        }
    }

    public func read(from position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] {
        try reading { db in
            try Self.records(db, sql: "SELECT * FROM events WHERE position >= ? ORDER BY position LIMIT ?", arguments: [position, limit])
        }
    }

    public func readStream(_ stream: StreamName) throws(EventStoreError) -> [RecordedEvent] {
        try reading { db in
            try Self.records(db, sql: "SELECT * FROM events WHERE stream = ? ORDER BY stream_version", arguments: [stream.description])
        }
    }

    public func lastRecord(of stream: StreamName) throws(EventStoreError) -> RecordedEvent? {
        try reading { db in
            try Self.records(db, sql: "SELECT * FROM events WHERE stream = ? ORDER BY stream_version DESC LIMIT 1", arguments: [stream.description]).first
        }
    }

    public func streamVersion(_ stream: StreamName) throws(EventStoreError) -> Int64 {
        try reading { db in try Int64.fetchOne(db, sql: Self.streamVersionSQL, arguments: [stream.description]) ?? 0 }
    }

    public func headPosition() throws(EventStoreError) -> Int64 {
        try reading { db in try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM events") ?? 0 }
    }

    public func commands(_ commandIds: [String]) throws(EventStoreError) -> [String: CommandRecord] {
        guard !commandIds.isEmpty else { return [:] }
        return try reading { db in
            var found: [String: CommandRecord] = [:]
            // SQLite allows 32766 parameters; batches are far smaller, but chunk anyway.
            for start in stride(from: 0, to: commandIds.count, by: 10_000) {
                let chunk = Array(commandIds[start..<min(start + 10_000, commandIds.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM commands WHERE command_id IN (\(marks))", arguments: StatementArguments(chunk)) {
                    let record = CommandRecord(commandId: row["command_id"], fingerprint: row["fingerprint"], reply: row["reply"])
                    found[record.commandId] = record
                }
            }
            return found
        }
    }

    public func streamCount(category: String) throws(EventStoreError) -> Int64 {
        try reading { db in try Int64.fetchOne(db, sql: "SELECT streams FROM categories WHERE category = ?", arguments: [category]) ?? 0 }
    }

    public func secret(_ id: String) throws(EventStoreError) -> SecretKey? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT id, key, search_name FROM secrets WHERE id = ?", arguments: [id]).flatMap { row in
                let stored: Data = row["key"]
                let name: String? = row["search_name"]
                return SecretKey(id: row["id"], storedKey: stored, storedName: name, kek: kek)
            }
        }
    }

    /// Kept keys by id, those matching `condition` when given.
    private static func keys(_ db: Database, where condition: String? = nil, kek: KeyEncryptionKey?) throws -> [String: Data] {
        var keys: [String: Data] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, key FROM secrets" + (condition.map { " WHERE \($0)" } ?? ""))
        while let row = try rows.next() {
            let stored: Data = row[1]
            if let key = kek.map({ $0.openKey(stored) }) ?? stored { keys[row[0]] = key }
        }
        return keys
    }

    public func people(matching words: [String], limit: Int) throws(EventStoreError) -> [String] {
        try reading { db in
            guard let kek else {
                var sql = "SELECT id FROM secrets WHERE search_name IS NOT NULL"
                for _ in words { sql += " AND instr(search_name, ?) > 0" }
                return try String.fetchAll(db, sql: sql + " ORDER BY id LIMIT ?", arguments: StatementArguments(words) + [limit])
            }
            // Wrapped names are opened here, in memory, one by one: none is ever in the file in clear.
            var found: [String] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, search_name FROM secrets WHERE search_name IS NOT NULL AND search_name != '' ORDER BY id")
            while let row = try rows.next() {
                guard let name = kek.openName(row[1]), words.allSatisfy({ name.contains($0) }) else { continue }
                found.append(row[0])
                if found.count == limit { break }
            }
            return found
        }
    }

    /// Gives every kept key that has no folded name one (people recorded before names could be searched, i.e.
    /// before migration `v2-people-search`); returns how many were found. Reads the records of `types` in order;
    /// `person` opens one with the keys given and returns whose it is and their folded name, or nil. A key whose
    /// person no record names gets '' (found by nothing), so a file is gone through once.
    public func backfillSearchNames(fromRecordsOf types: [String],
                                    _ person: (RecordedEvent, [String: Data]) throws -> (personId: String, foldedName: String)?) throws -> Int {
        let keys = try pool.read { db in try Self.keys(db, where: "search_name IS NULL", kek: kek) }
        guard !keys.isEmpty else { return 0 }
        var names: [String: String] = [:]
        try pool.read { db in
            let marks = types.map { _ in "?" }.joined(separator: ", ")
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM events WHERE type IN (\(marks)) ORDER BY position", arguments: StatementArguments(types))
            while names.count < keys.count, let row = try cursor.next() {
                if let found = try person(Self.record(row), keys), names[found.personId] == nil {
                    names[found.personId] = found.foldedName
                }
            }
        }
        try pool.write { db in
            for id in keys.keys {
                // Only where still unset: a key destroyed meanwhile stays destroyed.
                let name = names[id].map { n in kek.map { $0.wrapName(n) } ?? n } ?? ""
                try db.execute(sql: "UPDATE secrets SET search_name = ? WHERE id = ? AND search_name IS NULL", arguments: [name, id])
            }
        }
        return names.count
    }

    /// After keys were destroyed: moves the write-ahead log into the main file and truncates it, so no copy
    /// of a destroyed key's page stays in the WAL (`secure_delete` already zeroes it in the file's pages).
    /// Waits at most a quarter of a second for readers, not the usual 10 s: this runs on the single writer's
    /// commit path. True when the WAL is empty; false when a reader still held an older snapshot (tried again later).
    private func purgeResidue() -> Bool {
        do {
            return try pool.writeWithoutTransaction { db in
                sqlite3_busy_timeout(db.sqliteConnection, 250)
                defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(Self.busySeconds * 1000)) }
                return try Self.truncateWAL(db)
            }
        } catch {
            return false
        }
    }

    private func reading<T>(_ body: (Database) throws -> T) throws(EventStoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as EventStoreError {
            throw error // e.g. corrupt: a record that cannot be read back, told apart from a failing store
        } catch {
            throw .storage("\(error)")
        }
    }

    private static func records(_ db: Database, sql: String, arguments: StatementArguments) throws -> [RecordedEvent] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(record)
    }

    /// A record from a row of `SELECT *` (columns by index, in table order: faster than by name).
    static func record(_ row: Row) throws -> RecordedEvent {
        let streamText: String = row[1]
        guard let stream = StreamName(streamText) else { throw EventStoreError.corrupt("bad stream name \(streamText)") }
        return RecordedEvent(
            position: row[0], stream: stream, streamVersion: row[2], id: row[3], type: row[4],
            occurredAt: Timestamp.date(millis: row[5]), recordedAt: Timestamp.date(millis: row[6]),
            data: row[7],
            metadata: EventMetadata(actor: row[8], commandId: row[9], correlationId: row[10], causationId: row[11]),
            previousHash: row[12], hash: row[13])
    }
}
