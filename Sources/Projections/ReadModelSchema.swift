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
        return migrator
    }

    /// Drops every table and creates the current schema, empty, at position 0.
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS sessions; DROP TABLE IF EXISTS petitions; DROP TABLE IF EXISTS custody;
            DROP TABLE IF EXISTS alerts; DROP TABLE IF EXISTS alert_deliveries; DROP TABLE IF EXISTS holders; DROP TABLE IF EXISTS durations;
            DROP TABLE IF EXISTS session_tallies;
            DELETE FROM checkpoint;
            INSERT INTO checkpoint (name, position) VALUES ('outstanding', 0);
            -- Each dialogue conference, with its petitions counted once each by the status they have now.
            CREATE TABLE sessions (
                session_id TEXT PRIMARY KEY, unit TEXT NOT NULL, title TEXT NOT NULL, chair TEXT NOT NULL,
                held_at INTEGER NOT NULL, petitions INTEGER NOT NULL DEFAULT 0,
                submitted INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0, referred INTEGER NOT NULL DEFAULT 0,
                resolved INTEGER NOT NULL DEFAULT 0, reopened INTEGER NOT NULL DEFAULT 0, withdrawn INTEGER NOT NULL DEFAULT 0,
                merged INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE INDEX sessions_held ON sessions(held_at, session_id);
            -- Petitions recorded per session by kind and by category (dimension 'kind' or 'category').
            CREATE TABLE session_tallies (
                session_id TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL, petitions INTEGER NOT NULL,
                PRIMARY KEY (session_id, dimension, value)
            ) WITHOUT ROWID;
            CREATE TABLE petitions (
                petition_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL,
                category TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL, person_id TEXT NOT NULL,
                submitted_at INTEGER NOT NULL, chair TEXT,
                answered_at INTEGER, answered_by TEXT, answer TEXT,
                department TEXT, assignee TEXT, referred_by TEXT, referred_at INTEGER, deadline TEXT,
                resolved_at INTEGER, resolved_by TEXT, resolution TEXT,
                held_since INTEGER, accepted_at INTEGER, extensions INTEGER NOT NULL DEFAULT 0, merged_into TEXT,
                escalation TEXT, feedback TEXT,
                custody_seq INTEGER NOT NULL DEFAULT 0, department_since INTEGER,
                last_position INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX petitions_open ON petitions(status, unit, department) WHERE status IN ('submitted', 'referred', 'reopened');

            -- The chain of hands: one span per holder, the open one has no to_at.
            CREATE TABLE custody (
                petition_id TEXT NOT NULL, seq INTEGER NOT NULL,
                holder_kind TEXT NOT NULL, unit TEXT NOT NULL, department TEXT, holder TEXT,
                from_at INTEGER NOT NULL, from_position INTEGER NOT NULL,
                department_since INTEGER, deadline TEXT, accepted_at INTEGER,
                to_at INTEGER, to_position INTEGER, ended TEXT, on_time INTEGER, same_department INTEGER,
                PRIMARY KEY (petition_id, seq)
            ) WITHOUT ROWID;
            -- Only what departments hold now: a span opened and closed within one batch never enters it.
            CREATE INDEX custody_open ON custody(unit, department, holder, deadline, from_at, department_since)
                WHERE to_at IS NULL AND holder_kind = 'department';

            -- Every department (assignee '') and official that ever held a petition, with running counts.
            CREATE TABLE holders (
                holder_id INTEGER PRIMARY KEY, unit TEXT NOT NULL, department TEXT NOT NULL, assignee TEXT NOT NULL,
                resolved_on_time INTEGER NOT NULL DEFAULT 0, resolved_late INTEGER NOT NULL DEFAULT 0, handed_over INTEGER NOT NULL DEFAULT 0,
                UNIQUE (unit, department, assignee)
            );
            -- Milliseconds from receiving to resolving, one row per resolution and holder, in order: percentiles by offset.
            CREATE TABLE durations (
                holder_id INTEGER NOT NULL, millis INTEGER NOT NULL, position INTEGER NOT NULL,
                PRIMARY KEY (holder_id, millis, position)
            ) WITHOUT ROWID;

            CREATE TABLE alerts (
                alert_id TEXT PRIMARY KEY, petition_id TEXT NOT NULL, level TEXT NOT NULL, unit TEXT NOT NULL,
                department TEXT NOT NULL, assignee TEXT NOT NULL, recipient TEXT NOT NULL,
                deadline TEXT NOT NULL, due TEXT NOT NULL, raised_at INTEGER NOT NULL, position INTEGER NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending'
            ) WITHOUT ROWID;
            CREATE INDEX alerts_position ON alerts(position);
            CREATE INDEX alerts_unit ON alerts(unit, position);
            CREATE INDEX alerts_petition ON alerts(petition_id, position);
            CREATE TABLE alert_deliveries (
                alert_id TEXT NOT NULL, sink TEXT NOT NULL, petition_id TEXT NOT NULL,
                attempts INTEGER NOT NULL, last_error TEXT, last_failed_at INTEGER,
                delivered_at INTEGER, detail TEXT, permanent INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL,
                PRIMARY KEY (alert_id, sink)
            ) WITHOUT ROWID;
            """)
    }
}
