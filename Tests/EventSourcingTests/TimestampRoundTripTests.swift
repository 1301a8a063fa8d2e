import EventSourcing
import EventStoreSQLite
import Foundation
import Testing

/// A record's stored instant, read back, hashes to what was stored: the chain never flags untouched records.
struct TimestampRoundTripTests {
    @Test("milliseconds survive the trip through Date for every instant from 1900 to 2199")
    func millisecondsSurviveTheTripThroughDate() {
        let low = Timestamp.parseMillis("1900-01-01T00:00:00Z")!
        let high = Timestamp.parseMillis("2199-12-31T23:59:59Z")!
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let m = Int64.random(in: low...high, using: &generator)
            #expect(Timestamp.millis(Timestamp.date(millis: m)) == m)
        }
    }

    @Test("an instant that rounding down used to shift by a millisecond still verifies in the SQLite log")
    func aFormerlyShiftedInstantVerifies() throws {
        try withTemporaryDirectory { directory in
            let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
            let occurred = try #require(Timestamp.parse("2039-01-16T19:24:59.128Z"))
            let event = NewEvent(id: "e1", type: "session.opened.v1", occurredAt: occurred, data: "{}",
                                 metadata: EventMetadata(actor: "clerk", commandId: "c1"))
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: "session", id: "S1"), expectedVersion: .noStream, events: [event])]),
                                 recordedAt: occurred)
            var verifier = HashChain.Verifier()
            for record in try store.read(from: 1, limit: 10) { #expect(verifier.check(record) == nil) }
            #expect(Timestamp.format(try #require(try store.read(from: 1, limit: 1).first).occurredAt) == "2039-01-16T19:24:59.128Z")
        }
    }
}
