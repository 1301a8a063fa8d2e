import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Testing

/// The gateway decides each batch while the one before it commits (`submit`), and replies only once a batch is durable.
@Suite("CommandProcessor's pipeline: the next batch is decided while the one before commits")
struct CommandPipelineTests {
    @Test("a batch decided during the commit before it sees that batch's petitions, numbers and positions, and a repeated command id gets the same reply",
          arguments: Backend.allCases)
    func nextBatchSeesTheCommittingOne(backend: Backend) throws {
        try withStore(backend) { (store: any EventStore) throws in
            let processor = try makeProcessor(store)
            #expect(processor.submit([.success(Requests.open("c1")), .success(Requests.submit("c2"))]).isEmpty, "the first batch is still committing")
            #expect(processor.isCommitting)
            // Decided on what the committing batch leaves: P000001 exists, the next petition is P000002, positions go on.
            let first = processor.submit([.success(Requests.answer("c3")), .success(Requests.submit("c4")), .success(Requests.submit("c2"))])
            #expect(first.count == 1, "the batch before is finished and returned")
            #expect(try first[0].replies.map(reply).map(\.position) == [1, 2])
            let second = try #require(processor.flush())
            #expect(!processor.isCommitting && processor.flush()?.replies == nil)
            let replies = try second.replies.map(reply)
            #expect(replies.map(\.ok) == [true, true, true])
            #expect(replies.map(\.id) == ["P000001", "P000002", "P000001"])
            #expect(replies.map(\.position) == [3, 4, 2], "the repeat of c2 gets c2's reply, position 2")
            #expect(second.replies[2] == first[0].replies[1], "byte for byte")
            #expect(second.committed.map(\.position) == [3, 4], "the repeat appends nothing")
            #expect(processor.head == 4)
            #expect(try store.headPosition() == 4)
            // A batch with nothing to commit is finished at once: P000001 was answered in the batch before.
            let refused = processor.submit([.success(Requests.answer("c5"))])
            #expect(refused.count == 1 && !processor.isCommitting)
            #expect(try refused[0].replies.map(reply).first?.ok == false)
            #expect(try processor.handle(Requests.submit("c6")).replies.map(reply).map(\.position) == [5])
        }
    }

    @Test("when the commit before fails, the batch decided on it is refused whole and nothing of either is in the log; the next batch starts from the log")
    func failedCommitRefusesTheBatchDecidedOnIt() throws {
        let store = FailingEventStore()
        store.failing = false
        let processor = try makeProcessor(store)
        _ = processor.handle(Requests.open("c1"))
        store.failing = true
        #expect(processor.submit([.success(Requests.submit("c2"))]).isEmpty)
        // Decided on P000001 existing, which will never be in the log.
        let outcomes = processor.submit([.success(Requests.answer("c3")), .success(Requests.submit("c4"))])
        #expect(outcomes.count == 2)
        #expect(outcomes.allSatisfy { $0.failed })
        let codes = try outcomes.flatMap { try $0.replies.map(reply) }.map { $0.error?.code }
        #expect(codes == ["unavailable", "unavailable", "unavailable"])
        #expect(!processor.isCommitting)
        #expect(try store.headPosition() == 1)
        store.failing = false
        // Nothing cached survives: the retried commands are decided on the log as it is.
        let retried = try processor.handle(Requests.submit("c2"), Requests.answer("c3")).replies.map(reply)
        #expect(retried.map(\.ok) == [true, true])
        #expect(retried.map(\.id) == ["P000001", "P000001"])
        #expect(retried.map(\.position) == [2, 3])
    }
}
