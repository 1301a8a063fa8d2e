import EventStoreSQLite
import Foundation
import GRDB
@testable import Projections
import Testing

/// A rebuild loads each table through `TableFeed`: the table must hold exactly the rows given.
struct TableFeedTests {
    func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { try $0.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, s TEXT, b BLOB) WITHOUT ROWID") }
        return queue
    }

    @Test("a table loaded through the feed holds exactly the rows given: Vietnamese text, an empty text (not NULL), numbers, NULLs, blobs")
    func theRowsGivenAreTheRowsStored() throws {
        let queue = try table()
        let rows: [[RawStatement.Value]] = [
            [.text("a"), .int(1), .text(""), .null],
            [.text("Đất đai"), .int(-5), .null, .blob(Data([0, 1, 2, 255]))],
            [.text("z"), .int(Int64.max), .text("Phòng Tài nguyên và Môi trường"), .blob(Data())],
        ]
        try queue.write { db in try TableFeed.load(db.sqliteConnection!, into: "t", columns: ["k", "n", "s", "b"], rows: rows) }
        struct Stored: Equatable {
            var k: String, n: Int64, s: String?, b: Data?, sType: String, bType: String
        }
        let stored = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT k, n, s, b, typeof(s), typeof(b) FROM t ORDER BY k").map { row in
                Stored(k: row[0], n: row[1], s: row[2], b: row[3], sType: row[4], bType: row[5])
            }
        }
        let expected = [
            Stored(k: "a", n: 1, s: "", b: nil, sType: "text", bType: "null"),
            Stored(k: "z", n: Int64.max, s: "Phòng Tài nguyên và Môi trường", b: Data(), sType: "text", bType: "blob"),
            Stored(k: "Đất đai", n: -5, s: nil, b: Data([0, 1, 2, 255]), sType: "null", bType: "blob"),
        ]
        #expect(stored == expected)
    }

    @Test("a row with the wrong number of values stops the load with an error that names the table, and none of its rows stay")
    func aRowOfTheWrongWidthIsRefused() throws {
        let queue = try table()
        let rows: [[RawStatement.Value]] = [[.text("a"), .int(1), .null, .null], [.text("b"), .int(2)]]
        let error = #expect(throws: RebuildError.self) {
            try queue.write { db in try TableFeed.load(db.sqliteConnection!, into: "t", columns: ["k", "n", "s", "b"], rows: rows) }
        }
        #expect(error?.description == "cannot load t: row 2 has 2 values for 4 columns")
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM t") } == 0)
    }
}
