import EventSourcing
import Foundation
import Logging
import Messaging
import TestSupport
import Testing
import ZeroMQ

/// The follower's alarm that the log is behind it is raised only when the log really lost records.
@Suite(.serialized)
struct EventFollowerTests {
    /// Log lines at error level, kept for the test to read.
    final class ErrorLines: LogHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .error
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lock.withLock { lines.append("\(event.message)") }
        }
        var all: [String] { lock.withLock { lines } }
    }

    /// A stand-in gateway on real sockets: a PUB feed and a history ROUTER that answers when the test says.
    final class FakeGateway {
        let pub: ZMQSocket
        let history: ZMQSocket
        let records: [RecordedEvent]

        init(context: ZMQContext, endpoints: Endpoints, count: Int) throws {
            pub = try context.socket(.pub)
            history = try context.socket(.router)
            try pub.bind(endpoints.events)
            try history.bind(endpoints.history)
            let store = InMemoryEventStore()
            for i in 1...count {
                // Real events (an alert delivered), so the follower decodes each: a type it did not know would be reported.
                let data = #"{"alertId":"A\#(i)","petitionId":"P000001","sink":"file","attempts":1,"detail":"ok"}"#
                let e = NewEvent(id: "e\(i)", type: "alert.delivered.v1", occurredAt: Date(), data: data,
                                 metadata: EventMetadata(actor: "tester", commandId: "c\(i)"))
                _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: "alert", id: "A\(i)"), expectedVersion: .any, events: [e])]),
                                     recordedAt: Date())
            }
            records = try store.read(from: 1, limit: count)
        }

        func publish(through position: Int) throws {
            for r in records.prefix(position) { _ = try pub.send([Array("\(r.type)".utf8), Array(CloudEvent.json(r).utf8)], dontWait: true) }
        }

        /// The next history request's frames, driving `follower` meanwhile (its first send waits for the connection), up to 10 s.
        func nextRequest(from follower: EventFollower) throws -> [[UInt8]]? {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if try ZMQPoll.readable([history], timeoutMs: 20)[0] { return try history.receive(dontWait: true) }
                try follower.handle(try ZMQPoll.readable(follower.sockets, timeoutMs: 0))
            }
            return nil
        }

        /// Answers `request` with a page that says the head is `head` and holds the events through it.
        func answer(_ request: [[UInt8]], head: Int) throws {
            let page = "{\"ok\":true,\"head\":\(head),\"events\":[" + records.prefix(head).map(CloudEvent.json).joined(separator: ",") + "]}"
            _ = try history.send(Array(request.dropLast()) + [Array(page.utf8)], dontWait: true)
        }

        func close() { pub.close(); history.close() }
    }

    /// Polls the follower's sockets until `done` or 10 s pass; `tick` runs each round.
    static func drive(_ follower: EventFollower, until done: () -> Bool, tick: () throws -> Void = {}) throws {
        let deadline = Date().addingTimeInterval(10)
        while !done(), Date() < deadline {
            try tick()
            let ready = try ZMQPoll.readable(follower.sockets, timeoutMs: 20)
            try follower.handle(ready)
        }
    }

    @Test("a history page older than what the feed brought since it was asked raises no alarm; a log truly behind does")
    func stalePageIsNoFalseAlarm() throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let endpoints = Endpoints(basePort: FreePorts.base())
        let gateway = try FakeGateway(context: context, endpoints: endpoints, count: 129)
        defer { gateway.close() }
        let errors = ErrorLines()
        var applied: [Int64] = []
        let follower = try EventFollower(context: context, endpoints: endpoints, checkpoint: 0, logger: Logger(label: "test") { _ in errors }) {
            applied += $0.map(\.position)
        }
        defer { follower.close() }

        // The first request is held back while the feed brings 1...129 (a slow reply under load).
        let first = try #require(try gateway.nextRequest(from: follower))
        try Self.drive(follower, until: { follower.checkpoint == 129 }) { try gateway.publish(through: 129) }
        #expect(follower.checkpoint == 129)
        // Then the stale page arrives: the head was 98 when it was read.
        try gateway.answer(first, head: 98)
        try Self.drive(follower, until: { follower.heardHistory })
        #expect(follower.heardHistory)
        #expect(applied == Array(1...129))
        #expect(errors.all.isEmpty)
        #expect(follower.knownHead == 129, "a stale page does not make the head look lower than what is applied")

        // Asked now, with 129 applied, a log whose head is 50 did lose records: that is said.
        try follower.askHistory()
        let fresh = try #require(try gateway.nextRequest(from: follower))
        try gateway.answer(fresh, head: 50)
        try Self.drive(follower, until: { !errors.all.isEmpty })
        #expect(errors.all.count == 1)
        #expect(errors.all.first?.contains("the event log is behind") == true)
    }
}
