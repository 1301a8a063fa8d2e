import EventSourcing
import EventStorePostgres
import EventStoreSQLite
import Foundation
import TestSupport
import Testing

/// What audits and rebuilds rely on from a backend's ``EventLogReader``; every backend's reader runs it.
@Suite("EventLogReader: the log as audits read it")
struct EventLogReaderTests {
    /// A store and the reader of its log: one pair per backend.
    static func backends(in directory: URL) throws -> [(store: any EventStore, reader: any EventLogReader)] {
        let path = directory.appendingPathComponent("events.sqlite").path
        let store = try SQLiteEventStore(path: path)
        let address = try PostgresLocation(try PostgresServer.require().database())
        let postgres = try PostgresEventStore(address)
        return [(store, try SQLiteEventLog(path: path)), (postgres, try PostgresEventLog(address))]
    }

    func writeSample(_ store: any EventStore) throws -> [RecordedEvent] {
        try Log.write(store, Log.append("session-S1", .noStream, "e1"), Log.append("petition-P1", .noStream, "e2"),
                      secrets: [SecretKey(id: "person-1", key: Data(repeating: 0xAB, count: 32))])
        try Log.write(store, Log.append("petition-P1", .exact(1), "e3"), Log.append("petition-P2", .noStream, "e4"))
        return try store.read(from: 1, limit: 100)
    }

    @Test("the reader gives back every record exactly as the store wrote it, from any position")
    func recordsReadBackExactly() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            for (store, reader) in try Self.backends(in: directory) {
                let written = try writeSample(store)
                var read: [RecordedEvent] = []
                try reader.forEach { read.append($0) }
                #expect(read == written)
                var tail: [Int64] = []
                try reader.forEach(from: 3, through: 3) { tail.append($0.position) }
                #expect(tail == [3])
            }
        }
    }

    @Test("head, hashes, recording times and one stream's records are read by position")
    func lookups() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            for (store, reader) in try Self.backends(in: directory) {
                let written = try writeSample(store)
                let connection = try reader.connect()
                #expect(try connection.head() == 4)
                #expect(try connection.hash(at: 2) == written[1].hash)
                #expect(try connection.hash(at: 9) == nil)
                let millis = Timestamp.millis(written[3].recordedAt)
                #expect(try connection.recordedAt(4) == millis)
                #expect(try connection.lastPosition(recordedBy: millis) == 4)
                #expect(try connection.lastPosition(recordedBy: 0) == 0)
                let found = written[2].hash.withUnsafeBytes { bytes in try? connection.position(holding: bytes.baseAddress!) }
                #expect(found == 3)
                let p1 = try connection.records(of: [StreamName(category: "petition", id: "P1")], through: 4)
                #expect(p1.map(\.position) == [2, 3])
                #expect(try connection.records(of: [StreamName(category: "petition", id: "P1")], through: 2).map(\.position) == [2])
                #expect(try reader.keys()["person-1"] == Data(repeating: 0xAB, count: 32))
            }
        }
    }

    @Test("reads inside one snapshot do not see records appended meanwhile")
    func snapshotIsolation() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            for (store, reader) in try Self.backends(in: directory) {
                _ = try writeSample(store)
                let connection = try reader.connect()
                let (before, after) = try connection.snapshot {
                    let before = try connection.head()
                    try Log.write(store, Log.append("petition-P3", .noStream, "e5"))
                    return (before, try connection.head())
                }
                #expect(before == 4 && after == 4)
                #expect(try connection.head() == 5)
            }
        }
    }

    @Test("a backup is a whole copy of the log, and refuses to overwrite a file")
    func backupCopiesTheLog() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            for (index, (store, reader)) in try Self.backends(in: directory).enumerated() {
                let written = try writeSample(store)
                let copyPath = directory.appendingPathComponent("copy-\(index).sqlite").path
                #expect(try reader.backup(to: copyPath) == 4)
                var copied: [RecordedEvent] = []
                try SQLiteEventLog(path: copyPath).forEach { copied.append($0) }
                #expect(copied == written)
                #expect(throws: EventStoreError.self) { try reader.backup(to: copyPath) }
            }
        }
    }
}
