import Foundation
import Testing
import TestSupport

/// Every process serves its own metrics with `--metrics-port`: what Prometheus scrapes from each host.
@Suite(.serialized)
struct ProcessMetricsTests {
    /// The value of the first sample of metric `name` with (at least) `labels`, in Prometheus text.
    static func value(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        text.split(separator: "\n").first { line in
            guard line.hasPrefix(name + " ") || line.hasPrefix(name + "{") else { return false }
            return labels.allSatisfy { line.contains("\($0.key)=\"\($0.value)\"") }
        }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func eachProcessServesItsOwnMetricsTheGatewayCountsCommandsAndCommitsTheProjectorItsPositionAndLag() throws {
        let system = try TestSystem()
        let port = FreePorts.base(count: 4)
        system.gatewayArguments = ["--metrics-port", String(port)]
        system.projectorArguments = ["--metrics-port", String(port + 1)]
        try system.start()
        try system.startWorker("petition-escalator", ["--metrics-port", String(port + 2)])
        try system.startWorker("petition-notifier", ["--metrics-port", String(port + 3)])
        let session = try #require(try system.send("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại", "chair": "Bùi Văn K"])["id"] as? String)
        var head: Int64 = 0
        for i in 0..<5 {
            let reply = try system.send("petition.submit", ["sessionId": session, "kind": "report", "category": "culture",
                                                            "content": "Ý kiến \(i)", "citizen": ["name": "Người \(i)"]])
            head = (reply["position"] as? NSNumber)?.int64Value ?? head
        }
        _ = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": head, "waitMs": 10_000], timeoutMs: 15_000)

        let gateway = try HTTPClient(base: "http://127.0.0.1:\(port)").get("/metrics")
        #expect(gateway.status == 200 && gateway.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(Self.value(gateway.text, "petition_commands_total", ["command": "petition.submit", "outcome": "ok"]) == 5, "\(gateway.text)")
        #expect(Self.value(gateway.text, "petition_log_head") == Double(head))
        #expect((Self.value(gateway.text, "petition_commit_seconds_count") ?? 0) >= 6, "every commit's latency is recorded")
        #expect((Self.value(gateway.text, "petition_commit_batch_commands_count") ?? 0) >= 6)

        var projector = ""
        #expect(try waitUntil(timeout: 10) {
            projector = try HTTPClient(base: "http://127.0.0.1:\(port + 1)").get("/metrics").text
            return Self.value(projector, "petition_projector_position") == Double(head)
        }, "\(projector)")
        #expect(Self.value(projector, "petition_projector_lag") == 0)

        var escalator = ""
        #expect(try waitUntil(timeout: 10) {
            escalator = try HTTPClient(base: "http://127.0.0.1:\(port + 2)").get("/metrics").text
            return Self.value(escalator, "petition_escalations_watched") != nil
        }, "the escalator reports what it watches: \(escalator)")
        #expect(Self.value(escalator, "petition_escalations_in_flight") == 0)

        let notifier = try HTTPClient(base: "http://127.0.0.1:\(port + 3)").get("/health/live")
        #expect(notifier.status == 200 && notifier.json["status"] as? String == "live")
        #expect(try HTTPClient(base: "http://127.0.0.1:\(port + 3)").get("/metrics").status == 200)
    }
}
