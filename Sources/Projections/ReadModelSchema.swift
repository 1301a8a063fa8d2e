import GRDB

/// The read model's tables: outstanding petitions, the chain of hands, holders' records, alerts.
///
/// A read model is rebuilt from the log, never migrated in place: every
/// rebuild migration drops every table, creates the current schema and sets
/// the checkpoint back to 0, so the projector replays the whole log into it.
/// A file made by an older version runs the rebuilds it lacks (the last one
/// wins); a new file runs them all. Change a table: add a rebuild migration.
enum ReadModelSchema {
    /// The migrations, oldest first.
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "CREATE TABLE checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v2-full-workflow") { db in try rebuild(db) }
        migrator.registerMigration("v3-responsibility-alerts") { db in try rebuild(db) }
        migrator.registerMigration("v4-session-statistics") { db in try rebuild(db) }
        // A merge target's last_position now counts the petition.duplicate-merged.v1 in its own stream: a read model
        // folded before that holds the older value, so it is folded again (found by a data folder of the earlier version).
        migrator.registerMigration("v5-merge-target-last-position") { db in try rebuild(db) }
        // petition.submitted.v3's tracking code, a column of petitions with its index.
        migrator.registerMigration("v6-tracking-code") { db in try rebuild(db) }
        // session.opened.v3's hamlet and number attending, columns of sessions.
        migrator.registerMigration("v7-session-hamlet-attendees") { db in try rebuild(db) }
        // The holding department's registry reference on petitions, spans, holders and alerts: a rename follows it.
        migrator.registerMigration("v8-department-ref") { db in try rebuild(db) }
        return migrator
    }

    /// Petitions recorded per session by kind and by category (dimension 'kind' or 'category').
    static let sessionTallies = ReadModelTable(name: "session_tallies", columns: [
        .init(name: "session_id", declaration: "TEXT NOT NULL"), .init(name: "dimension", declaration: "TEXT NOT NULL"),
        .init(name: "value", declaration: "TEXT NOT NULL"), .init(name: "petitions", declaration: "INTEGER NOT NULL"),
    ], constraints: ["PRIMARY KEY (session_id, dimension, value)"])

    /// Every department (assignee '') and official that ever held a petition, with running counts.
    static let holders = ReadModelTable(name: "holders", columns: [
        .init(name: "holder_id", declaration: "INTEGER PRIMARY KEY"), .init(name: "unit", declaration: "TEXT NOT NULL"),
        .init(name: "department", declaration: "TEXT NOT NULL"), .init(name: "assignee", declaration: "TEXT NOT NULL"),
        .init(name: "resolved_on_time", declaration: "INTEGER NOT NULL DEFAULT 0"),
        .init(name: "resolved_late", declaration: "INTEGER NOT NULL DEFAULT 0"),
        .init(name: "handed_over", declaration: "INTEGER NOT NULL DEFAULT 0"),
        // The registered department's reference (`unit/code`), '' before the registry: with it, the department is
        // one holder under every name it had (a rename renames its rows), and a namesake elsewhere another.
        .init(name: "department_ref", declaration: "TEXT NOT NULL DEFAULT ''"),
    ], constraints: ["UNIQUE (unit, department_ref, department, assignee)"], withoutRowID: false)

    /// Milliseconds from receiving to resolving, one row per resolution and holder, in order: percentiles by offset.
    static let durations = ReadModelTable(name: "durations", columns: [
        .init(name: "holder_id", declaration: "INTEGER NOT NULL"), .init(name: "millis", declaration: "INTEGER NOT NULL"),
        .init(name: "position", declaration: "INTEGER NOT NULL"),
    ], constraints: ["PRIMARY KEY (holder_id, millis, position)"])

    /// Every table a rebuild migration makes, each defined once.
    static var tables: [ReadModelTable] {
        [SessionRow.table, sessionTallies, PetitionRow.table, CustodyBuffer.table, holders, durations, AlertRow.table, AlertDeliveryRow.table]
    }

    /// Drops every table and creates the current schema, empty, at position 0.
    static func rebuild(_ db: Database) throws {
        for table in tables { try db.execute(sql: "DROP TABLE IF EXISTS \(table.name)") }
        try db.execute(sql: "DELETE FROM checkpoint; INSERT INTO checkpoint (name, position) VALUES ('outstanding', 0)")
        for table in tables {
            try db.execute(sql: table.createSQL)
            for index in table.indexes { try db.execute(sql: index) }
        }
    }
}
