import Foundation
import Messaging
import Testing
import TestSupport
import ZeroMQ

/// kill -9 at any moment, then restart: nothing acknowledged is lost, nothing is applied twice.
@Suite(.serialized)
struct CrashRecoveryTests {
    /// Submits `count` petitions from a background thread, pipelined, retrying with the same command ids until each is acknowledged.
    final class Clerk: @unchecked Sendable {
        let endpoint: String
        let curve: CurvePin
        let session: String
        let ids: [String]
        private let lock = NSLock()
        private var acknowledged: [String: [String: Any]] = [:]
        private var replies = 0

        init(endpoint: String, curve: CurvePin, session: String, count: Int, prefix: String = "crash") {
            self.curve = curve
            self.endpoint = endpoint
            self.session = session
            ids = (0..<count).map { "\(prefix)-\($0)" }
        }

        var acknowledgedCount: Int { lock.lock(); defer { lock.unlock() }; return acknowledged.count }
        var acknowledgements: [String: [String: Any]] { lock.lock(); defer { lock.unlock() }; return acknowledged }

        func body(_ id: String) -> [UInt8] {
            let json: [String: Any] = ["type": "petition.submit", "commandId": id, "sessionId": session,
                                       "kind": "report", "category": "irrigation", "content": "Kênh mương bị bồi lấp \(id)",
                                       "citizen": ["name": "Công dân \(id)", "phone": "0912345678"]]
            return Array(try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        }

        /// Sends in small windows until every id has an acknowledgement or `deadline` passes.
        func run(until deadline: Date) throws {
            let context = try ZMQContext()
            defer { context.terminate() }
            while Date() < deadline {
                let missing = ids.filter { id in lock.withLock { acknowledged[id] == nil } }
                if missing.isEmpty { return }
                for chunk in stride(from: 0, to: missing.count, by: 20).map({ Array(missing[$0..<min($0 + 20, missing.count)]) }) {
                    let sender = PipelinedSender(context: context, endpoint: endpoint, curve: curve)
                    guard let results = try? sender.send(chunk.map { ($0, body($0)) }, window: 20, timeoutMs: 1000) else { break }
                    lock.withLock {
                        for (id, result) in results {
                            if let reply = try? JSONSerialization.jsonObject(with: Data(result.reply)) as? [String: Any], reply["ok"] as? Bool == true {
                                acknowledged[id] = reply
                            }
                        }
                    }
                }
            }
        }
    }

    /// Opens a session on `system` and starts a clerk submitting `count` petitions to it; `done` is signalled when it stops.
    private func startClerk(_ system: TestSystem, unit: String, count: Int) throws -> (Clerk, DispatchSemaphore) {
        let session = try #require(try system.request(system.endpoints.commands,
            TestSystem.command("session.open", ["unit": unit, "title": "Đối thoại", "chair": "Bùi Văn K"]))?["id"] as? String)
        let clerk = Clerk(endpoint: system.endpoints.commands, curve: try system.pin(), session: session, count: count)
        let done = DispatchSemaphore(value: 0)
        Thread { try? clerk.run(until: Date().addingTimeInterval(60)); done.signal() }.start()
        return (clerk, done)
    }

    @Test func killNineOfTheGatewayLosesNoAcknowledgedCommandAndAppliesNoneTwice() throws {
        let system = try TestSystem()
        try system.start()
        let (clerk, done) = try startClerk(system, unit: "Xã Vũ Hội", count: 600)

        // Crash the gateway twice while commands are flowing.
        for threshold in [100, 300] {
            #expect(waitUntil(timeout: 30) { clerk.acknowledgedCount >= threshold })
            system.gateway?.kill9()
            let ackedAtCrash = clerk.acknowledgements
            try system.startGateway()
            let history = try system.history()
            let committed = Set(history.compactMap { $0["commandid"] as? String })
            for id in ackedAtCrash.keys { #expect(committed.contains(id), "acknowledged \(id) lost by kill -9") }
        }
        done.wait()
        #expect(clerk.acknowledgedCount == 600)

        let history = try system.history()
        let submitted = history.filter { $0["type"] as? String == "petition.submitted.v3" }
        #expect(submitted.count == 600, "each command appended exactly once")
        #expect(Set(submitted.compactMap { $0["commandid"] as? String }).count == 600)
        let positions = history.compactMap { ($0["position"] as? NSNumber)?.int64Value }
        #expect(positions == Array(1...Int64(history.count)), "positions stay gapless")
        for (id, reply) in clerk.acknowledgements {
            let event = submitted.first { $0["commandid"] as? String == id }
            #expect((event?["position"] as? NSNumber)?.int64Value == (reply["position"] as? NSNumber)?.int64Value, "reply position is the committed one")
        }

        // The projector converges on exactly the log.
        let head = Int64(history.count)
        let view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": head, "waitMs": 20_000], timeoutMs: 25_000)
        #expect(view?["count"] as? Int == 600)
    }

    @Test func killNineOfTheProjectorThenRestartConvergesWithoutDoubleApplying() throws {
        let system = try TestSystem()
        try system.start()
        let (clerk, done) = try startClerk(system, unit: "Xã Song An", count: 400)
        #expect(waitUntil(timeout: 30) { clerk.acknowledgedCount >= 150 })
        system.projector?.kill9()
        done.wait()
        // The projector was down for the rest: it catches up from history on start.
        try system.startProjector()
        let head = Int64(try system.history().count)
        let view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": head, "waitMs": 20_000], timeoutMs: 25_000)
        #expect(view?["count"] as? Int == 400)
        #expect((view?["position"] as? NSNumber)?.int64Value == head)
        let status = try system.request(system.endpoints.queries, ["type": "status"])
        #expect((status?["position"] as? NSNumber)?.int64Value == head)
    }

    @Test func aProjectorStartedLateCatchesUpFromHistoryAndFollowsTheFeed() throws {
        let system = try TestSystem()
        try system.startGateway()
        let open = try system.request(system.endpoints.commands, TestSystem.command("session.open", ["unit": "Phường 4", "title": "Đối thoại", "chair": "C"]))
        let session = try #require(open?["id"] as? String)
        for i in 0..<30 {
            _ = try system.request(system.endpoints.commands, TestSystem.command("petition.submit", [
                "sessionId": session, "kind": "report", "category": "culture", "content": "Ý kiến \(i)", "citizen": ["name": "Người \(i)"]]))
        }
        try system.startProjector()
        var view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": 31, "waitMs": 10_000], timeoutMs: 15_000)
        // On failure the reply says how far the projector got (not_applied names its position), or that none came.
        #expect(view?["count"] as? Int == 30, "\(view.map { "\($0)" } ?? "no reply within 15 s")")
        let more = try system.request(system.endpoints.commands, TestSystem.command("petition.submit", [
            "sessionId": session, "kind": "report", "category": "culture", "content": "Ý kiến cuối", "citizen": ["name": "Người cuối"]]))
        let position = try #require((more?["position"] as? NSNumber)?.int64Value)
        view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": position, "waitMs": 10_000], timeoutMs: 15_000)
        #expect(view?["count"] as? Int == 31, "\(view.map { "\($0)" } ?? "no reply within 15 s")")
    }
}
