import EventSourcing
import EventStorePostgres
import EventStoreSQLite
import Foundation
import TestSupport
import Testing

/// What the PostgreSQL store promises beyond the shared contract: moving a log in and out whole, erasure that
/// leaves no key in the database's files, and one writer at a time.
@Suite("PostgreSQL event store")
struct PostgresEventStoreTests {
    @Test("a log copied from SQLite into PostgreSQL keeps every record, reply and key, byte for byte, and a backup brings it back")
    func migrateAndBackUp() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let path = directory.appendingPathComponent("events.sqlite").path
            let sqlite = try SQLiteEventStore(path: path)
            try Log.write(sqlite, Log.append("session-S1", .noStream, "e1"), Log.append("petition-P1", .noStream, "e2"),
                          commands: [CommandRecord(commandId: "c1", fingerprint: "f1", reply: #"{"ok":true}"#)],
                          secrets: [SecretKey(id: "person-1", key: Data(repeating: 0xAB, count: 32), searchName: "nguyen van a")])
            try Log.write(sqlite, Log.append("petition-P1", .exact(1), "e3"))
            let written = try Log.all(sqlite)

            let address = try PostgresLocation(try PostgresServer.require().database())
            #expect(try LogCopy.copy(from: try SQLiteEventLog(path: path), to: try PostgresLogCopy(address)) == LogCopy.Copied(head: 3, commands: 1, keys: 1))
            let postgres = try PostgresEventStore(address)
            #expect(try Log.all(postgres) == written)
            #expect(try postgres.command("c1")?.reply == #"{"ok":true}"#)
            #expect(try postgres.secret("person-1")?.key == Data(repeating: 0xAB, count: 32))
            #expect(try postgres.people(matching: ["van"], limit: 10) == ["person-1"])
            #expect(try postgres.streamCount(category: "petition") == 1)
            // The copy goes on where the original stopped.
            let next = try Log.write(postgres, Log.append("petition-P1", .exact(2), "e4"))
            #expect(next.first?.position == 4 && next.first?.previousHash == written.last?.hash)

            // A second copy into a log that is no longer empty is refused.
            #expect(throws: EventStoreError.self) { _ = try PostgresLogCopy(address) }

            let backup = directory.appendingPathComponent("backup.sqlite").path
            #expect(try PostgresEventLog(address).backup(to: backup) == 4)
            var copied: [RecordedEvent] = []
            try SQLiteEventLog(path: backup).forEach { copied.append($0) }
            #expect(copied == (try Log.all(postgres)))
            #expect(try SQLiteEventStore(path: backup).command("c1")?.fingerprint == "f1")
        }
    }

    @Test("a log whose chain is broken is not copied")
    func brokenChainIsNotCopied() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let path = directory.appendingPathComponent("events.sqlite").path
            let sqlite = try SQLiteEventStore(path: path)
            try Log.write(sqlite, Log.append("petition-P1", .noStream, "e1", "e2"))
            try sqlite.close()
            try LogFileSQL.write(path) { try $0.execute(sql: "UPDATE events SET data = '{\"n\":2}' WHERE position = 2") }
            let address = try PostgresLocation(try PostgresServer.require().database())
            #expect(throws: EventStoreError.self) { _ = try LogCopy.copy(from: try SQLiteEventLog(path: path), to: try PostgresLogCopy(address)) }
            #expect(try PostgresEventStore(address).headPosition() == 0, "nothing of a refused copy is written")
        }
    }

    @Test("an erased person's key is gone from the database's table files, not only from its rows")
    func erasureLeavesNoKeyInTheFiles() throws {
        let server = try PostgresServer.require()
        let store = try PostgresEventStore(address: try server.database())
        let key = Data((0..<32).map { UInt8(0x41 + $0 % 26) }) // a recognisable run of bytes
        try Log.write(store, Log.append("petition-P1", .noStream, "e1"), secrets: [SecretKey(id: "person-9", key: key, searchName: "tran thi b")])
        try server.psql("CHECKPOINT")
        #expect(try Self.filesHolding(key, under: server.clusterDirectory.appendingPathComponent("base")) > 0, "the key is on disk before erasure")
        var erase = AppendBatch(appends: [Log.append("petition-P1", .exact(1), "e2")])
        erase.destroyedSecrets = ["person-9"]
        _ = try store.append(erase, recordedAt: Log.recordedAt)
        // Other tests' snapshots on the same server may hold the row alive for a moment: the store waits them out.
        #expect(try waitUntil(timeout: 30) { try store.purgeErasedKeys() })
        try server.psql("CHECKPOINT")
        #expect(try store.secret("person-9") == nil)
        #expect(try Self.filesHolding(key, under: server.clusterDirectory.appendingPathComponent("base")) == 0)
        #expect(try Self.filesHolding(Data("tran thi b".utf8), under: server.clusterDirectory.appendingPathComponent("base")) == 0)
    }

    /// How many files under `folder` contain `bytes`.
    static func filesHolding(_ bytes: Data, under folder: URL) throws -> Int {
        var count = 0
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            if let contents = try? Data(contentsOf: file), contents.range(of: bytes) != nil { count += 1 }
        }
        return count
    }

    @Test("only one store writes: a second waits for the writer's lease and takes it when the first one's session ends")
    func oneWriterAtATime() throws {
        let address = try PostgresServer.require().database()
        var first: PostgresEventStore? = try PostgresEventStore(address: address)
        try first!.acquireWriterLease()
        let holder = try first!.leaseHolder()
        #expect(holder != nil)
        let waited = Locked(false)
        let took = Locked(false)
        let second = Thread {
            do {
                let store = try PostgresEventStore(address: address)
                try store.acquireWriterLease(interval: 0.05) { waited.set(true) }
                took.set(true)
                withExtendedLifetime(store) { Thread.sleep(forTimeInterval: 0.5) }
            } catch {}
        }
        second.start()
        #expect(waitUntil(timeout: 10) { waited.get() })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!took.get(), "the standby does not write while the writer's session lives")
        first = nil // the writer's session ends
        #expect(waitUntil(timeout: 10) { took.get() })
    }
}

/// A value shared with a thread.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ new: Value) { lock.withLock { value = new } }
}

@Suite("PostgreSQL event store: the writer's session")
struct PostgresWriterSessionTests {
    @Test("when the database ends the writer's session, the next append fails at once and says the writer is lost")
    func anEndedSessionIsTheWritersLoss() throws {
        let server = try PostgresServer.require()
        let address = try server.database()
        let store = try PostgresEventStore(address: address)
        try store.acquireWriterLease()
        try Log.write(store, Log.append("petition-P1", .noStream, "e1"))
        let lost = Locked<String?>(nil)
        store.onWriterLost = { detail in lost.set(detail) }
        let pid = try #require(try store.leaseHolder())
        #expect(try server.psql("SELECT pg_terminate_backend(\(pid))", database: String(address.split(separator: "/").last!)) == "t")
        Thread.sleep(forTimeInterval: 0.3)
        let started = Date()
        #expect(throws: EventStoreError.self) { try Log.write(store, Log.append("petition-P1", .exact(1), "e2")) }
        #expect(Date().timeIntervalSince(started) < 5, "the failure is reported at once, not after the statement deadline")
        #expect(lost.get() != nil, "the store says its writing session is gone")
        #expect(try PostgresEventStore(address: address).headPosition() == 1)
    }
}
