import EventSourcing
import EventStoreSQLite
import Foundation
import NIOCore
import PostgresNIO

/// The PostgreSQL log read-only, as audits and rebuilds read it, through the same ``EventLogReader`` as the
/// SQLite file: each connection is a session of its own, and a snapshot is a `REPEATABLE READ READ ONLY`
/// transaction, so a verify or a rebuild sees one state of the log however much the gateway appends meanwhile.
public struct PostgresEventLog: EventLogReader {
    public let address: PostgresLocation
    /// With it, ``keys()`` opens the wrapped keys.
    private let kek: KeyEncryptionKey?

    public var location: String { address.description }

    /// The log at `address`; fails when the server cannot be reached or the database holds no event log.
    public init(_ address: PostgresLocation, kek: KeyEncryptionKey? = nil) throws(EventStoreError) {
        self.address = address
        self.kek = kek
        let connection = try PostgresLogConnection(address)
        guard try connection.holdsLog() else {
            throw .storage("the database \(address) holds no petition-followup event log (no events table)")
        }
    }

    public func connect() throws(EventStoreError) -> any EventLogConnection {
        try PostgresLogConnection(address)
    }

    /// A copy of the whole log as the embedded store's SQLite file, from one snapshot: `audit verify --log FILE`
    /// checks it offline, and `petitionctl migrate --from FILE` puts it back into PostgreSQL (or any data folder).
    /// Keys are copied as stored (wrapped, when the log wraps them); a destroyed key is in no row, so in no copy.
    public func backup(to path: String) throws(EventStoreError) -> Int64 {
        guard !FileManager.default.fileExists(atPath: path) else { throw .storage("\(path) exists") }
        do {
            return try LogCopy.copy(from: self, to: try SQLiteLogCopy(newFileAt: path)).head
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            if let error = error as? EventStoreError { throw error }
            throw .storage("cannot copy the event log at \(address) into \(path): \(error)")
        }
    }

    public func keys() throws(EventStoreError) -> [String: Data] {
        let stored = try PostgresLogConnection(address).sideTables().secrets
        var keys: [String: Data] = [:]
        for secret in stored {
            if let key = kek?.openKey(secret.key) ?? (secret.key.count == 32 ? secret.key : nil) { keys[secret.id] = key }
        }
        return keys
    }
}

/// One session reading the log; one thread at a time.
final class PostgresLogConnection: EventLogConnection {
    private let session: PostgresSession
    private var depth = 0

    init(_ address: PostgresLocation) throws(EventStoreError) {
        session = try PostgresSession(address)
    }

    /// Runs a read, turning the driver's failures into the store's.
    func reading<T>(_ body: () throws -> T) throws(EventStoreError) -> T {
        do { return try body() } catch let error as EventStoreError { throw error } catch {
            throw .storage("cannot read the event log at \(session.location): \(PostgresSession.explain(error))")
        }
    }

    func holdsLog() throws(EventStoreError) -> Bool {
        try reading { try session.tableExists("events") }
    }

    func snapshot<T>(_ body: () throws -> T) throws -> T {
        if depth == 0 { try reading { try session.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") } }
        depth += 1
        defer {
            depth -= 1
            if depth == 0 { _ = try? session.query("COMMIT") }
        }
        return try body()
    }

    func head() throws(EventStoreError) -> Int64 {
        try reading { try session.integer("SELECT MAX(position) FROM events") ?? 0 }
    }

    func lastPosition(recordedBy millis: Int64) throws(EventStoreError) -> Int64 {
        try reading { try session.integer("SELECT MAX(position) FROM events WHERE recorded_at <= $1", PostgresBindings(millis)) ?? 0 }
    }

    func recordedAt(_ position: Int64) throws(EventStoreError) -> Int64? {
        try reading { try session.integer("SELECT recorded_at FROM events WHERE position = $1", PostgresBindings(position)) }
    }

    func hash(at position: Int64) throws(EventStoreError) -> Data? {
        try reading {
            guard let row = try session.query("SELECT hash FROM events WHERE position = $1", PostgresBindings(position)).rows.first else { return nil }
            let hash = Data(buffer: try row.decode(ByteBuffer.self))
            return hash.count == 32 ? hash : nil
        }
    }

    func position(holding hash: UnsafeRawPointer) throws(EventStoreError) -> Int64? {
        let bytes = ByteBuffer(bytes: UnsafeRawBufferPointer(start: hash, count: 32))
        return try reading { try session.integer("SELECT position FROM events WHERE hash = $1 LIMIT 1", PostgresBindings(bytes)) }
    }

    func records(of streams: [StreamName], through last: Int64) throws(EventStoreError) -> [RecordedEvent] {
        guard !streams.isEmpty else { return [] }
        return try reading {
            try PostgresRecords.fetch(session, "WHERE stream = ANY($1) AND position <= $2 ORDER BY position",
                                      PostgresBindings(streams.map(\.description), last))
        }
    }

    func cursor() throws(EventStoreError) -> any EventLogCursor {
        PostgresLogCursor(session: session, connection: self)
    }

    func sideTables() throws(EventStoreError) -> LogSideTables {
        try reading {
            var tables = LogSideTables()
            for row in try session.query("SELECT command_id, fingerprint, reply FROM commands ORDER BY command_id").rows {
                let (id, fingerprint, reply) = try row.decode((String, String, String).self)
                tables.commands.append(CommandRecord(commandId: id, fingerprint: fingerprint, reply: reply))
            }
            for row in try session.query("SELECT id, key, search_name FROM secrets ORDER BY id").rows {
                let (id, key, name) = try row.decode((String, ByteBuffer, String?).self)
                tables.secrets.append(SecretKey(id: id, key: Data(buffer: key), searchName: name))
            }
            for row in try session.query("SELECT category, streams FROM categories").rows {
                let (category, count) = try row.decode((String, Int64).self)
                tables.categories[category] = count
            }
            return tables
        }
    }
}

/// Walks the log in pages of rows; the current record's fields are copied once into a buffer the cursor owns,
/// so ``bytes(_:)`` hands out pointers valid until the next move, as the protocol promises.
final class PostgresLogCursor: EventLogCursor {
    private static let page = 2_000
    private let session: PostgresSession
    private let connection: PostgresLogConnection // kept open while the cursor lives
    private var rows: [PostgresRow] = []
    private var index = 0
    private var next: Int64 = 1
    private var exhausted = false
    /// The current record's fields: integers, and (offset, count) into `arena` for texts and hashes.
    private var integers = [Int64](repeating: 0, count: RecordField.allCases.count)
    private var spans = [(Int, Int)](repeating: (0, 0), count: RecordField.allCases.count)
    private var arena = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)

    init(session: PostgresSession, connection: PostgresLogConnection) {
        self.session = session
        self.connection = connection
    }

    deinit { arena.deallocate() }

    func seek(_ position: Int64) throws(EventStoreError) {
        next = position
        rows = []
        index = 0
        exhausted = false
    }

    func step() throws(EventStoreError) -> Bool {
        if index >= rows.count {
            if exhausted { return false }
            rows = try connection.reading {
                try session.query("SELECT \(PostgresRecords.columns) FROM events WHERE position >= $1 ORDER BY position LIMIT \(Self.page)",
                                  PostgresBindings(next)).rows
            }
            index = 0
            exhausted = rows.count < Self.page
            if rows.isEmpty { return false }
        }
        try load(rows[index])
        index += 1
        next = integers[Int(RecordField.position.rawValue)] + 1
        return true
    }

    private static let integerFields: Set<RecordField> = [.position, .streamVersion, .occurredAt, .recordedAt]

    private func load(_ row: PostgresRow) throws(EventStoreError) {
        var cells: [ByteBuffer] = []
        cells.reserveCapacity(spans.count)
        for cell in row { cells.append(cell.bytes ?? ByteBuffer()) }
        guard cells.count == spans.count else { throw .corrupt("a row of events has \(cells.count) columns, expected \(spans.count)") }
        let total = cells.reduce(0) { $0 + $1.readableBytes }
        if total > arena.count {
            arena.deallocate()
            arena = .allocate(byteCount: max(total, arena.count * 2), alignment: 8)
        }
        var offset = 0
        for field in RecordField.allCases {
            let cell = cells[Int(field.rawValue)]
            if Self.integerFields.contains(field) {
                guard let value = cell.getInteger(at: cell.readerIndex, as: Int64.self) else {
                    throw .corrupt("the record after position \(next - 1) has no \(field)")
                }
                integers[Int(field.rawValue)] = value
            } else {
                cell.withUnsafeReadableBytes { bytes in
                    if bytes.count > 0 { (arena.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
                    spans[Int(field.rawValue)] = (offset, bytes.count)
                    offset += bytes.count
                }
            }
        }
    }

    func integer(_ field: RecordField) -> Int64 { integers[Int(field.rawValue)] }

    func bytes(_ field: RecordField) -> UnsafeRawBufferPointer {
        let (offset, count) = spans[Int(field.rawValue)]
        return UnsafeRawBufferPointer(start: arena.baseAddress! + offset, count: count)
    }
}
