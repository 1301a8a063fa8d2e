import Foundation
import Messaging
import Testing
import TestSupport
import ZeroMQ

/// Queries that wait for a position cannot crowd out other clients' read-your-writes waits.
@Suite(.serialized)
struct QueryWaitLimitsTests {
    /// One connection to the projector's queries socket that sends many queries and collects the replies.
    final class QueryConnection {
        let context: ZMQContext
        let socket: ZMQSocket

        init(_ endpoint: String, curve: CurvePin) throws {
            context = try ZMQContext()
            socket = try context.socket(.dealer)
            try socket.pin(curve)
            try socket.connect(endpoint)
        }

        func send(_ body: [String: Any], times: Int = 1) throws {
            let frame = Array(try JSONSerialization.data(withJSONObject: body))
            for _ in 0..<times { try socket.send([[], frame]) }
        }

        /// The replies that come within `timeoutMs`, up to `count`.
        func replies(_ count: Int, timeoutMs: Int) throws -> [[String: Any]] {
            var replies: [[String: Any]] = []
            let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
            while replies.count < count, Date() < deadline {
                guard try ZMQPoll.readable([socket], timeoutMs: max(1, Int(deadline.timeIntervalSinceNow * 1000)))[0] else { break }
                while replies.count < count, let frames = try socket.receive(dontWait: true), let body = frames.last {
                    replies.append(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:])
                }
            }
            return replies
        }

        deinit {
            socket.close()
            context.terminate()
        }
    }

    static func code(_ reply: [String: Any]) -> String? { (reply["error"] as? [String: Any])?["code"] as? String }

    @Test("a minPosition beyond the log's head is refused at once, and a real read-your-writes wait still succeeds")
    func minPositionBeyondTheHeadIsRefusedAtOnce() throws {
        let system = try TestSystem()
        try system.start()
        let hog = try QueryConnection(system.endpoints.queries, curve: try system.pin(.projector))
        let started = Date()
        try hog.send(["type": "outstanding", "minPosition": 1_000_000_000_000_000, "waitMs": 30_000], times: 1000)

        let open = try system.send("session.open", ["unit": "Xã Bình Thành", "title": "T", "chair": "C"])
        let position = try #require((open["position"] as? NSNumber)?.int64Value)
        let mine = try system.request(system.endpoints.queries, ["type": "sessions", "minPosition": position, "waitMs": 5000])
        #expect(mine?["ok"] as? Bool == true)

        let refused = try hog.replies(1000, timeoutMs: 10_000)
        #expect(refused.count == 1000)
        // Each is refused as beyond the head, but for one that may have given its slot to the other client's wait (while all 1000 waited).
        let codes = Dictionary(grouping: refused.map { Self.code($0) ?? "ok" }, by: { $0 }).mapValues(\.count)
        #expect(codes["invalid_value", default: 0] >= 999 && codes["invalid_value", default: 0] + codes["not_applied", default: 0] == 1000, "\(codes)")
        let message = refused.lazy.compactMap { ($0["error"] as? [String: Any])?["message"] as? String }.first { $0.contains("beyond") } ?? ""
        #expect(message.contains("minPosition") && message.contains("beyond the log's head"))
        #expect(Date().timeIntervalSince(started) < 8, "refused at once, not after waitMs")
    }

    @Test("when one connection holds every waiting slot, another client's wait takes one of its slots instead of failing at once")
    func waitingSlotsAreSharedBetweenConnections() throws {
        let system = try TestSystem()
        // The projector alone: the gateway is down, so the head cannot be asked and every wait runs to its end.
        try system.startProjector()
        let hog = try QueryConnection(system.endpoints.queries, curve: try system.pin(as: system.service("petition-escalator"), .projector))
        try hog.send(["type": "outstanding", "minPosition": 5, "waitMs": 30_000], times: 1000)
        // Until the hog's queries have all arrived, a status round trip behind them tells when they are parked.
        let probe = try QueryConnection(system.endpoints.queries, curve: try system.pin(as: system.service("petition-escalator"), .projector))
        try hog.send(["type": "status"])
        #expect(try hog.replies(1, timeoutMs: 5000).first?["process"] as? String == "petition-projector")

        let started = Date()
        try probe.send(["type": "outstanding", "minPosition": 5, "waitMs": 700])
        let mine = try #require(try probe.replies(1, timeoutMs: 5000).first)
        let waited = Date().timeIntervalSince(started)
        #expect(Self.code(mine) == "not_applied")
        #expect(waited >= 0.6, "the query waited its own waitMs (\(waited) s), not 0 ms")
        // The hog gave up exactly one slot, and was told so at once.
        let evicted = try hog.replies(2, timeoutMs: 300)
        #expect(evicted.count == 1)
        #expect(evicted.allSatisfy { Self.code($0) == "not_applied" })
    }
}
