import EventStoreSQLite
import Foundation
import GRDB

/// Writes a batch folded from the first event (a rebuild) into a fresh, empty read model in one go.
///
/// Every table is loaded in its key order, each in one `INSERT … SELECT` from
/// the rows in memory (``TableFeed``), inside one transaction, the secondary indexes dropped first and made again after
/// the load. The writer sets `journal_mode = OFF` and `synchronous = OFF`: a
/// fresh file that a crash leaves half-written is simply made again (the
/// caller writes under a temporary name and renames it when done).
enum ReadModelBulkWriter {
    /// Writes `batch` into `queue`, which holds the current schema and no rows.
    static func write(_ batch: ProjectionBatch, into queue: DatabaseQueue, fast: Bool) throws {
        try queue.writeWithoutTransaction { db in
            if fast {
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
            }
            let indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name != 'grdb_migrations'
                """).map { (name: $0[0] as String, sql: $0[1] as String) }
            for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
            try db.inTransaction {
                let c = db.sqliteConnection!
                func load(_ table: String, _ columns: [String], _ rows: some Sequence<[RawStatement.Value]>) throws {
                    try TableFeed.load(c, into: table, columns: columns, rows: rows)
                }
                // Rows go in key order, which loads each b-tree front to back. Ids are ASCII, where `<` is byte order;
                // for anything else the order only costs speed, never changes a row.
                func sorted(_ keys: some Sequence<String>) -> [String] { keys.sorted() }

                try load("petitions", PetitionRow.columns, sorted(batch.petitions.keys).lazy.map { batch.petitions[$0]!.values })
                try load("custody", CustodyBuffer.columns, batch.custody.sortedSpans())
                let (holders, durations) = batch.custody.ledger.freshRows()
                try load("holders", ["holder_id", "unit", "department", "assignee", "resolved_on_time", "resolved_late", "handed_over"], holders)
                try load("durations", ["holder_id", "millis", "position"], durations)
                try load("sessions", SessionRow.columns, sorted(batch.sessions.keys).lazy.map { batch.sessions[$0]!.values })
                let tallies = batch.tallies.sorted { a, b in
                    a.key.sessionId != b.key.sessionId ? a.key.sessionId < b.key.sessionId
                        : a.key.dimension != b.key.dimension ? a.key.dimension < b.key.dimension : a.key.value < b.key.value
                }
                try load("session_tallies", ["session_id", "dimension", "value", "petitions"], tallies.lazy.map {
                    [.text($0.key.sessionId), .text($0.key.dimension), .text($0.key.value), .int($0.value)]
                })
                let alerts = batch.settledAlerts().sorted { $0.id < $1.id }
                try load("alerts", AlertRow.columns, alerts.lazy.map(\.row.values))
                let deliveries = sorted(batch.deliveries.keys).lazy.flatMap { id in
                    batch.deliveries[id]!.sorted { $0.sink < $1.sink }.map(\.values)
                }
                try load("alert_deliveries", AlertDeliveryRow.columns, deliveries)
                try db.execute(sql: "UPDATE checkpoint SET position = ? WHERE name = 'outstanding'", arguments: [batch.position])
                return .commit
            }
            for index in indexes { try db.execute(sql: index.sql) }
        }
    }
}
