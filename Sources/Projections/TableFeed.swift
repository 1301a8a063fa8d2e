import EventStoreSQLite
import Foundation
import GRDB
import GRDBSQLite

/// Loads a whole table in one `INSERT … SELECT` from rows held in memory, through a virtual table.
///
/// A prepared insert run once per row makes SQLite start its program, open
/// the table and seek from the root of the b-tree for every row. Fed from an
/// eponymous virtual table (`feed_<table>`, registered for the load only), the
/// one statement keeps its cursor open and appends each row, in key order, to
/// where the last one went: on this project's machine that is 2–3 times the
/// rows per second of a prepared insert, for the same rows (see BENCHMARKS.md,
/// rebuild).
final class TableFeed {
    private var rows: AnyIterator<[RawStatement.Value]>
    private var current: [RawStatement.Value]?
    private var rowid: Int64 = 0
    private let width: Int
    /// A failure inside a callback, reported after the statement.
    private var failure: String?

    private init(width: Int, rows: AnyIterator<[RawStatement.Value]>) {
        self.width = width
        self.rows = rows
    }

    /// Inserts `rows` (each with one value per column) into `table` on connection `db`, in one statement.
    static func load(_ db: OpaquePointer, into table: String, columns: [String], rows: some Sequence<[RawStatement.Value]>) throws {
        let feed = TableFeed(width: columns.count, rows: AnyIterator(rows.makeIterator()))
        let name = "feed_\(table)"
        guard sqlite3_create_module_v2(db, name, module, Unmanaged.passUnretained(feed).toOpaque(), nil) == SQLITE_OK else {
            throw RebuildError("cannot load \(table): \(String(cString: sqlite3_errmsg(db)))")
        }
        // Unregistered when done: the module's client data is `feed`, which lives only for this call.
        defer { sqlite3_create_module_v2(db, name, nil, nil, nil) }
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT * FROM \(name)"
        let rc = withExtendedLifetime(feed) { sqlite3_exec(db, sql, nil, nil, nil) }
        guard rc == SQLITE_OK, feed.failure == nil else {
            throw RebuildError("cannot load \(table): \(feed.failure ?? String(cString: sqlite3_errmsg(db)))")
        }
    }

    /// Moves to the next row; SQLITE_ERROR (which stops the statement, and undoes its rows) for a row of the wrong width.
    private func advance() -> Int32 {
        current = rows.next()
        rowid += 1
        guard let current, current.count != width else { return SQLITE_OK }
        failure = "row \(rowid) has \(current.count) values for \(width) columns"
        self.current = nil
        return SQLITE_ERROR
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func result(_ column: Int, into context: OpaquePointer?) {
        guard let current else { return sqlite3_result_null(context) }
        switch current[column] {
        case .int(let value): sqlite3_result_int64(context, value)
        case .null: sqlite3_result_null(context)
        case .text(var text):
            text.withUTF8 { utf8 in
                // An empty buffer may have no address, and a null address is SQL NULL, not ''.
                guard let base = utf8.baseAddress, !utf8.isEmpty else { return sqlite3_result_text(context, "", 0, nil) }
                sqlite3_result_text(context, base, Int32(utf8.count), Self.transient)
            }
        case .blob(let data):
            data.withUnsafeBytes { bytes in
                sqlite3_result_blob(context, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), Self.transient)
            }
        }
    }

    // MARK: - The virtual table module

    /// The feed behind a virtual table or cursor: stored right after the `sqlite3_vtab` SQLite sees.
    private static func feed(_ table: UnsafeMutablePointer<sqlite3_vtab>?) -> TableFeed {
        let slot = UnsafeMutableRawPointer(table!) + MemoryLayout<sqlite3_vtab>.stride
        return Unmanaged<TableFeed>.fromOpaque(slot.load(as: UnsafeMutableRawPointer.self)).takeUnretainedValue()
    }

    private static func feed(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> TableFeed { feed(cursor!.pointee.pVtab) }

    // Set once, then only read (by SQLite).
    nonisolated(unsafe) private static let module: UnsafeMutablePointer<sqlite3_module> = {
        var module = sqlite3_module()
        module.iVersion = 1
        // Eponymous only (no xCreate): the table exists as soon as the module is registered.
        module.xConnect = { db, aux, _, _, table, _ in
            let feed = Unmanaged<TableFeed>.fromOpaque(aux!).takeUnretainedValue()
            let columns = (0..<feed.width).map { "c\($0)" }.joined(separator: ", ")
            let rc = sqlite3_declare_vtab(db, "CREATE TABLE x(\(columns))")
            guard rc == SQLITE_OK else { return rc }
            let size = MemoryLayout<sqlite3_vtab>.stride + MemoryLayout<UnsafeMutableRawPointer>.stride
            guard let memory = sqlite3_malloc(Int32(size)) else { return SQLITE_NOMEM }
            memory.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            (memory + MemoryLayout<sqlite3_vtab>.stride).storeBytes(of: aux!, as: UnsafeMutableRawPointer.self)
            table!.pointee = memory.assumingMemoryBound(to: sqlite3_vtab.self)
            return SQLITE_OK
        }
        module.xBestIndex = { _, info in
            info!.pointee.estimatedCost = 1_000_000
            return SQLITE_OK
        }
        module.xDisconnect = { table in
            sqlite3_free(table)
            return SQLITE_OK
        }
        module.xOpen = { _, cursor in
            guard let memory = sqlite3_malloc(Int32(MemoryLayout<sqlite3_vtab_cursor>.stride)) else { return SQLITE_NOMEM }
            memory.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<sqlite3_vtab_cursor>.stride)
            cursor!.pointee = memory.assumingMemoryBound(to: sqlite3_vtab_cursor.self)
            return SQLITE_OK
        }
        module.xClose = { cursor in
            sqlite3_free(cursor)
            return SQLITE_OK
        }
        module.xFilter = { cursor, _, _, _, _ in feed(cursor).advance() }
        module.xNext = { cursor in feed(cursor).advance() }
        module.xEof = { cursor in feed(cursor).current == nil ? 1 : 0 }
        module.xColumn = { cursor, context, column in
            feed(cursor).result(Int(column), into: context)
            return SQLITE_OK
        }
        module.xRowid = { cursor, rowid in
            rowid!.pointee = feed(cursor).rowid
            return SQLITE_OK
        }
        let pointer = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
        pointer.initialize(to: module)
        return pointer
    }()
}
