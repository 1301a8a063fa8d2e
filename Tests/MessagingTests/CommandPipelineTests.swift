import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Testing

/// A store whose appends wait until the test opens the gate: batches stay "committing" as long as a test needs.
final class GatedEventStore: ForwardingEventStore, @unchecked Sendable {
    let inner: any EventStore
    var forwardedTo: any EventStore { inner }
    private let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var open = false

    init(_ inner: any EventStore) { self.inner = inner }

    /// Lets every append waiting, and every later one, through.
    func openGate() {
        lock.withLock { open = true }
        gate.signal()
    }

    func append(_ batch: AppendBatch, recordedAt: Date) throws(EventStoreError) -> [RecordedEvent] {
        if !lock.withLock({ open }) {
            gate.wait()
            gate.signal()
        }
        return try inner.append(batch, recordedAt: recordedAt)
    }
}

/// The gateway decides each batch while earlier ones commit (`submit`), and replies only once a batch is durable.
@Suite("CommandProcessor's pipeline: batches are decided while the ones before them commit")
struct CommandPipelineTests {
    @Test("batches decided while earlier ones commit see their petitions, numbers and positions, a repeated command id gets the same reply, and all finish in order",
          arguments: Backend.allCases)
    func laterBatchesSeeTheCommittingOnes(backend: Backend) throws {
        try withStore(backend) { (inner: any EventStore) throws in
            let store = GatedEventStore(inner)
            let processor = try makeProcessor(store)
            let b1 = processor.submit([.success(Requests.open("c1")), .success(Requests.submit("c2"))])
            // Decided on what b1 leaves: P000001 exists, the next petition is P000002, positions go on.
            let b2 = processor.submit([.success(Requests.answer("c3")), .success(Requests.submit("c4")), .success(Requests.submit("c2"))])
            // Nothing to commit, but decided on b2 (P000001 is answered there) and answered after it.
            let b3 = processor.submit([.success(Requests.answer("c5"))])
            #expect(b1.finished.isEmpty && b2.finished.isEmpty && b3.finished.isEmpty, "no commit has happened yet")
            #expect(processor.isCommitting)
            #expect(try inner.headPosition() == 0)
            store.openGate()
            let outcomes = processor.flush()
            #expect(!processor.isCommitting)
            #expect(outcomes.map(\.batch) == [b1.batch, b2.batch, b3.batch])
            #expect(try outcomes[0].replies.map(reply).map(\.position) == [1, 2])
            let second = try outcomes[1].replies.map(reply)
            #expect(second.map(\.ok) == [true, true, true])
            #expect(second.map(\.id) == ["P000001", "P000002", "P000001"])
            #expect(second.map(\.position) == [3, 4, 2], "the repeat of c2 gets c2's reply, position 2")
            #expect(outcomes[1].replies[2] == outcomes[0].replies[1], "byte for byte")
            #expect(outcomes[1].committed.map(\.position) == [3, 4], "the repeat appends nothing")
            #expect(outcomes[1].published.count == 2 && outcomes[1].published[0].contains(#""type":"petition.answered.v1""#))
            #expect(try outcomes[2].replies.map(reply).first?.error?.code == "invalid_transition")
            #expect(processor.head == 4)
            #expect(try inner.headPosition() == 4)
            #expect(try processor.handle(Requests.submit("c6")).replies.map(reply).map(\.position) == [5])
        }
    }

    @Test("when a commit fails, every batch decided on it is refused whole without being written, and the next batch starts from the log")
    func failedCommitRefusesTheBatchesDecidedOnIt() throws {
        let failing = FailingEventStore()
        failing.failing = false
        let store = GatedEventStore(failing)
        let processor = try makeProcessor(store)
        let opened = processor.submit([.success(Requests.open("c1"))])
        store.openGate()
        #expect(try processor.flush().first.map { try reply($0.replies[0]).ok } == true && opened.finished.isEmpty)
        failing.failing = true
        let attempts = failing.appendAttempts
        let b1 = processor.submit([.success(Requests.submit("c2"))])
        // Decided on P000001 existing, which will never be in the log.
        let b2 = processor.submit([.success(Requests.answer("c3")), .success(Requests.submit("c4"))])
        let outcomes = b1.finished + b2.finished + processor.flush()
        #expect(outcomes.map(\.batch) == [b1.batch, b2.batch])
        #expect(outcomes.allSatisfy { $0.failed })
        let codes = try outcomes.flatMap { try $0.replies.map(reply) }.map { $0.error?.code }
        #expect(codes == ["unavailable", "unavailable", "unavailable"])
        #expect(failing.appendAttempts - attempts <= 2, "a batch queued after the failure is refused without being tried when the failure came first")
        #expect(try failing.headPosition() == 1)
        failing.failing = false
        // Nothing cached survives: the retried commands are decided on the log as it is.
        let retried = try processor.handle(Requests.submit("c2"), Requests.answer("c3")).replies.map(reply)
        #expect(retried.map(\.ok) == [true, true])
        #expect(retried.map(\.id) == ["P000001", "P000001"])
        #expect(retried.map(\.position) == [2, 3])
    }

    @Test("a finished commit makes the processor's wake-up descriptor readable, so the gateway replies without waiting on the disk")
    func finishedCommitWakesThePoller() throws {
        let store = GatedEventStore(InMemoryEventStore())
        let processor = try makeProcessor(store)
        let submitted = processor.submit([.success(Requests.open("c1"))])
        func readable(within ms: Int32) -> Bool {
            var item = pollfd(fd: processor.commitFinishedFD, events: Int16(POLLIN), revents: 0)
            return poll(&item, 1, ms) == 1
        }
        #expect(!readable(within: 50), "nothing has committed")
        #expect(processor.finished().isEmpty)
        store.openGate()
        #expect(readable(within: 5_000))
        let finished = processor.finished()
        #expect(finished.map(\.batch) == [submitted.batch])
        #expect(try finished[0].replies.map(reply).first?.id == "S000001")
        #expect(!readable(within: 0), "read once, the descriptor is quiet again")
    }
}
