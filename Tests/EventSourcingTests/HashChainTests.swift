import EventSourcing
import Foundation
import Testing

@Suite("HashChain: tamper evidence of the log")
struct HashChainTests {
    static let metadata = EventMetadata(actor: "clerk", commandId: "c1")

    func record(_ position: Int64, previous: Data, data: String = #"{"n":1}"#) -> RecordedEvent {
        var r = RecordedEvent(position: position, stream: StreamName(category: "petition", id: "P1"), streamVersion: position,
                              id: "e\(position)", type: "test.v1", occurredAt: Timestamp.date(millis: 1_773_882_000_000),
                              recordedAt: Timestamp.date(millis: 1_773_882_000_500), data: data, metadata: Self.metadata,
                              previousHash: previous, hash: Data())
        r.hash = HashChain.hash(of: r, previous: previous)
        return r
    }

    func chain(_ count: Int) -> [RecordedEvent] {
        var previous = HashChain.genesis
        return (1...Int64(count)).map { position in
            let r = record(position, previous: previous)
            previous = r.hash
            return r
        }
    }

    @Test("the chain starts from 32 zero bytes")
    func genesisIsZero() {
        #expect(HashChain.genesis == Data(repeating: 0, count: 32))
    }

    @Test("the hash is SHA-256 sized and the same for the same record")
    func hashIsDeterministic() {
        let a = record(1, previous: HashChain.genesis)
        let b = record(1, previous: HashChain.genesis)
        #expect(a.hash.count == 32)
        #expect(a.hash == b.hash)
    }

    @Test("changing any one field of a record changes its hash")
    func everyFieldCounts() {
        let base = record(1, previous: HashChain.genesis)
        var variants: [RecordedEvent] = []
        var r = base; r.position = 2; variants.append(r)
        r = base; r.stream = StreamName(category: "petition", id: "P2"); variants.append(r)
        r = base; r.streamVersion = 9; variants.append(r)
        r = base; r.id = "other"; variants.append(r)
        r = base; r.type = "test.v2"; variants.append(r)
        r = base; r.occurredAt = r.occurredAt.addingTimeInterval(0.001); variants.append(r)
        r = base; r.recordedAt = r.recordedAt.addingTimeInterval(0.001); variants.append(r)
        r = base; r.data = #"{"n":2}"#; variants.append(r)
        r = base; r.metadata.actor = "chair"; variants.append(r)
        r = base; r.metadata.commandId = "c2"; variants.append(r)
        r = base; r.metadata.correlationId = "x"; variants.append(r)
        r = base; r.metadata.causationId = "y"; variants.append(r)
        for variant in variants {
            #expect(HashChain.hash(of: variant, previous: HashChain.genesis) != base.hash)
        }
        #expect(HashChain.hash(of: base, previous: Data(repeating: 1, count: 32)) != base.hash)
    }

    @Test("fields are length-prefixed, so moving text between adjacent fields changes the hash")
    func lengthPrefixesSeparateFields() {
        var a = record(1, previous: HashChain.genesis)
        var b = a
        a.metadata.actor = "ab"; a.metadata.commandId = "c"
        b.metadata.actor = "a"; b.metadata.commandId = "bc"
        #expect(HashChain.hash(of: a, previous: HashChain.genesis) != HashChain.hash(of: b, previous: HashChain.genesis))
    }

    @Test("the verifier accepts an intact chain and counts its records")
    func verifierAcceptsIntactChain() {
        let records = chain(4)
        #expect(Log.verify(records) == .intact(records: 4, head: records[3].hash))
    }

    @Test("the verifier can resume after a known head")
    func verifierResumes() {
        let records = chain(4)
        var verifier = HashChain.Verifier(previous: records[1].hash, startPosition: 3)
        #expect(verifier.check(records[2]) == nil)
        #expect(verifier.check(records[3]) == nil)
        #expect(verifier.count == 2)
        #expect(verifier.nextPosition == 5)
    }

    @Test("the verifier reports an altered record, a broken link, a missing record and a record out of order")
    func verifierReportsBreaks() {
        let records = chain(4)
        var altered = records
        altered[1].data = #"{"n":99}"#
        #expect(Log.verify(altered) == .broken(position: 2, reason: "record 2 was altered (hash mismatch)"))

        var relinked = records
        relinked[2] = record(3, previous: Data(repeating: 7, count: 32))
        #expect(Log.verify(relinked) == .broken(position: 3, reason: "previous-hash link does not match record 2"))

        let missing = [records[0], records[2], records[3]]
        #expect(Log.verify(missing) == .broken(position: 2, reason: "record 2 is missing (next found is 3)"))

        let repeated = [records[0], records[1], records[1]]
        #expect(Log.verify(repeated) == .broken(position: 3, reason: "record 2 is out of order (expected 3)"))
    }
}
