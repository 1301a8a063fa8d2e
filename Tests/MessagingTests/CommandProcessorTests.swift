import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Testing

/// A store that refuses to append while `failing` is set: a full disk, a lost lock.
final class FailingEventStore: ForwardingEventStore, @unchecked Sendable {
    let inner = InMemoryEventStore()
    var forwardedTo: any EventStore { inner }
    private let lock = NSLock()
    private var _failing = true
    private var _failingReads = false
    private var _appendAttempts = 0

    /// Whether appends fail.
    var failing: Bool {
        get { lock.withLock { _failing } }
        set { lock.withLock { _failing = newValue } }
    }
    /// Whether looking up handled commands fails too.
    var failingReads: Bool {
        get { lock.withLock { _failingReads } }
        set { lock.withLock { _failingReads = newValue } }
    }
    var appendAttempts: Int { lock.withLock { _appendAttempts } }

    func append(_ batch: AppendBatch, recordedAt: Date) throws(EventStoreError) -> [RecordedEvent] {
        let fail = lock.withLock { _appendAttempts += 1; return _failing }
        if fail { throw .storage("disk I/O error (simulated)") }
        return try inner.append(batch, recordedAt: recordedAt)
    }
    func commands(_ commandIds: [String]) throws(EventStoreError) -> [String: CommandRecord] {
        if failingReads { throw .storage("database is locked (simulated)") }
        return try inner.commands(commandIds)
    }
}

/// A test store in front of a real one: every read goes to `inner`; the test store changes what it says it changes.
protocol ForwardingEventStore: EventStore {
    var forwardedTo: any EventStore { get }
}

extension ForwardingEventStore {
    func read(from position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] { try forwardedTo.read(from: position, limit: limit) }
    func readStream(_ stream: StreamName) throws(EventStoreError) -> [RecordedEvent] { try forwardedTo.readStream(stream) }
    func lastRecord(of stream: StreamName) throws(EventStoreError) -> RecordedEvent? { try forwardedTo.lastRecord(of: stream) }
    func streamVersion(_ stream: StreamName) throws(EventStoreError) -> Int64 { try forwardedTo.streamVersion(stream) }
    func headPosition() throws(EventStoreError) -> Int64 { try forwardedTo.headPosition() }
    func commands(_ commandIds: [String]) throws(EventStoreError) -> [String: CommandRecord] { try forwardedTo.commands(commandIds) }
    func streamCount(category: String) throws(EventStoreError) -> Int64 { try forwardedTo.streamCount(category: category) }
    func people(matching words: [String], limit: Int) throws(EventStoreError) -> [String] { try forwardedTo.people(matching: words, limit: limit) }
    func secret(_ id: String) throws(EventStoreError) -> SecretKey? { try forwardedTo.secret(id) }
}

@Suite("CommandProcessor: deciding and committing batches of commands")
struct CommandProcessorTests {
    @Test("a batch of commands is committed in order: one reply each, with exact positions and stream versions",
          arguments: Backend.allCases)
    func batchPositionsInOrder(backend: Backend) throws {
        try withStore(backend) { (store: any EventStore) throws in
            let processor = try makeProcessor(store)
            let outcome = processor.handle(Requests.open("c1"), Requests.submit("c2"), Requests.answer("c3"),
                                           Requests.open("c4", unit: "Xã Phước Hưng"))
            let replies = try outcome.replies.map(reply)
            #expect(replies.count == 4)
            #expect(replies.map(\.ok) == [true, true, true, true])
            #expect(replies.map(\.commandId) == ["c1", "c2", "c3", "c4"])
            #expect(replies.map(\.id) == ["S000001", "P000001", "P000001", "S000002"])
            #expect(replies.map(\.stream) == ["session-S000001", "petition-P000001", "petition-P000001", "session-S000002"])
            #expect(replies.map(\.position) == [1, 2, 3, 4])
            #expect(replies.map(\.streamVersion) == [1, 1, 2, 1])
            #expect(replies.map(\.events) == [["session.opened.v3"], ["petition.submitted.v3"], ["petition.answered.v1"], ["session.opened.v3"]])
            #expect(outcome.committed.map(\.position) == [1, 2, 3, 4])
            #expect(processor.head == 4)
            #expect(try store.headPosition() == 4)
            for (i, id) in ["c1", "c2", "c3", "c4"].enumerated() {
                #expect(try store.command(id)?.reply == outcome.replies[i], "the stored reply of \(id) is the reply sent")
            }
            // The next batch continues where this one ended.
            let next = try processor.handle(Requests.refer("c5", petition: "P000001")).replies.map(reply)
            #expect(next.first?.ok == false, "an answered petition cannot be referred")
            let more = try processor.handle(Requests.submit("c6", session: "S000002")).replies.map(reply)
            #expect(more.map(\.position) == [5])
            #expect(more.map(\.id) == ["P000002"])
        }
    }

    @Test("the same command id twice in one batch is appended once and both get the byte-identical reply",
          arguments: Backend.allCases)
    func duplicateInBatch(backend: Backend) throws {
        try withStore(backend) { (store: any EventStore) throws in
            let processor = try makeProcessor(store)
            let outcome = processor.handle(Requests.open("c1"), Requests.open("c1"))
            #expect(outcome.replies.count == 2)
            #expect(Array(outcome.replies[0].utf8) == Array(outcome.replies[1].utf8))
            #expect(try reply(outcome.replies[0]).position == 1)
            #expect(outcome.committed.count == 1)
            #expect(try store.headPosition() == 1)
            #expect(try store.streamCount(category: "session") == 1)
        }
    }

    @Test("the same command id in a later batch, or after a restart, appends nothing and returns the byte-identical reply",
          arguments: Backend.allCases)
    func duplicateAcrossBatches(backend: Backend) throws {
        try withStore(backend) { (store: any EventStore) throws in
            let processor = try makeProcessor(store)
            let first = processor.handle(Requests.open("c1"), Requests.submit("c2"))
            let again = processor.handle(Requests.submit("c2"), Requests.open("c1"))
            #expect(again.committed.isEmpty)
            #expect(Array(again.replies[0].utf8) == Array(first.replies[1].utf8))
            #expect(Array(again.replies[1].utf8) == Array(first.replies[0].utf8))
            #expect(try store.headPosition() == 2)

            let restarted = try makeProcessor(store)
            let afterRestart = restarted.handle(Requests.submit("c2"))
            #expect(afterRestart.committed.isEmpty)
            #expect(afterRestart.replies == [first.replies[1]])
            #expect(try store.headPosition() == 2)
        }
    }

    @Test("a command id reused for a different command is refused with command_id_conflict, in one batch or later")
    func commandIdConflict() throws {
        let store = InMemoryEventStore()
        let processor = try makeProcessor(store)
        let outcome = processor.handle(Requests.open("c1", title: "Đối thoại tháng 3"), Requests.open("c1", title: "Đối thoại tháng 4"))
        let inBatch = try reply(outcome.replies[1])
        #expect(try reply(outcome.replies[0]).ok)
        #expect(inBatch.ok == false)
        #expect(inBatch.error?.code == "command_id_conflict")
        #expect(inBatch.commandId == "c1")
        #expect(inBatch.error?.message.contains("use a new id") == true)

        let later = try reply(processor.handle(Requests.open("c1", actor: "clerk-02")).replies[0])
        #expect(later.error?.code == "command_id_conflict")
        #expect(try store.headPosition() == 1)
        #expect(try store.command("c1")?.reply == outcome.replies[0])
    }

    @Test("a refused command appends nothing and records nothing, while good commands of its batch commit")
    func refusedCommandAppendsNothing() throws {
        let store = InMemoryEventStore()
        let processor = try makeProcessor(store)
        let alone = processor.handle(Requests.answer("c1", petition: "P000009"))
        let refused = try reply(alone.replies[0])
        #expect(refused.ok == false)
        #expect(refused.error?.code == "petition_not_found")
        #expect(refused.position == nil)
        #expect(alone.committed.isEmpty)
        #expect(try store.headPosition() == 0)
        #expect(try store.command("c1") == nil)

        let mixed = processor.handle(Requests.submit("c2", session: "S000404"), Requests.open("c3"), Requests.resolve("c4"))
        let replies = try mixed.replies.map(reply)
        #expect(replies.map(\.ok) == [false, true, false])
        #expect(replies[0].error?.code == "session_not_found")
        #expect(replies[2].error?.code == "petition_not_found")
        #expect(replies[1].position == 1)
        #expect(mixed.committed.map(\.id).count == 1)
        #expect(try store.headPosition() == 1)
        #expect(try store.streamCount(category: "petition") == 0)
    }

    @Test("the domain's transition rules reach the client as error codes with their hints")
    func domainErrorsReachClient() throws {
        let processor = try makeProcessor(InMemoryEventStore())
        _ = processor.handle(Requests.open("c1"), Requests.submit("c2"), Requests.refer("c3"))
        let replies = try processor.handle(Requests.answer("c4"), Requests.resolve("c5"), Requests.resolve("c6")).replies.map(reply)
        #expect(replies[0].error?.code == "invalid_transition")
        #expect(replies[0].error?.message.contains("petitionctl resolve") == true)
        #expect(replies[1].ok)
        #expect(replies[2].error?.code == "invalid_transition")
        #expect(replies[2].error?.message.contains("already resolved") == true)
    }

    @Test("a referral's deadline counts from when it happened in Vietnam, and the reply says the deadline")
    func referralDeadlineInReply() throws {
        let store = InMemoryEventStore()
        let processor = try makeProcessor(store)
        _ = processor.handle(Requests.open("c1"), Requests.submit("c2"))
        // 18:00 UTC on 19 March is 01:00 on 20 March in Vietnam.
        let r = try reply(processor.handle(Requests.refer("c3", deadline: .days(30), at: Timestamp.parse("2026-03-19T18:00:00Z"))).replies[0])
        #expect(r.ok)
        #expect(r.deadline == "2026-04-19")
        let stored = try #require(try store.readStream(StreamName(category: "petition", id: "P000001")).last)
        #expect(Timestamp.format(stored.occurredAt) == "2026-03-19T18:00:00.000Z")
        #expect(stored.data.contains(#""deadline":"2026-04-19""#))
    }

    @Test("a command said to happen more than a day in the future is refused with invalid_value naming occurredAt")
    func futureOccurredAtRefused() throws {
        let store = InMemoryEventStore()
        let processor = try makeProcessor(store)
        var open = Requests.open("c1")
        open = CommandRequest(commandId: "c1", actor: open.actor, occurredAt: Requests.now.addingTimeInterval(86_401), command: open.command)
        let r = try reply(processor.handle(open).replies[0])
        #expect(r.error?.code == "invalid_value")
        #expect(r.error?.message.contains(#""occurredAt""#) == true)
        #expect(try store.headPosition() == 0)
        let soon = CommandRequest(commandId: "c2", actor: Actor(id: "clerk", role: .clerk), occurredAt: Requests.now.addingTimeInterval(3_600), command: open.command)
        #expect(try reply(processor.handle(soon).replies[0]).ok)
    }

    @Test("requests that failed to decode get their error reply in their place in the batch")
    func decodeFailuresKeepTheirPlace() throws {
        let processor = try makeProcessor(InMemoryEventStore())
        let outcome = processor.handle([.failure(.missingField("actor")), .success(Requests.open("c1")), .failure(.tooLarge(70_000, limit: 65_536))])
        let replies = try outcome.replies.map(reply)
        #expect(replies.map(\.ok) == [false, true, false])
        #expect(replies[0].error == .missingField("actor"))
        #expect(replies[1].position == 1)
        #expect(replies[2].error?.code == "too_large")
    }

    @Test("personal data never appears in plain text in the log, and the stored secret opens it", arguments: Backend.allCases)
    func personalDataSealed(backend: Backend) throws {
        try withStore(backend) { (store: any EventStore) throws in
            let processor = try makeProcessor(store)
            let outcome = processor.handle(Requests.open("c1"), Requests.submit("c2"))
            #expect(try outcome.replies.map(reply).map(\.ok) == [true, true])
            let records = try store.read(from: 1, limit: 100)
            let citizen = Requests.citizen
            let secrets = [citizen.name, "Nguyễn", citizen.phone!, "0912", "345 678", citizen.address!, "Phước Trung"]
            for record in records {
                let text = record.data + record.metadata.actor + record.metadata.commandId
                for secret in secrets {
                    #expect(!text.contains(secret), "\(record.type) at \(record.position) contains \(secret)")
                    #expect(!text.decomposedStringWithCanonicalMapping.contains(secret.decomposedStringWithCanonicalMapping))
                }
            }
            for reply in outcome.replies { #expect(!reply.contains(citizen.name)) }

            let submitted = try #require(records.first { $0.type == PetitionSubmitted.eventType })
            guard case .petition(.submitted(let event))? = try EventCodec.decode(submitted) else {
                Issue.record("not a submission")
                return
            }
            let key = try #require(try store.secret(event.citizen.personId))
            #expect(key.key.count == 32)
            #expect(PersonalDataVault.open(event.citizen, key: key.key) == citizen)
        }
    }

    @Test("each citizen gets their own key: one person's key does not open another's data")
    func keysArePerPerson() throws {
        let store = InMemoryEventStore()
        let processor = try makeProcessor(store)
        _ = processor.handle(Requests.open("c1"), Requests.submit("c2"),
                             Requests.submit("c3", citizen: PersonalData(name: "Phạm Thị Lan", phone: "0987654321")))
        let sealed = try store.read(from: 1, limit: 10).compactMap { record -> SealedPersonalData? in
            guard case .petition(.submitted(let e))? = try EventCodec.decode(record) else { return nil }
            return e.citizen
        }
        try #require(sealed.count == 2)
        #expect(sealed[0].personId != sealed[1].personId)
        let firstKey = try #require(try store.secret(sealed[0].personId)).key
        let secondKey = try #require(try store.secret(sealed[1].personId)).key
        #expect(PersonalDataVault.open(sealed[1], key: secondKey)?.name == "Phạm Thị Lan")
        #expect(PersonalDataVault.open(sealed[1], key: firstKey) == nil)
    }

    @Test("decomposed Vietnamese typed by a clerk is stored precomposed in the event")
    func nfcInStoredEvent() throws {
        let store = InMemoryEventStore()
        let processor = try makeProcessor(store)
        var object = Msg.object("session.open")
        object["unit"] = "Xã Đất Đỏ".decomposedStringWithCanonicalMapping
        object["title"] = "Đất đai".decomposedStringWithCanonicalMapping
        let request = try Msg.request("session.open", object)
        #expect(try reply(processor.handle(request).replies[0]).ok)
        let data = try #require(try store.read(from: 1, limit: 1).first).data
        let nfc = "Đất đai".precomposedStringWithCanonicalMapping
        #expect(data.utf8.firstRange(of: nfc.utf8) != nil)
        #expect(data.utf8.firstRange(of: "Đất đai".decomposedStringWithCanonicalMapping.utf8) == nil)
        #expect(Array(data.utf8) == Array(data.precomposedStringWithCanonicalMapping.utf8))
    }

    @Test("when the log cannot be written every pending command gets `unavailable`, and nothing counts as committed")
    func failingStoreCommitsNothing() throws {
        let store = FailingEventStore()
        let processor = try makeProcessor(store)
        let failed = processor.handle(Requests.open("c1"), Requests.submit("c2"), Requests.answer("c3", petition: "P000777"),
                                      Requests.open("c1"))
        let replies = try failed.replies.map(reply)
        #expect(failed.committed.isEmpty)
        #expect(replies.map(\.ok) == [false, false, false, false])
        #expect(replies.map { $0.error?.code } == ["unavailable", "unavailable", "petition_not_found", "unavailable"])
        #expect(replies[0].error?.message.contains("retry with the same command id") == true)
        #expect(replies[0].position == nil)
        #expect(processor.head == 0)
        #expect(try store.headPosition() == 0)
        #expect(try store.command("c1") == nil)
        #expect(store.appendAttempts == 1)

        // Retrying the same commands once the disk is back: same ids, same positions, as if the failure never happened.
        store.failing = false
        let retried = try processor.handle(Requests.open("c1"), Requests.submit("c2")).replies.map(reply)
        #expect(retried.map(\.ok) == [true, true])
        #expect(retried.map(\.id) == ["S000001", "P000001"])
        #expect(retried.map(\.position) == [1, 2])
        #expect(processor.head == 2)
    }

    @Test("when handled commands cannot be looked up, every command gets `unavailable` and nothing is appended")
    func unreadableCommandsTable() throws {
        let store = FailingEventStore()
        store.failing = false
        let processor = try makeProcessor(store)
        _ = processor.handle(Requests.open("c1"))
        store.failingReads = true
        let replies = try processor.handle(Requests.submit("c2"), Requests.open("c1")).replies.map(reply)
        #expect(replies.map { $0.error?.code } == ["unavailable", "unavailable"])
        #expect(replies.map(\.commandId) == ["c2", "c1"])
        #expect(try store.headPosition() == 1)
        #expect(store.appendAttempts == 1)
        store.failingReads = false
        let retried = try processor.handle(Requests.submit("c2"), Requests.open("c1")).replies.map(reply)
        #expect(retried.map(\.position) == [2, 1])
    }

    @Test("a processor started on an existing log continues its numbering and knows its petitions")
    func restartContinues() throws {
        let store = InMemoryEventStore()
        let ids = SequentialIds()
        _ = try makeProcessor(store, ids: ids).handle(Requests.open("c1"), Requests.submit("c2"), Requests.refer("c3"))
        let restarted = try makeProcessor(store, ids: ids)
        #expect(restarted.head == 3)
        let replies = try restarted.handle(Requests.open("c4"), Requests.submit("c5", session: "S000001"), Requests.resolve("c6"),
                                           Requests.answer("c7")).replies.map(reply)
        #expect(replies.map(\.id) == ["S000002", "P000002", "P000001", nil])
        #expect(replies.map(\.position) == [4, 5, 6, nil])
        #expect(replies[2].streamVersion == 3)
        #expect(replies[3].error?.code == "invalid_transition")
    }
}
