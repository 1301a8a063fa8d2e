import ArgumentParser
import EventSourcing
import EventStorePostgres
import EventStoreSQLite
import Foundation
import GRDB
import GRDBSQLite
import Projections

/// The full rebuild of every projection from a generated log, by the path `petitionctl audit rebuild` runs,
/// against a raw scan of the same records and a raw insert of as many rows.
struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Events/s and peak memory of a full rebuild of every projection (audit rebuild's path).")

    @Option(help: "Events in the generated log.") var events = 1_000_000
    @Option(help: "Reuse this event log instead of generating one.") var log: String?
    @Flag(inversion: .prefixedNo, help: "Measure the ceilings too (--no-ceilings: the rebuild alone, e.g. under perf).") var ceilings = true
    @Flag(help: "Rebuild from the same log copied into PostgreSQL (a server this bench starts on loopback), read through its log reader.") var postgresql = false

    func run() throws {
        let folder = try temporaryFolder("rebuild")
        defer { try? FileManager.default.removeItem(at: folder) }
        let logPath = log ?? folder.appendingPathComponent("events.sqlite").path
        if log == nil { try generateLog(events: events, into: logPath) }
        var postgres: BenchPostgres?
        var copySeconds: Double?
        let file: EventLogFile
        if postgresql {
            guard let server = try BenchPostgres.startIfInstalled(in: folder.appendingPathComponent("postgres")) else {
                throw ValidationError("--postgresql: the PostgreSQL server is not installed (Debian: apt-get install postgresql)")
            }
            postgres = server
            let address = try PostgresLocation(try server.database("rebuild"))
            let copyStart = Stats.now()
            _ = try LogCopy.copy(from: try SQLiteEventLog(path: logPath), to: try PostgresLogCopy(address))
            copySeconds = Stats.seconds(since: copyStart)
            file = try EventLogFile(log: try PostgresEventLog(address))
        } else {
            file = try EventLogFile(path: logPath)
        }
        defer { withExtendedLifetime(postgres) {} }
        let total = try file.head()

        // Ceiling 1: every record the rebuild reads, stepped through the C API with its data touched, nothing decoded.
        var start = Stats.now()
        let scanned = ceilings ? try rawScan(logPath) : 0
        let scanRate = Double(scanned) / Stats.seconds(since: start)

        // Ceiling 2: as many rows as events, inserted raw into a fresh file the way the rebuild writes (journal and sync off).
        start = Stats.now()
        let inserted = ceilings ? try rawInsert(rows: Int(total), into: folder.appendingPathComponent("raw.sqlite").path) : 0
        let insertRate = Double(inserted) / Stats.seconds(since: start)

        // Ceiling 3: the same rows made inside SQLite and inserted by one statement (how the rebuild loads each table).
        start = Stats.now()
        let insertedAtOnce = ceilings ? try rawInsertAtOnce(rows: Int(total), into: folder.appendingPathComponent("raw-at-once.sqlite").path) : 0
        let atOnceRate = Double(insertedAtOnce) / Stats.seconds(since: start)

        // Ours: every projection, from the log file into a fresh read model.
        let out = folder.appendingPathComponent("rebuilt.sqlite").path
        start = Stats.now()
        let memoryBefore = Stats.peakMemoryMiB()
        // In memory whatever this machine's size (the batched path, `--memory-limit-mib`, is timed with petitionctl; BENCHMARKS.md).
        let summary = try ProjectionRebuild.rebuild(file, through: total, into: out, memoryLimit: .max)
        let elapsed = Stats.seconds(since: start)
        guard summary.position == total else { throw ValidationError("rebuilt through \(summary.position) of \(total)") }
        let rows = try DatabaseQueue(path: out).read { db in
            try ["petitions", "custody", "holders", "durations", "sessions", "session_tallies", "alerts", "alert_deliveries"]
                .reduce(0) { $0 + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($1)") ?? 0) }
        }
        let rate = Double(total) / elapsed
        emit([
            "scenario": "rebuild",
            "store": postgresql ? "postgresql" : "sqlite",
            "copiedIntoPostgreSQLSeconds": copySeconds.map { Stats.round($0, 2) } ?? NSNull(),
            "events": total,
            "rowsWritten": rows,
            "eventsPerSecond": Stats.round(rate, 0),
            "seconds": Stats.round(elapsed, 2),
            "readAndFoldSeconds": Stats.round(summary.foldSeconds, 2),
            "writeSeconds": Stats.round(summary.writeSeconds, 2),
            "peakMemoryMiB": Stats.round(Stats.peakMemoryMiB(), 1),
            "peakMemoryBeforeRebuildMiB": Stats.round(memoryBefore, 1),
            "ceilings": ceilings ? ["rawScanRecordsPerSecond": Stats.round(scanRate, 0), "rawInsertRowsPerSecond": Stats.round(insertRate, 0),
                                    "rawInsertOneStatementRowsPerSecond": Stats.round(atOnceRate, 0)] : [:],
            "ratios": ceilings ? ["ofRawScan": Stats.round(rate / scanRate, 3), "ofRawInsert": Stats.round(rate / insertRate, 3),
                                  "ofRawInsertOneStatement": Stats.round(rate / atOnceRate, 3)] : [:],
            "target": ["eventsPerSecond": 300_000, "met": rate >= 300_000, "peakMemoryMiB": 1024, "memoryMet": Stats.peakMemoryMiB() < 1024],
        ])
    }

    private func rawScan(_ path: String) throws -> Int {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: path, configuration: config).read { db in
            var statement: OpaquePointer?
            sqlite3_prepare_v2(db.sqliteConnection, "SELECT position, type, occurred_at, recorded_at, data FROM events ORDER BY position", -1, &statement, nil)
            defer { sqlite3_finalize(statement) }
            var count = 0, bytes = 0
            while sqlite3_step(statement) == SQLITE_ROW {
                count += 1
                bytes &+= Int(sqlite3_column_int64(statement, 0)) &+ Int(sqlite3_column_bytes(statement, 1)) &+ Int(sqlite3_column_bytes(statement, 4))
                if let text = sqlite3_column_text(statement, 4) { bytes &+= Int(text[0]) }
            }
            return bytes == 0 ? 0 : count
        }
    }

    /// The rows of ``rawInsert(rows:into:)``, made by SQLite itself (a recursive CTE) and inserted by one statement.
    private func rawInsertAtOnce(rows: Int, into path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
            try db.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER) WITHOUT ROWID")
            try db.inTransaction {
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
                    INSERT INTO t SELECT printf('P%07d', i), 'Phòng Tài nguyên và Môi trường', 'Cấp giấy chứng nhận', i FROM n
                    """, arguments: [rows])
                return .commit
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") ?? 0
        }
    }

    /// A prepared insert run once per row, as many rows as events.
    private func rawInsert(rows: Int, into path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
            try db.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER) WITHOUT ROWID")
            var statement: OpaquePointer?
            sqlite3_prepare_v2(db.sqliteConnection, "INSERT INTO t VALUES (?, ?, ?, ?)", -1, &statement, nil)
            defer { sqlite3_finalize(statement) }
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            try db.execute(sql: "BEGIN")
            for i in 0..<rows {
                let digits = String(i)
                let id = "P" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
                sqlite3_bind_text(statement, 1, id, -1, transient)
                sqlite3_bind_text(statement, 2, "Phòng Tài nguyên và Môi trường", -1, transient)
                sqlite3_bind_text(statement, 3, "Cấp giấy chứng nhận", -1, transient)
                sqlite3_bind_int64(statement, 4, Int64(i))
                guard sqlite3_step(statement) == SQLITE_DONE else { throw ValidationError("raw insert failed") }
                sqlite3_reset(statement)
            }
            try db.execute(sql: "COMMIT")
            return rows
        }
    }
}

/// Writes a log of `events` events at `path` in a child process, so this process's peak memory is the measurement's alone.
func generateLog(events: Int, into path: String) throws {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    child.arguments = ["generate", "--events", String(events), "--out", path]
    try child.run()
    child.waitUntilExit()
    guard child.terminationStatus == 0 else { throw ValidationError("generating the log failed") }
}
