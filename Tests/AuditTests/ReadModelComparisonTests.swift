import Audit
import Foundation
import GRDB
import Testing

/// The row-by-row comparison on two small SQLite files made here: each way two read models can differ.
struct ReadModelComparisonTests {
    /// Two files in a fresh folder (removed at the end), both made by `schema`.
    final class Files {
        let folder: URL
        let live: DatabaseQueue
        let rebuilt: DatabaseQueue

        init(_ schema: String = """
            CREATE TABLE petitions (petition_id TEXT PRIMARY KEY, status TEXT NOT NULL, deadline TEXT) WITHOUT ROWID;
            CREATE TABLE durations (holder_id INTEGER NOT NULL, millis INTEGER NOT NULL, PRIMARY KEY (holder_id, millis));
            INSERT INTO petitions VALUES ('P1', 'referred', '2026-04-18'), ('P2', 'resolved', NULL), ('P3', 'submitted', NULL);
            INSERT INTO durations VALUES (2, 500), (10, 100), (10, 200);
            """) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("comparison-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            live = try DatabaseQueue(path: folder.appendingPathComponent("live.sqlite").path)
            rebuilt = try DatabaseQueue(path: folder.appendingPathComponent("rebuilt.sqlite").path)
            try live.write { try $0.execute(sql: schema) }
            try rebuilt.write { try $0.execute(sql: schema) }
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func compare(limit: Int = 1000) throws -> ReadModelComparison {
            try live.read { l in try rebuilt.read { r in try ReadModelComparison.compare(live: l, rebuilt: r, limit: limit) } }
        }
    }

    @Test func identicalFilesHaveNoDifferenceAndEveryRowCounted() throws {
        let files = try Files()
        let result = try files.compare()
        #expect(result.identical)
        #expect(result.differences.isEmpty && result.differenceCount == 0)
        #expect(result.tables == ["durations", "petitions"])
        #expect(result.liveRows == 6 && result.rebuiltRows == 6)
    }

    @Test func aRowOnlyInTheLiveFileIsReportedByItsKey() throws {
        let files = try Files()
        try files.live.write { try $0.execute(sql: "INSERT INTO petitions VALUES ('P4', 'submitted', NULL)") }
        let result = try files.compare()
        #expect(!result.identical && result.differenceCount == 1)
        #expect(result.differences == [ReadModelDifference(table: "petitions", key: ["petition_id": "P4"], column: nil, live: "row", rebuilt: nil)])
        #expect(result.differences[0].line == "petitions [petition_id=P4]: only in the live file")
        #expect(result.liveRows == 7 && result.rebuiltRows == 6)
    }

    @Test func aRowOnlyInTheRebuiltFileIsReportedByItsWholeKeyInKeyOrder() throws {
        let files = try Files()
        // Between (2, 500) and (10, 100) in SQLite's order: integers by value, not as text.
        try files.rebuilt.write { try $0.execute(sql: "INSERT INTO durations VALUES (3, 50)") }
        let result = try files.compare()
        #expect(result.differenceCount == 1)
        #expect(result.differences == [ReadModelDifference(table: "durations", key: ["holder_id": "3", "millis": "50"], column: nil,
                                                           live: nil, rebuilt: "row")])
        #expect(result.differences[0].line == "durations [holder_id=3 millis=50]: only in the rebuilt file")
        #expect(result.liveRows == 6 && result.rebuiltRows == 7)
    }

    @Test func aDifferingColumnIsReportedWithBothValuesAndNullShownAsNull() throws {
        let files = try Files()
        try files.rebuilt.write { try $0.execute(sql: "UPDATE petitions SET status = 'resolved', deadline = NULL WHERE petition_id = 'P1'") }
        let result = try files.compare()
        #expect(result.differences == [
            ReadModelDifference(table: "petitions", key: ["petition_id": "P1"], column: "status", live: "\"referred\"", rebuilt: "\"resolved\""),
            ReadModelDifference(table: "petitions", key: ["petition_id": "P1"], column: "deadline", live: "\"2026-04-18\"", rebuilt: "null"),
        ])
        #expect(result.differences[0].line == "petitions [petition_id=P1] status: live \"referred\", rebuilt \"resolved\"")
        #expect(result.liveRows == 6 && result.rebuiltRows == 6, "a row that differs is still one row on each side")
    }

    @Test func aTableMissingFromEitherFileIsReportedAndTheOthersStillCompared() throws {
        let files = try Files()
        try files.rebuilt.write { try $0.execute(sql: "DROP TABLE durations; CREATE TABLE alerts (alert_id TEXT PRIMARY KEY)") }
        let result = try files.compare()
        #expect(result.differences == [
            ReadModelDifference(table: "alerts", key: [:], column: nil, live: nil, rebuilt: "table"),
            ReadModelDifference(table: "durations", key: [:], column: nil, live: "table", rebuilt: nil),
        ])
        #expect(result.tables == ["petitions"], "only the tables both files have are compared row by row")
        #expect(result.liveRows == 3 && result.rebuiltRows == 3)
    }

    @Test func differentColumnsAreOneDifferenceAndTheTableIsNotComparedRowByRow() throws {
        let files = try Files()
        try files.rebuilt.write { try $0.execute(sql: "ALTER TABLE petitions ADD COLUMN escalation TEXT") }
        let result = try files.compare()
        #expect(result.differences == [ReadModelDifference(table: "petitions", key: [:], column: "(columns)",
                                                           live: "petition_id, status, deadline", rebuilt: "petition_id, status, deadline, escalation")])
        #expect(result.differenceCount == 1, "the column difference only, no row differences for petitions")
        // Only durations' 3 rows are read on each side; petitions' 3 rows are not compared.
        #expect(result.liveRows == 3, "petitions' rows were not compared")
        #expect(result.rebuiltRows == 3, "petitions' rows were not compared")
    }

    @Test func everyDifferenceIsCountedButOnlyTheLimitKept() throws {
        let files = try Files()
        try files.live.write { try $0.execute(sql: "DELETE FROM petitions; DELETE FROM durations") }
        let result = try files.compare(limit: 2)
        #expect(result.differenceCount == 6 && result.differences.count == 2)
        #expect(result.differences.allSatisfy { $0.live == nil && $0.rebuilt == "row" })
    }

    @Test func theJSONOfADifferenceNamesEveryMemberWithNullForWhatIsAbsent() throws {
        let difference = ReadModelDifference(table: "petitions", key: ["petition_id": "P4"], column: nil, live: "row", rebuilt: nil)
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(difference)) as? [String: Any] ?? [:]
        #expect(Set(object.keys) == ["table", "key", "column", "live", "rebuilt"])
        #expect(object["column"] is NSNull && object["rebuilt"] is NSNull && object["live"] as? String == "row")
        #expect(try JSONDecoder().decode(ReadModelDifference.self, from: try JSONEncoder().encode(difference)) == difference)
    }
}
