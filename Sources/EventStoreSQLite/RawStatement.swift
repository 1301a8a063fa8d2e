import Foundation
import GRDB
import GRDBSQLite

/// A prepared SQLite statement used directly, for per-record writes on hot paths (the log's append, the projection).
///
/// GRDB's statement layer costs several microseconds per execution (argument
/// boxing, authorizer, observers); replay applies hundreds of thousands of
/// events, so the hot statements bind and step through the C API. Only use
/// inside a GRDB write on the connection it was prepared on.
package final class RawStatement {
    package enum Value {
        case int(Int64)
        case text(String)
        case blob(Data)
        case null

        /// The integer, if this is an integer.
        package var intValue: Int64? {
            if case .int(let n) = self { return n }
            return nil
        }

        /// The bytes, if this is a blob.
        package var blobValue: Data? {
            if case .blob(let d) = self { return d }
            return nil
        }

        /// The text, if this is text.
        package var textValue: String? {
            if case .text(let t) = self { return t }
            return nil
        }
    }

    private var handle: OpaquePointer?
    private let sql: String

    package init(_ connection: OpaquePointer, _ sql: String) throws {
        self.sql = sql
        let rc = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard rc == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }

    deinit { sqlite3_finalize(handle) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `values` to ?1, ?2, … and steps to completion.
    package func run(_ values: [Value]) throws {
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        bind(values)
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc) }
    }

    /// Binds `values` and returns the first row's first `columns` columns, nil when there is no row.
    package func row(_ values: [Value], columns: Int32) throws -> [Value]? {
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        bind(values)
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_ROW else {
            if rc == SQLITE_DONE { return nil }
            throw error(rc)
        }
        return currentRow(columns)
    }

    /// Binds `values` and returns every row's first `columns` columns.
    package func rows(_ values: [Value], columns: Int32) throws -> [[Value]] {
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        bind(values)
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw error(rc) }
            rows.append(currentRow(columns))
        }
    }

    private func currentRow(_ columns: Int32) -> [Value] {
        (0..<columns).map { i in
            switch sqlite3_column_type(handle, i) {
            case SQLITE_INTEGER: return .int(sqlite3_column_int64(handle, i))
            case SQLITE_NULL: return .null
            case SQLITE_BLOB: return .blob(Data(bytes: sqlite3_column_blob(handle, i), count: Int(sqlite3_column_bytes(handle, i))))
            default: return sqlite3_column_text(handle, i).map { .text(String(cString: $0)) } ?? .null
            }
        }
    }

    private func bind(_ values: [Value]) {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case .int(let n): sqlite3_bind_int64(handle, index, n)
            case .null: sqlite3_bind_null(handle, index)
            case .blob(let d):
                d.withUnsafeBytes { buffer in
                    _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), Self.transient)
                }
            case .text(let s):
                var s = s
                s.withUTF8 { buffer in
                    _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                                          Int32(buffer.count), Self.transient)
                }
            }
        }
    }

    private func error(_ rc: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
    }
}
