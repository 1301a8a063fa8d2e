import EventSourcing
import Foundation
import GRDBSQLite

/// The SQLite log file read-only, as audits and rebuilds read it: with the system running or stopped, never written.
///
/// Each connection is a plain read-only SQLite connection of its own (WAL: readers never block the writer),
/// and reads columns through the C API, so the stored bytes reach the caller without copies.
public struct SQLiteEventLog: EventLogReader {
    public let location: String

    /// The log at `path`; fails when there is no such file or it is not a petition-followup event log.
    public init(path: String) throws(EventStoreError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .storage("no event log at \(path)")
        }
        location = path
        _ = try connect().head()
    }

    public func connect() throws(EventStoreError) -> any EventLogConnection {
        try SQLiteLogConnection(path: location)
    }

    public func backup(to path: String) throws(EventStoreError) -> Int64 {
        guard !FileManager.default.fileExists(atPath: path) else { throw .storage("\(path) exists") }
        let source = try SQLiteLogConnection(path: location)
        do {
            try source.execute("VACUUM INTO '\(path.replacingOccurrences(of: "'", with: "''"))'")
            return try SQLiteLogConnection(path: path).head()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}

extension SQLiteEventLog {
    /// Every kept key, opened with the log's key-encryption key (``KeyEncryptionKey/load(forLogAt:)``): without it,
    /// only keys an earlier version kept in clear open anyone.
    public func keys() throws(EventStoreError) -> [String: Data] {
        let stored = try SQLiteLogConnection(path: location).keys()
        let kek: KeyEncryptionKey?
        do { kek = try KeyEncryptionKey.load(forLogAt: location) } catch { throw .storage("\(error)") }
        return stored.compactMapValues { kek?.openKey($0) ?? ($0.count == 32 ? $0 : nil) }
    }
}

/// One read-only connection to the SQLite log; one thread at a time.
final class SQLiteLogConnection: EventLogConnection {
    private let path: String
    private var db: OpaquePointer?
    private var depth = 0
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) throws(EventStoreError) {
        self.path = path
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, db != nil else { throw failure("cannot open") }
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close(db)
    }

    func failure(_ what: String) -> EventStoreError {
        let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
        return .storage("\(what) the event log \(path): \(detail) (is it a petition-followup events.sqlite, and readable by you?)")
    }

    func execute(_ sql: String) throws(EventStoreError) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure("cannot read") }
    }

    /// A statement prepared once per connection; reset before it is handed out.
    func prepared(_ sql: String) throws(EventStoreError) -> OpaquePointer {
        if let statement = statements[sql] {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            return statement
        }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure("cannot read") }
        statements[sql] = statement
        return statement
    }

    func snapshot<T>(_ body: () throws -> T) throws -> T {
        if depth == 0 { try execute("BEGIN") }
        depth += 1
        defer {
            depth -= 1
            if depth == 0 { sqlite3_exec(db, "COMMIT", nil, nil, nil) }
        }
        return try body()
    }

    /// The first column of the first row of `sql` with `bind` applied, as an integer; nil when there is no row or it is NULL.
    private func integer(_ sql: String, _ bind: (OpaquePointer) -> Void = { _ in }) throws(EventStoreError) -> Int64? {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        bind(statement)
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else { throw failure("cannot read") }
        guard rc == SQLITE_ROW, sqlite3_column_type(statement, 0) != SQLITE_NULL else { return nil }
        return sqlite3_column_int64(statement, 0)
    }

    func head() throws(EventStoreError) -> Int64 {
        try integer("SELECT MAX(position) FROM events") ?? 0
    }

    func lastPosition(recordedBy millis: Int64) throws(EventStoreError) -> Int64 {
        try integer("SELECT MAX(position) FROM events WHERE recorded_at <= ?") { sqlite3_bind_int64($0, 1, millis) } ?? 0
    }

    func recordedAt(_ position: Int64) throws(EventStoreError) -> Int64? {
        try integer("SELECT recorded_at FROM events WHERE position = ?") { sqlite3_bind_int64($0, 1, position) }
    }

    func hash(at position: Int64) throws(EventStoreError) -> Data? {
        let statement = try prepared("SELECT hash FROM events WHERE position = ?")
        defer { sqlite3_reset(statement) }
        sqlite3_bind_int64(statement, 1, position)
        guard sqlite3_step(statement) == SQLITE_ROW, sqlite3_column_bytes(statement, 0) == 32,
              let blob = sqlite3_column_blob(statement, 0) else { return nil }
        return Data(bytes: blob, count: 32)
    }

    func position(holding hash: UnsafeRawPointer) throws(EventStoreError) -> Int64? {
        try integer("SELECT position FROM events WHERE hash = ? LIMIT 1") { sqlite3_bind_blob($0, 1, hash, 32, nil) }
    }

    func records(of streams: [StreamName], through last: Int64) throws(EventStoreError) -> [RecordedEvent] {
        guard !streams.isEmpty else { return [] }
        let marks = streams.map { _ in "?" }.joined(separator: ", ")
        let statement = try prepared("SELECT \(SQLiteLogCursor.columns) FROM events WHERE stream IN (\(marks)) AND position <= ? ORDER BY position")
        defer { sqlite3_reset(statement) }
        for (i, stream) in streams.enumerated() {
            sqlite3_bind_text(statement, Int32(i + 1), stream.description, -1, SQLiteLogCursor.transient)
        }
        sqlite3_bind_int64(statement, Int32(streams.count + 1), last)
        let cursor = SQLiteLogCursor(connection: self, statement: statement, owned: false)
        var found: [RecordedEvent] = []
        while try cursor.step() { found.append(try cursor.record()) }
        return found
    }

    /// Every key in the `secrets` table, by id.
    func keys() throws(EventStoreError) -> [String: Data] {
        let statement = try prepared("SELECT id, key FROM secrets")
        defer { sqlite3_reset(statement) }
        var keys: [String: Data] = [:]
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return keys }
            guard rc == SQLITE_ROW else { throw failure("cannot read the keys of") }
            let id = String(cString: sqlite3_column_text(statement, 0))
            let count = Int(sqlite3_column_bytes(statement, 1))
            keys[id] = count == 0 ? Data() : Data(bytes: sqlite3_column_blob(statement, 1), count: count)
        }
    }

    func sideTables() throws(EventStoreError) -> LogSideTables {
        var tables = LogSideTables()
        let commands = try prepared("SELECT command_id, fingerprint, reply FROM commands ORDER BY command_id")
        defer { sqlite3_reset(commands) }
        while try step(commands, "the commands of") {
            tables.commands.append(CommandRecord(commandId: text(commands, 0), fingerprint: text(commands, 1), reply: text(commands, 2)))
        }
        let secrets = try prepared("SELECT id, key, search_name FROM secrets ORDER BY id")
        defer { sqlite3_reset(secrets) }
        while try step(secrets, "the keys of") {
            let count = Int(sqlite3_column_bytes(secrets, 1))
            let key = count == 0 ? Data() : Data(bytes: sqlite3_column_blob(secrets, 1), count: count)
            let name = sqlite3_column_type(secrets, 2) == SQLITE_NULL ? nil : text(secrets, 2)
            tables.secrets.append(SecretKey(id: text(secrets, 0), key: key, searchName: name))
        }
        let categories = try prepared("SELECT category, streams FROM categories")
        defer { sqlite3_reset(categories) }
        while try step(categories, "the stream counts of") {
            tables.categories[text(categories, 0)] = sqlite3_column_int64(categories, 1)
        }
        return tables
    }

    private func step(_ statement: OpaquePointer, _ what: String) throws(EventStoreError) -> Bool {
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else { throw failure("cannot read \(what)") }
        return rc == SQLITE_ROW
    }

    private func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_blob(statement, column) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    func cursor() throws(EventStoreError) -> any EventLogCursor {
        var statement: OpaquePointer?
        let sql = "SELECT \(SQLiteLogCursor.columns) FROM events WHERE position >= ? ORDER BY position"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure("cannot read") }
        return SQLiteLogCursor(connection: self, statement: statement, owned: true)
    }
}

/// A cursor over `SELECT <every field> FROM events …`, columns in ``RecordField`` order.
final class SQLiteLogCursor: EventLogCursor {
    static let columns = "position, stream, stream_version, id, type, occurred_at, recorded_at, data, actor, command_id, correlation_id, causation_id, previous_hash, hash"
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let connection: SQLiteLogConnection // kept open while the cursor lives
    private let statement: OpaquePointer
    private let owned: Bool
    private var position: Int64 = 0

    init(connection: SQLiteLogConnection, statement: OpaquePointer, owned: Bool) {
        self.connection = connection
        self.statement = statement
        self.owned = owned
    }

    deinit { if owned { sqlite3_finalize(statement) } }

    func seek(_ position: Int64) throws(EventStoreError) {
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, position)
    }

    func step() throws(EventStoreError) -> Bool {
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW {
            position = sqlite3_column_int64(statement, 0)
            return true
        }
        guard rc == SQLITE_DONE else { throw connection.failure("cannot read past record \(position) of") }
        return false
    }

    func integer(_ field: RecordField) -> Int64 {
        sqlite3_column_int64(statement, field.rawValue)
    }

    func bytes(_ field: RecordField) -> UnsafeRawBufferPointer {
        // The blob accessor gives a text's UTF-8 bytes as stored, without the copy that adding a terminator costs.
        let pointer = sqlite3_column_blob(statement, field.rawValue)
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, field.rawValue)))
    }
}
