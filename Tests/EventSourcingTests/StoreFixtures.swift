import EventSourcing
import EventStorePostgres
import EventStoreSQLite
import Foundation
import TestSupport
import Testing

/// The event store backends that must behave the same.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqlite
    /// A database of its own on the tests' PostgreSQL server (``PostgresServer``).
    case postgresql

    var testDescription: String { rawValue }
}

/// A fresh folder under the temporary directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("event-store-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Runs `body` with an empty store of `kind`; an SQLite file lives only for the call.
func withStore<T>(_ kind: StoreKind, _ body: (any EventStore) throws -> T) throws -> T {
    switch kind {
    case .inMemory:
        return try body(InMemoryEventStore())
    case .sqlite:
        return try withTemporaryDirectory { directory in
            let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
            return try body(store)
        }
    case .postgresql:
        return try body(try PostgresEventStore(address: try PostgresServer.require().database()))
    }
}

/// Test data for the log.
enum Log {
    static let occurredAt = Timestamp.parse("2026-03-19T08:00:00.123+07:00")!
    static let recordedAt = Timestamp.parse("2026-03-19T01:00:05.456Z")!

    static func event(_ id: String, type: String = "test.happened.v1", data: String = #"{"n":1}"#,
                      occurredAt: Date = occurredAt, actor: String = "clerk-01") -> NewEvent {
        NewEvent(id: id, type: type, occurredAt: occurredAt, data: data,
                 metadata: EventMetadata(actor: actor, commandId: "cmd-\(id)"))
    }

    static func stream(_ raw: String) -> StreamName { StreamName(raw)! }

    /// An append of events `ids` to `stream`.
    static func append(_ stream: String, _ expected: ExpectedVersion = .any, _ ids: String...) -> StreamAppend {
        StreamAppend(stream: self.stream(stream), expectedVersion: expected, events: ids.map { event($0) })
    }

    @discardableResult
    static func write(_ store: any EventStore, _ appends: StreamAppend..., commands: [CommandRecord] = [],
                      secrets: [SecretKey] = []) throws -> [RecordedEvent] {
        try store.append(AppendBatch(appends: appends, commands: commands, secrets: secrets), recordedAt: recordedAt)
    }

    /// Checks the whole chain from the genesis hash.
    static func verify(_ records: [RecordedEvent]) -> HashChain.Verdict {
        var verifier = HashChain.Verifier()
        for record in records {
            if let broken = verifier.check(record) { return broken }
        }
        return .intact(records: verifier.count, head: verifier.previous)
    }

    /// Everything in the log.
    static func all(_ store: any EventStore) throws -> [RecordedEvent] {
        try store.read(from: 1, limit: 1_000_000)
    }
}
