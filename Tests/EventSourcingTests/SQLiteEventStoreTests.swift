import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import TestSupport
import Testing

@Suite("SQLiteEventStore: the log on disk")
struct SQLiteEventStoreTests {
    /// Writes a small log: three streams, five records, a command and a secret.
    func writeSample(_ store: SQLiteEventStore) throws {
        try Log.write(store, Log.append("session-S1", .noStream, "e1"), Log.append("petition-P1", .noStream, "e2"),
                      commands: [CommandRecord(commandId: "c1", fingerprint: "f1", reply: #"{"ok":true}"#)],
                      secrets: [SecretKey(id: "person-1", key: Data(repeating: 0xAB, count: 32))])
        try Log.write(store, Log.append("petition-P1", .exact(1), "e3"), Log.append("petition-P2", .noStream, "e4"))
        try Log.write(store, Log.append("petition-P2", .exact(1), "e5"))
    }

    @Test("reopening the file keeps every record, stream, command and secret, and the chain still verifies")
    func reopenKeepsEverything() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let path = directory.appendingPathComponent("events.sqlite").path
            let written: [RecordedEvent]
            do {
                let store = try SQLiteEventStore(path: path)
                try writeSample(store)
                written = try Log.all(store)
            }
            let reopened = try SQLiteEventStore(path: path)
            #expect(try Log.all(reopened) == written)
            #expect(try reopened.headPosition() == 5)
            #expect(try reopened.streamVersion(Log.stream("petition-P1")) == 2)
            #expect(try reopened.streamCount(category: "petition") == 2)
            #expect(try reopened.command("c1") == CommandRecord(commandId: "c1", fingerprint: "f1", reply: #"{"ok":true}"#))
            #expect(try reopened.secret("person-1")?.key == Data(repeating: 0xAB, count: 32))
            #expect(Log.verify(try Log.all(reopened)) == .intact(records: 5, head: written.last!.hash))
            // And it goes on from where it was.
            #expect(try Log.write(reopened, Log.append("petition-P1", .exact(2), "e6")).map(\.position) == [6])
            #expect(try reopened.read(from: 6, limit: 1).first?.previousHash == written.last!.hash)
        }
    }

    @Test("a record whose data was changed in the file is caught by the verifier at that position")
    func tamperedDataIsDetected() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
            try writeSample(store)
            try LogFileSQL.write(directory.appendingPathComponent("events.sqlite").path) { db in
                try db.execute(sql: #"UPDATE events SET data = '{"n":2}' WHERE position = 2"#)
            }
            let verdict = Log.verify(try Log.all(store))
            guard case .broken(let position, let reason) = verdict else {
                Issue.record("tampering went unnoticed: \(verdict)")
                return
            }
            #expect(position == 2)
            #expect(reason.contains("altered"))
        }
    }

    @Test("a record whose hash was recomputed to hide a change is caught at the next record's link")
    func rehashedRecordBreaksTheNextLink() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
            try writeSample(store)
            var forged = try #require(try store.read(from: 2, limit: 1).first)
            forged.data = #"{"n":2}"#
            forged.hash = HashChain.hash(of: forged, previous: forged.previousHash)
            try LogFileSQL.write(directory.appendingPathComponent("events.sqlite").path) { db in
                try db.execute(sql: "UPDATE events SET data = ?, hash = ? WHERE position = 2", arguments: [forged.data, forged.hash])
            }
            let verdict = Log.verify(try Log.all(store))
            guard case .broken(let position, let reason) = verdict else {
                Issue.record("forgery went unnoticed: \(verdict)")
                return
            }
            #expect(position == 3)
            #expect(reason.contains("previous-hash"))
        }
    }

    @Test("a record deleted from the file is reported missing at its position")
    func deletedRecordIsDetected() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
            try writeSample(store)
            try LogFileSQL.write(directory.appendingPathComponent("events.sqlite").path) { db in try db.execute(sql: "DELETE FROM events WHERE position = 2") }
            let verdict = Log.verify(try Log.all(store))
            guard case .broken(let position, let reason) = verdict else {
                Issue.record("deletion went unnoticed: \(verdict)")
                return
            }
            #expect(position == 2)
            #expect(reason.contains("missing"))
        }
    }

    @Test("a truncated tail is not visible to the chain alone, but the verifier's count shows it")
    func truncatedTailChangesCount() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
            try writeSample(store)
            try LogFileSQL.write(directory.appendingPathComponent("events.sqlite").path) { db in try db.execute(sql: "DELETE FROM events WHERE position = 5") }
            guard case .intact(let count, _) = Log.verify(try Log.all(store)) else {
                Issue.record("a shorter log should still verify as a chain")
                return
            }
            #expect(count == 4)
        }
    }

    @Test("the log reader visits every record from a position, in order")
    func forEachVisitsInOrder() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
            try writeSample(store)
            var positions: [Int64] = []
            try SQLiteEventLog(path: directory.appendingPathComponent("events.sqlite").path).forEach(from: 3) { positions.append($0.position) }
            #expect(positions == [3, 4, 5])
        }
    }

    @Test("a read-only store reads the log and refuses to append")
    func readOnlyStore() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let path = directory.appendingPathComponent("events.sqlite").path
            let writer = try SQLiteEventStore(path: path)
            try writeSample(writer)
            let reader = try SQLiteEventStore(path: path, readOnly: true)
            #expect(try reader.headPosition() == 5)
            #expect(try Log.all(reader) == Log.all(writer))
            let error = try #require(throws: EventStoreError.self) {
                try Log.write(reader, Log.append("petition-P9", .noStream, "e9"))
            }
            #expect(error.isSameKind(as: .storage("")))
            #expect(try writer.headPosition() == 5)
        }
    }

    @Test("opening a log in a folder that does not exist fails with a storage error naming the path")
    func openingImpossiblePathFails() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)/events.sqlite").path
        let error = try #require(throws: EventStoreError.self) { try SQLiteEventStore(path: path) }
        #expect(error.isSameKind(as: .storage("")))
        #expect(error.debugDescription.contains(path))
        #expect(error.description == "the event store could not complete the operation")
    }

    @Test("while the store is open, committed pages move from the write-ahead log into the file beside the writer, and a restart reads them")
    func checkpointsRunBesideTheWriter() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let path = directory.appendingPathComponent("events.sqlite").path
            let store = try SQLiteEventStore(path: path)
            let data = "{\"text\":\"" + String(repeating: "x", count: 2_000) + "\"}"
            // About 8 MiB in 40 commits: far below the writer's own fallback of 64 MiB, so only the checkpointer moves it.
            for batch in 0..<40 {
                let events = (0..<100).map { Log.event("b\(batch)-\($0)", data: data) }
                try store.append(AppendBatch(appends: [StreamAppend(stream: Log.stream("petition-P\(batch)"), expectedVersion: .noStream, events: events)]),
                                 recordedAt: Log.recordedAt)
            }
            func size(_ file: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? Int) ?? 0 }
            let deadline = Date().addingTimeInterval(5)
            while size(path) < 8_000_000, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(size(path) >= 8_000_000, "the main file holds the commits while the store is still open (file \(size(path)), WAL \(size(path + "-wal")))")
            #expect(try store.headPosition() == 4_000)
            try store.close()
            let reopened = try SQLiteEventStore(path: path, readOnly: true)
            #expect(try reopened.headPosition() == 4_000)
            #expect(Log.verify(try Log.all(reopened)) == .intact(records: 4_000, head: try reopened.read(from: 4_000, limit: 1)[0].hash))
        }
    }
}
