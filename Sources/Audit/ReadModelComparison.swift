import EventSourcing
import Foundation
import GRDB

/// Compares two read model files table by table and row by row: same tables, same columns, same rows.
///
/// Both sides are read in primary-key order and merged, so memory stays
/// small whatever the size; keys compare as SQLite orders them (integers by
/// value, text by bytes), which is the order both files return.
public struct ReadModelComparison: Encodable, Sendable {
    /// Tables compared, in name order.
    public var tables: [String] = []
    /// Rows read from the live file and from the rebuilt one.
    public var liveRows = 0
    public var rebuiltRows = 0
    /// Every difference found, at most `limit` of them; ``differenceCount`` counts them all.
    public var differences: [ReadModelDifference] = []
    public var differenceCount = 0

    public var identical: Bool { differenceCount == 0 }

    /// Compares `live` (read inside the caller's transaction, so a running projector cannot change it meanwhile) with `rebuilt`.
    public static func compare(live: Database, rebuilt: Database, limit: Int = 1000) throws -> ReadModelComparison {
        var result = ReadModelComparison()
        func note(_ d: ReadModelDifference) {
            result.differenceCount += 1
            if result.differences.count < limit { result.differences.append(d) }
        }
        let liveTables = try Self.tables(live), rebuiltTables = try Self.tables(rebuilt)
        for table in liveTables.symmetricDifference(rebuiltTables).sorted() {
            note(ReadModelDifference(table: table, key: [:], column: nil, live: liveTables.contains(table) ? "table" : nil,
                                     rebuilt: rebuiltTables.contains(table) ? "table" : nil))
        }
        result.tables = liveTables.intersection(rebuiltTables).sorted()
        for table in result.tables {
            let (columns, key) = try Self.layout(live, table)
            let (rebuiltColumns, _) = try Self.layout(rebuilt, table)
            guard columns == rebuiltColumns else {
                note(ReadModelDifference(table: table, key: [:], column: "(columns)", live: columns.joined(separator: ", "),
                                         rebuilt: rebuiltColumns.joined(separator: ", ")))
                continue
            }
            let keyIndexes = key.map { columns.firstIndex(of: $0)! }
            let sql = "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \"\(table)\" ORDER BY \(key.map { "\"\($0)\"" }.joined(separator: ", "))"
            let a = try Row.fetchCursor(live, sql: sql), b = try Row.fetchCursor(rebuilt, sql: sql)
            var left = try a.next().map { Array($0.databaseValues) }, right = try b.next().map { Array($0.databaseValues) }
            func keyOf(_ values: [DatabaseValue]) -> [String: String] {
                Dictionary(uniqueKeysWithValues: zip(key, keyIndexes.map { Self.plain(values[$0]) }))
            }
            while left != nil || right != nil {
                let order: Int
                if let l = left, let r = right { order = Self.compare(keyIndexes.map { l[$0] }, keyIndexes.map { r[$0] }) } else { order = left == nil ? 1 : -1 }
                if order < 0, let l = left {
                    note(ReadModelDifference(table: table, key: keyOf(l), column: nil, live: "row", rebuilt: nil))
                    result.liveRows += 1
                    left = try a.next().map { Array($0.databaseValues) }
                } else if order > 0, let r = right {
                    note(ReadModelDifference(table: table, key: keyOf(r), column: nil, live: nil, rebuilt: "row"))
                    result.rebuiltRows += 1
                    right = try b.next().map { Array($0.databaseValues) }
                } else if let l = left, let r = right {
                    for (i, column) in columns.enumerated() where l[i] != r[i] {
                        note(ReadModelDifference(table: table, key: keyOf(l), column: column, live: Self.text(l[i]), rebuilt: Self.text(r[i])))
                    }
                    result.liveRows += 1
                    result.rebuiltRows += 1
                    left = try a.next().map { Array($0.databaseValues) }
                    right = try b.next().map { Array($0.databaseValues) }
                }
            }
        }
        return result
    }

    private static func tables(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    }

    /// The table's columns in order, and its primary key's columns (every column when it has none).
    private static func layout(_ db: Database, _ table: String) throws -> (columns: [String], key: [String]) {
        let info = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?)", arguments: [table])
        let columns = info.map { $0[0] as String }
        let key = info.filter { ($0[1] as Int) > 0 }.sorted { ($0[1] as Int) < ($1[1] as Int) }.map { $0[0] as String }
        return (columns, key.isEmpty ? columns : key)
    }

    /// SQLite's order of two keys: NULL first, then numbers by value, then text by bytes, then blobs.
    static func compare(_ a: [DatabaseValue], _ b: [DatabaseValue]) -> Int {
        func rank(_ v: DatabaseValue) -> Int {
            switch v.storage {
            case .null: 0
            case .int64, .double: 1
            case .string: 2
            case .blob: 3
            }
        }
        for (x, y) in zip(a, b) {
            if rank(x) != rank(y) { return rank(x) < rank(y) ? -1 : 1 }
            switch (x.storage, y.storage) {
            case (.int64(let p), .int64(let q)) where p != q: return p < q ? -1 : 1
            case (.double(let p), .double(let q)) where p != q: return p < q ? -1 : 1
            case (.int64(let p), .double(let q)) where Double(p) != q: return Double(p) < q ? -1 : 1
            case (.double(let p), .int64(let q)) where p != Double(q): return p < Double(q) ? -1 : 1
            case (.string(let p), .string(let q)) where p != q: return p.utf8.lexicographicallyPrecedes(q.utf8) ? -1 : 1
            case (.blob(let p), .blob(let q)) where p != q: return p.lexicographicallyPrecedes(q) ? -1 : 1
            default: continue
            }
        }
        return 0
    }

    /// A key's value: text as it is.
    static func plain(_ value: DatabaseValue) -> String {
        if case .string(let s) = value.storage { return s }
        return text(value)
    }

    /// A value as the report shows it: text quoted, numbers plain, NULL as `null`.
    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "null"
        case .int64(let n): String(n)
        case .double(let d): String(d)
        case .string(let s): "\"\(s)\""
        case .blob(let d): "x'\(d.hex)'"
        }
    }
}
