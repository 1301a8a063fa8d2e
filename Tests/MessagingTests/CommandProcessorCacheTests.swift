import EventSourcing
import Foundation
import Messaging
import Testing

/// The single writer's stream caches: what a stream of hostile or mistaken commands can make it keep.
@Suite("CommandProcessor: bounded stream caches")
struct CommandProcessorCacheTests {
    @Test("commands naming petitions that do not exist are refused and leave nothing in the caches", arguments: Backend.allCases)
    func unknownIdsAreNotCached(backend: Backend) throws {
        try withStore(backend) { (store: any EventStore) throws in
            let processor = try makeProcessor(store)
            _ = processor.handle(Requests.open("c1"), Requests.submit("c2"))
            let before = processor.cachedEntries
            for batch in 0..<10 {
                let commands = (0..<500).map { i in Requests.answer("a\(batch)-\(i)", petition: "P\(UUID().uuidString.prefix(12))") }
                let replies = try processor.handle(commands.map { .success($0) }).replies.map(reply)
                #expect(replies.allSatisfy { $0.ok == false && $0.error?.code == "petition_not_found" })
            }
            #expect(processor.cachedEntries == before, "5,000 unknown petition ids left \(processor.cachedEntries - before) cache entries")
            // The petition that exists is still served from the cache or the log.
            #expect(try reply(processor.handle(Requests.answer("c3")).replies[0]).ok)
        }
    }

    @Test("the caches stay within their capacity however many streams are touched, and evicted streams are reloaded right")
    func cachesAreBounded() throws {
        let store = InMemoryEventStore()
        let capacity = 64
        let ids = SequentialIds()
        let processor = try CommandProcessor(store: store, now: { Requests.now }, newId: { ids.make() }, cacheCapacity: capacity)
        _ = processor.handle(Requests.open("s"))
        for batch in 0..<10 {
            let submits = (0..<100).map { i in Requests.submit("p\(batch)-\(i)") }
            #expect(try processor.handle(submits.map { .success($0) }).replies.map(reply).allSatisfy(\.ok))
            #expect(processor.cachedEntries <= 5 * capacity)
        }
        // P000001 was evicted long ago: answering it reloads its state and version from the log.
        let answered = try reply(processor.handle(Requests.answer("a1", petition: "P000001")).replies[0])
        #expect(answered.ok)
        #expect(answered.streamVersion == 2)
        #expect(answered.position == 1_002)
        let again = try reply(processor.handle(Requests.answer("a2", petition: "P000001")).replies[0])
        #expect(again.ok == false, "an answered petition is not answered twice: the reloaded state is current")
    }
}
