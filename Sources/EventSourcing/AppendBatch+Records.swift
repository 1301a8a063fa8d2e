import Foundation

extension AppendBatch {
    /// The streams the batch appends to, each once, in the order they first appear.
    public var streams: [StreamName] {
        var seen: Set<StreamName> = []
        return appends.map(\.stream).filter { seen.insert($0).inserted }
    }

    /// Checks every append's expectation against `versions` (each stream's version before the batch; absent: 0),
    /// appends to one stream seeing the ones before them; returns each stream's version after the batch.
    @discardableResult
    public func checkExpectations(_ versions: [StreamName: Int64]) throws(EventStoreError) -> [StreamName: Int64] {
        var current = versions
        for append in appends {
            let version = current[append.stream] ?? 0
            guard append.expectedVersion.admits(version) else {
                throw .wrongExpectedVersion(append.stream, expected: append.expectedVersion, actual: version)
            }
            current[append.stream] = version + Int64(append.events.count)
        }
        return current
    }

    /// What every store writes for this batch, laid out once for all of them: every expectation checked against
    /// `versions` (each stream's version before the batch; absent: 0) before anything else, then the records at
    /// the positions after `head`, each stream's versions counting on, each hash chained from `previous`, all
    /// recorded at `recordedAt`; and how many streams of each category the batch creates.
    public func records(versions: [StreamName: Int64], head: Int64, previous: Data,
                        recordedAt: Date) throws(EventStoreError) -> (records: [RecordedEvent], newStreams: [String: Int64]) {
        let current = try checkExpectations(versions)
        let recordedMillis = Timestamp.millis(recordedAt)
        let recordedDate = Timestamp.date(millis: recordedMillis)
        var records: [RecordedEvent] = []
        records.reserveCapacity(appends.reduce(0) { $0 + $1.events.count })
        var position = head, previous = previous
        var next = versions
        for append in appends where !append.events.isEmpty {
            var version = next[append.stream] ?? 0
            let stream = append.stream.description
            for event in append.events {
                position += 1
                version += 1
                let occurredMillis = Timestamp.millis(event.occurredAt)
                let hash = HashChain.hash(previous: previous, position: position, stream: stream, streamVersion: version,
                                          id: event.id, type: event.type, occurredAtMillis: occurredMillis,
                                          recordedAtMillis: recordedMillis, data: event.data, metadata: event.metadata)
                records.append(RecordedEvent(position: position, stream: append.stream, streamVersion: version, id: event.id,
                                             type: event.type, occurredAt: Timestamp.date(millis: occurredMillis),
                                             recordedAt: recordedDate, data: event.data,
                                             metadata: event.metadata, previousHash: previous, hash: hash))
                previous = hash
            }
            next[append.stream] = version
        }
        // Streams that had no event before this batch and have some now: counted once per category.
        var newStreams: [String: Int64] = [:]
        for stream in streams where (versions[stream] ?? 0) == 0 && (current[stream] ?? 0) > 0 {
            newStreams[stream.category, default: 0] += 1
        }
        return (records, newStreams)
    }
}
