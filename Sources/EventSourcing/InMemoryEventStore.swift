import Foundation
import Synchronization

/// An event store in memory: for tests and for measuring what storage costs.
public final class InMemoryEventStore: EventStore {
    private struct State {
        var events: [RecordedEvent] = []
        var streams: [StreamName: [Int]] = [:]
        var eventIds: Set<String> = []
        var commands: [String: CommandRecord] = [:]
        var secrets: [String: SecretKey] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    public func append(_ batch: AppendBatch, recordedAt: Date) throws(EventStoreError) -> [RecordedEvent] {
        let result: Result<[RecordedEvent], EventStoreError> = state.withLock { s in
            if let expected = batch.expectedHead, expected != Int64(s.events.count) {
                return .failure(.headMoved(expected: expected, actual: Int64(s.events.count)))
            }
            var versions: [StreamName: Int64] = [:]
            var ids = Set<String>()
            for append in batch.appends {
                let current = versions[append.stream] ?? Int64(s.streams[append.stream]?.count ?? 0)
                guard append.expectedVersion.admits(current) else {
                    return .failure(.wrongExpectedVersion(append.stream, expected: append.expectedVersion, actual: current))
                }
                versions[append.stream] = current + Int64(append.events.count)
                for e in append.events {
                    guard !s.eventIds.contains(e.id), ids.insert(e.id).inserted else { return .failure(.duplicateEventId(e.id)) }
                }
            }
            for c in batch.commands where s.commands[c.commandId] != nil { return .failure(.duplicateCommand(c.commandId)) }
            var recorded: [RecordedEvent] = []
            var previous = s.events.last?.hash ?? HashChain.genesis
            let recordedMillis = Timestamp.millis(recordedAt)
            for append in batch.appends {
                for e in append.events {
                    let version = Int64(s.streams[append.stream]?.count ?? 0) + 1
                    var r = RecordedEvent(position: Int64(s.events.count) + 1, stream: append.stream, streamVersion: version,
                                          id: e.id, type: e.type, occurredAt: Timestamp.date(millis: Timestamp.millis(e.occurredAt)),
                                          recordedAt: Timestamp.date(millis: recordedMillis), data: e.data, metadata: e.metadata,
                                          previousHash: previous, hash: Data())
                    r.hash = HashChain.hash(of: r, previous: previous)
                    previous = r.hash
                    s.streams[append.stream, default: []].append(s.events.count)
                    s.events.append(r)
                    s.eventIds.insert(e.id)
                    recorded.append(r)
                }
            }
            for c in batch.commands { s.commands[c.commandId] = c }
            for k in batch.secrets { s.secrets[k.id] = k }
            for id in batch.destroyedSecrets { s.secrets[id] = nil }
            return .success(recorded)
        }
        return try result.get()
    }

    public func read(from position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] {
        state.withLock { s in
            let start = max(Int(position) - 1, 0)
            guard start < s.events.count, limit > 0 else { return [] }
            return Array(s.events[start..<min(s.events.count, start + limit)])
        }
    }

    public func readStream(_ stream: StreamName) throws(EventStoreError) -> [RecordedEvent] {
        state.withLock { s in (s.streams[stream] ?? []).map { s.events[$0] } }
    }

    public func lastRecord(of stream: StreamName) throws(EventStoreError) -> RecordedEvent? {
        state.withLock { s in s.streams[stream]?.last.map { s.events[$0] } }
    }

    public func streamVersion(_ stream: StreamName) throws(EventStoreError) -> Int64 {
        state.withLock { Int64($0.streams[stream]?.count ?? 0) }
    }

    public func headPosition() throws(EventStoreError) -> Int64 {
        state.withLock { Int64($0.events.count) }
    }

    public func commands(_ commandIds: [String]) throws(EventStoreError) -> [String: CommandRecord] {
        state.withLock { s in
            var found: [String: CommandRecord] = [:]
            for id in commandIds { if let c = s.commands[id] { found[id] = c } }
            return found
        }
    }

    public func streamCount(category: String) throws(EventStoreError) -> Int64 {
        state.withLock { s in Int64(s.streams.keys.filter { $0.category == category }.count) }
    }

    public func secret(_ id: String) throws(EventStoreError) -> SecretKey? {
        state.withLock { $0.secrets[id] }
    }

    public func people(matching words: [String], limit: Int) throws(EventStoreError) -> [String] {
        state.withLock { s in
            Array(s.secrets.values.filter { k in
                guard let name = k.searchName else { return false }
                return words.allSatisfy { name.contains($0) }
            }.map(\.id).sorted().prefix(limit))
        }
    }
}
