import Audit
import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import Testing

/// A data folder written before the lean writes (migrations v1 and v2: a `streams` row per stream) opens,
/// migrates and verifies with the current store.
@Suite("SQLiteEventStore: migrating a log written by an earlier version")
struct LogMigrationTests {
    /// The schema exactly as migrations `v1` and `v2-people-search` made it, and GRDB's record of them.
    static let earlierSchema = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES ('v1'), ('v2-people-search');
        CREATE TABLE events (
            position INTEGER PRIMARY KEY,
            stream TEXT NOT NULL,
            stream_version INTEGER NOT NULL,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            data TEXT NOT NULL,
            actor TEXT NOT NULL,
            command_id TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            causation_id TEXT NOT NULL,
            previous_hash BLOB NOT NULL,
            hash BLOB NOT NULL,
            UNIQUE (stream, stream_version)
        );
        CREATE TABLE streams (
            stream TEXT PRIMARY KEY,
            category TEXT NOT NULL,
            version INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX streams_by_category ON streams(category);
        CREATE TABLE commands (
            command_id TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            reply TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE secrets (
            id TEXT PRIMARY KEY,
            key BLOB NOT NULL
        ) WITHOUT ROWID;
        ALTER TABLE secrets ADD COLUMN search_name TEXT;
        """

    /// Writes `streams` (name, event count) as the earlier store did: hash-chained events, one `streams` row each,
    /// a command's reply and a key. Returns the head's hash.
    static func writeEarlierLog(at path: String, streams: [(String, Int)]) throws -> Data {
        let queue = try DatabaseQueue(path: path)
        var previous = HashChain.genesis
        try queue.write { db in
            try db.execute(sql: earlierSchema)
            var position: Int64 = 0
            for (stream, count) in streams {
                for version in 1...Int64(count) {
                    position += 1
                    let metadata = EventMetadata(actor: "clerk/clerk-01", commandId: "c\(position)")
                    let data = #"{"note":"Bản ghi \#(position)"}"#
                    let at = Int64(1_773_885_000_000) + position
                    let hash = HashChain.hash(previous: previous, position: position, stream: stream, streamVersion: version, id: "e\(position)",
                                              type: "petition.answered.v1", occurredAtMillis: at, recordedAtMillis: at, data: data, metadata: metadata)
                    try db.execute(sql: "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
                        position, stream, version, "e\(position)", "petition.answered.v1", at, at, data, metadata.actor, metadata.commandId,
                        metadata.correlationId, metadata.causationId, previous, hash,
                    ])
                    try db.execute(sql: "INSERT INTO commands VALUES (?, ?, ?)", arguments: ["c\(position)", "f\(position)", #"{"ok":true,"position":\#(position)}"#])
                    previous = hash
                }
                let category = String(stream.prefix { $0 != "-" })
                try db.execute(sql: "INSERT INTO streams VALUES (?, ?, ?)", arguments: [stream, category, count])
            }
            try db.execute(sql: "INSERT INTO secrets VALUES (?, ?, ?)", arguments: ["person-1", Data(repeating: 0xAB, count: 32), "nguyen van an"])
        }
        try queue.close()
        return previous
    }

    @Test("a log written by the earlier schema opens, keeps its versions, counts, replies and keys, appends on, and verifies intact")
    func earlierLogMigratesAndVerifies() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migration-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("events.sqlite").path
        let headHash = try Self.writeEarlierLog(at: path, streams: [("session-S000001", 1), ("petition-P000001", 3), ("petition-P000002", 2)])

        let before = try ChainVerifier(path: path).run()
        #expect(before.isIntact, "\(before.headline)")

        let store = try SQLiteEventStore(path: path)
        #expect(try store.headPosition() == 6)
        #expect(try store.streamVersion(StreamName("petition-P000001")!) == 3)
        #expect(try store.streamVersion(StreamName("petition-P000002")!) == 2)
        #expect(try store.streamVersion(StreamName("petition-P000003")!) == 0)
        #expect(try store.streamCount(category: "petition") == 2)
        #expect(try store.streamCount(category: "session") == 1)
        #expect(try store.command("c4")?.reply == #"{"ok":true,"position":4}"#)
        #expect(try store.secret("person-1")?.searchName == "nguyen van an")
        #expect(try store.read(from: 6, limit: 1).first?.hash == headHash, "the records' bytes are unchanged")

        // The writer carries on where the earlier version stopped: versions from the events, the chain from the head.
        let metadata = EventMetadata(actor: "clerk/clerk-01", commandId: "c7")
        let event = { (id: String) in NewEvent(id: id, type: "petition.answered.v1", occurredAt: Date(), data: #"{"note":"mới"}"#, metadata: metadata) }
        let appended = try store.append(AppendBatch(appends: [
            StreamAppend(stream: StreamName("petition-P000001")!, expectedVersion: .exact(3), events: [event("e7")]),
            StreamAppend(stream: StreamName("petition-P000003")!, expectedVersion: .noStream, events: [event("e8")]),
        ], expectedHead: 6), recordedAt: Date())
        #expect(appended.map(\.position) == [7, 8])
        #expect(appended.map(\.streamVersion) == [4, 1])
        #expect(appended.first?.previousHash == headHash)
        #expect(throws: EventStoreError.self) {
            try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName("petition-P000002")!, expectedVersion: .exact(1), events: [event("e9")])]),
                             recordedAt: Date())
        }
        #expect(try store.streamCount(category: "petition") == 3)
        try store.close()

        let tables = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        #expect(!tables.contains("streams"), "stream versions are read from the events: no table per stream left")
        let after = try ChainVerifier(path: path).run()
        #expect(after.isIntact, "\(after.headline)")
        #expect(after.records == 8)
    }
}
