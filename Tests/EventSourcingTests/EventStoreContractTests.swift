import EventSourcing
import Foundation
import Testing

/// The behaviour every event store backend promises, run against each of them.
@Suite("EventStore contract (in memory, SQLite and PostgreSQL)")
struct EventStoreContractTests {
    @Test("an empty log has head 0 and nothing in it", arguments: StoreKind.allCases)
    func emptyLog(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            #expect(try store.headPosition() == 0)
            #expect(try store.read(from: 1, limit: 10).isEmpty)
            #expect(try store.readStream(Log.stream("petition-P000001")).isEmpty)
            #expect(try store.streamVersion(Log.stream("petition-P000001")) == 0)
            #expect(try store.streamCount(category: "petition") == 0)
            #expect(try store.command("c1") == nil)
            #expect(try store.secret("person-1") == nil)
        }
    }

    @Test("positions are gapless and in order across several streams and batches", arguments: StoreKind.allCases)
    func gaplessPositions(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            let first = try Log.write(store, Log.append("session-S1", .noStream, "e1"),
                                      Log.append("petition-P1", .noStream, "e2", "e3"))
            let second = try Log.write(store, Log.append("petition-P2", .noStream, "e4"),
                                       Log.append("petition-P1", .exact(2), "e5"))
            let third = try Log.write(store, Log.append("session-S1", .exact(1), "e6", "e7", "e8"))
            #expect(first.map(\.position) == [1, 2, 3])
            #expect(second.map(\.position) == [4, 5])
            #expect(third.map(\.position) == [6, 7, 8])
            #expect(try store.headPosition() == 8)
            let all = try Log.all(store)
            #expect(all.map(\.position) == Array(1...8))
            #expect(all.map(\.id) == ["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"])
            #expect(all == first + second + third, "what append returns is exactly what is read back")
        }
    }

    @Test("each record carries its stream's version, and streamVersion counts a stream's events", arguments: StoreKind.allCases)
    func streamVersions(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("petition-P1", .noStream, "a1", "a2"), Log.append("petition-P2", .noStream, "b1"))
            try Log.write(store, Log.append("petition-P1", .exact(2), "a3"))
            let all = try Log.all(store)
            #expect(all.map { "\($0.stream):\($0.streamVersion)" } == ["petition-P1:1", "petition-P1:2", "petition-P2:1", "petition-P1:3"])
            #expect(try store.streamVersion(Log.stream("petition-P1")) == 3)
            #expect(try store.streamVersion(Log.stream("petition-P2")) == 1)
            #expect(try store.streamVersion(Log.stream("petition-P3")) == 0)
        }
    }

    @Test("an expectation the stream meets is admitted: noStream on a new stream, exact on its version, any always",
          arguments: StoreKind.allCases)
    func expectedVersionAdmitted(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            #expect(try Log.write(store, Log.append("petition-P1", .noStream, "e1")).count == 1)
            #expect(try Log.write(store, Log.append("petition-P1", .exact(1), "e2")).count == 1)
            #expect(try Log.write(store, Log.append("petition-P1", .any, "e3")).count == 1)
            #expect(try Log.write(store, Log.append("petition-P2", .any, "e4")).count == 1)
            #expect(try Log.write(store, Log.append("petition-P3", .exact(0), "e5")).count == 1)
            #expect(try store.streamVersion(Log.stream("petition-P1")) == 3)
        }
    }

    @Test("two appends to one stream in the same batch see each other's version", arguments: StoreKind.allCases)
    func expectationsWithinBatch(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            let recorded = try Log.write(store, Log.append("petition-P1", .noStream, "e1"), Log.append("petition-P1", .exact(1), "e2"))
            #expect(recorded.map(\.streamVersion) == [1, 2])
            #expect(throws: EventStoreError.self) {
                try Log.write(store, Log.append("petition-P2", .noStream, "e3"), Log.append("petition-P2", .noStream, "e4"))
            }
            #expect(try store.headPosition() == 2)
        }
    }

    @Test("a batch with one unmet expectation is refused whole: no event, command or secret is written",
          arguments: StoreKind.allCases, [ExpectedVersion.noStream, .exact(1), .exact(3)])
    func refusedBatchWritesNothing(kind: StoreKind, wrong: ExpectedVersion) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("petition-P1", .noStream, "e1", "e2"))
            let before = try Log.all(store)
            let error = try #require(throws: EventStoreError.self) {
                try Log.write(store, Log.append("petition-P2", .noStream, "e3"), Log.append("petition-P1", wrong, "e4"),
                              commands: [CommandRecord(commandId: "c9", fingerprint: "f", reply: "{}")],
                              secrets: [SecretKey(id: "person-9", key: Data([1, 2, 3]))])
            }
            #expect(error.isSameKind(as: .wrongExpectedVersion(Log.stream("petition-P1"), expected: wrong, actual: 2)))
            #expect(error.message.contains("petition-P1"))
            #expect(try store.headPosition() == 2)
            #expect(try Log.all(store) == before)
            #expect(try store.streamVersion(Log.stream("petition-P2")) == 0)
            #expect(try store.streamCount(category: "petition") == 1)
            #expect(try store.command("c9") == nil)
            #expect(try store.secret("person-9") == nil)
            // The log still takes the next good batch at the next position.
            #expect(try Log.write(store, Log.append("petition-P1", .exact(2), "e4")).map(\.position) == [3])
        }
    }

    @Test("an event id already in the log, or repeated in one batch, is refused and nothing is written",
          arguments: StoreKind.allCases)
    func duplicateEventIdRefused(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("petition-P1", .noStream, "e1"))
            #expect(throws: EventStoreError.self) {
                try Log.write(store, Log.append("petition-P2", .noStream, "e2"), Log.append("petition-P3", .noStream, "e1"))
            }
            #expect(throws: EventStoreError.self) {
                try Log.write(store, Log.append("petition-P2", .noStream, "e2", "e2"))
            }
            #expect(try store.headPosition() == 1)
            #expect(try store.streamVersion(Log.stream("petition-P2")) == 0)
            #expect(try Log.write(store, Log.append("petition-P2", .noStream, "e2")).map(\.position) == [2])
        }
    }

    @Test("command records are stored with their batch and read back by id", arguments: StoreKind.allCases)
    func commandRecordsStored(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            let reply = #"{"id":"P000001","ok":true,"position":1}"#
            try Log.write(store, Log.append("petition-P1", .noStream, "e1"),
                          commands: [CommandRecord(commandId: "c1", fingerprint: "ab12", reply: reply)])
            // A batch may also record a command that appended nothing.
            try Log.write(store, commands: [CommandRecord(commandId: "c2", fingerprint: "cd34", reply: "{}")])
            #expect(try store.command("c1") == CommandRecord(commandId: "c1", fingerprint: "ab12", reply: reply))
            #expect(try store.command("c2")?.fingerprint == "cd34")
            #expect(try store.command("c3") == nil)
            #expect(try store.headPosition() == 1)
        }
    }

    @Test("commands(_:) finds the handled commands among many ids in one read, ignoring unknown ids", arguments: StoreKind.allCases)
    func batchCommandLookup(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            let records = (1...5).map { CommandRecord(commandId: "c\($0)", fingerprint: "f\($0)", reply: #"{"ok":true,"n":\#($0)}"#) }
            try Log.write(store, Log.append("petition-P1", .noStream, "e1"), commands: Array(records[0..<3]))
            try Log.write(store, commands: Array(records[3...]))
            #expect(try store.commands([]) == [:])
            #expect(try store.commands(["x", "y"]) == [:])
            let found = try store.commands(["c5", "nope", "c1", "c3", "c1"])
            #expect(found == ["c1": records[0], "c3": records[2], "c5": records[4]])
            let many = (0..<12_000).map { "unknown-\($0)" } + ["c2"]
            #expect(try store.commands(many) == ["c2": records[1]])
        }
    }

    @Test("a command id already handled is refused with duplicateCommand and its batch writes nothing",
          arguments: StoreKind.allCases)
    func duplicateCommandRefused(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("petition-P1", .noStream, "e1"),
                          commands: [CommandRecord(commandId: "c1", fingerprint: "f1", reply: "first")])
            let error = try #require(throws: EventStoreError.self) {
                try Log.write(store, Log.append("petition-P2", .noStream, "e2"),
                              commands: [CommandRecord(commandId: "c1", fingerprint: "f2", reply: "second")])
            }
            #expect(error.isSameKind(as: .duplicateCommand("c1")))
            #expect(try store.command("c1")?.reply == "first")
            #expect(try store.headPosition() == 1)
        }
    }

    @Test("secrets are stored beside the log and read back by id", arguments: StoreKind.allCases)
    func secretsStored(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            let key = Data((0..<32).map { UInt8($0 * 7 % 256) })
            try Log.write(store, Log.append("petition-P1", .noStream, "e1"), secrets: [SecretKey(id: "person-1", key: key)])
            #expect(try store.secret("person-1") == SecretKey(id: "person-1", key: key))
            #expect(try store.secret("person-2") == nil)
            #expect(try Log.all(store).allSatisfy { !$0.data.contains(key.base64EncodedString()) })
        }
    }

    @Test("readStream gives one stream's records in version order, skipping other streams", arguments: StoreKind.allCases)
    func readStreamInOrder(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("petition-P1", .any, "a1"), Log.append("petition-P2", .any, "b1"))
            try Log.write(store, Log.append("petition-P2", .any, "b2"), Log.append("petition-P1", .any, "a2", "a3"))
            try Log.write(store, Log.append("petition-P1", .any, "a4"))
            let p1 = try store.readStream(Log.stream("petition-P1"))
            #expect(p1.map(\.id) == ["a1", "a2", "a3", "a4"])
            #expect(p1.map(\.streamVersion) == [1, 2, 3, 4])
            #expect(p1.map(\.position) == [1, 4, 5, 6])
            #expect(try store.readStream(Log.stream("petition-P2")).map(\.id) == ["b1", "b2"])
        }
    }

    @Test("lastRecord gives one stream's newest record, and nil for a stream that does not exist", arguments: StoreKind.allCases)
    func lastRecordOfAStream(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("petition-P1", .any, "a1"), Log.append("petition-P2", .any, "b1"))
            try Log.write(store, Log.append("petition-P1", .any, "a2", "a3"), Log.append("petition-P2", .any, "b2"))
            let last = try store.lastRecord(of: Log.stream("petition-P1"))
            #expect(last == (try store.readStream(Log.stream("petition-P1"))).last)
            #expect(last?.id == "a3" && last?.streamVersion == 3 && last?.position == 4)
            #expect(try store.lastRecord(of: Log.stream("petition-P2"))?.id == "b2")
            #expect(try store.lastRecord(of: Log.stream("petition-P3")) == nil)
        }
    }

    @Test("read(from:limit:) pages through the log without gaps or repeats", arguments: StoreKind.allCases)
    func pagedReading(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            for i in 1...7 { try Log.write(store, Log.append("petition-P\(i % 3)", .any, "e\(i)")) }
            var pages: [[Int64]] = []
            var next: Int64 = 1
            while true {
                let page = try store.read(from: next, limit: 3)
                if page.isEmpty { break }
                pages.append(page.map(\.position))
                next = page.last!.position + 1
            }
            #expect(pages == [[1, 2, 3], [4, 5, 6], [7]])
            #expect(try store.read(from: 5, limit: 1).map(\.id) == ["e5"])
            #expect(try store.read(from: 8, limit: 10).isEmpty)
            #expect(try store.read(from: 3, limit: 0).isEmpty)
        }
    }

    @Test("streamCount counts the streams of one category only", arguments: StoreKind.allCases)
    func streamCountByCategory(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("session-S1", .noStream, "s1"), Log.append("petition-P1", .noStream, "p1"))
            try Log.write(store, Log.append("petition-P2", .noStream, "p2"), Log.append("petition-P1", .exact(1), "p3"))
            try Log.write(store, Log.append("petitions-X", .noStream, "x1"))
            #expect(try store.streamCount(category: "petition") == 2)
            #expect(try store.streamCount(category: "session") == 1)
            #expect(try store.streamCount(category: "petitions") == 1)
            #expect(try store.streamCount(category: "person") == 0)
        }
    }

    @Test("every record links to the previous record's hash, and the verifier accepts the whole log", arguments: StoreKind.allCases)
    func hashChainLinks(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            try Log.write(store, Log.append("session-S1", .noStream, "e1"), Log.append("petition-P1", .noStream, "e2", "e3"))
            try Log.write(store, Log.append("petition-P1", .exact(2), "e4"))
            try Log.write(store, Log.append("petition-P2", .noStream, "e5"))
            let all = try Log.all(store)
            #expect(all.first?.previousHash == HashChain.genesis)
            for (previous, record) in zip(all, all.dropFirst()) {
                #expect(record.previousHash == previous.hash, "record \(record.position) does not link to \(previous.position)")
            }
            #expect(all.allSatisfy { $0.hash.count == 32 })
            #expect(Set(all.map(\.hash)).count == all.count)
            #expect(Log.verify(all) == .intact(records: 5, head: all.last!.hash))
        }
    }

    @Test("Vietnamese text in data and metadata comes back byte for byte, in whatever normal form it was written",
          arguments: StoreKind.allCases)
    func vietnameseTextRoundTrips(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            let nfc = #"{"content":"Đề nghị giải quyết tranh chấp đất đai ở ấp Phước Hưng, xã Long Hải","note":"“ngoặc kép” 🙏"}"#
            let nfd = nfc.decomposedStringWithCanonicalMapping
            #expect(Array(nfc.utf8) != Array(nfd.utf8))
            let actor = "cán bộ tiếp dân Nguyễn Thị Ánh"
            let events = [
                NewEvent(id: "e1", type: "test.v1", occurredAt: Log.occurredAt, data: nfc,
                         metadata: EventMetadata(actor: actor, commandId: "lệnh-1", correlationId: "tương-quan", causationId: "nguyên-nhân")),
                NewEvent(id: "e2", type: "test.v1", occurredAt: Log.occurredAt, data: nfd,
                         metadata: EventMetadata(actor: actor, commandId: "lệnh-2")),
            ]
            try store.append(AppendBatch(appends: [StreamAppend(stream: Log.stream("petition-P1"), expectedVersion: .noStream, events: events)]),
                             recordedAt: Log.recordedAt)
            let all = try Log.all(store)
            try #require(all.count == 2)
            #expect(Array(all[0].data.utf8) == Array(nfc.utf8))
            #expect(Array(all[1].data.utf8) == Array(nfd.utf8))
            #expect(Array(all[0].metadata.actor.utf8) == Array(actor.utf8))
            #expect(all[0].metadata == EventMetadata(actor: actor, commandId: "lệnh-1", correlationId: "tương-quan", causationId: "nguyên-nhân"))
            #expect(all[1].metadata.correlationId == "lệnh-2")
            #expect(Log.verify(all) == .intact(records: 2, head: all[1].hash))
        }
    }

    @Test("instants are kept to the millisecond: occurredAt from the event, recordedAt from the batch", arguments: StoreKind.allCases)
    func instantsToTheMillisecond(kind: StoreKind) throws {
        try withStore(kind) { (store: any EventStore) throws in
            let occurred = Date(timeIntervalSince1970: 1_773_882_000.123_789)
            try store.append(AppendBatch(appends: [StreamAppend(stream: Log.stream("petition-P1"), expectedVersion: .noStream,
                                                                events: [Log.event("e1", occurredAt: occurred)])]),
                             recordedAt: Log.recordedAt)
            let record = try #require(try Log.all(store).first)
            #expect(Timestamp.format(record.occurredAt) == "2026-03-19T01:00:00.123Z")
            #expect(Timestamp.format(record.recordedAt) == "2026-03-19T01:00:05.456Z")
            #expect(record.type == "test.happened.v1")
            #expect(record.metadata.actor == "clerk-01")
        }
    }
}
