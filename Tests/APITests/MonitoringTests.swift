import Foundation
import Testing
import TestSupport

/// What an operator watches: petition-api's /metrics carries what the example alert rules (deploy/prometheus) ask for.
@Suite("monitoring: /metrics and the example alert rules", .serialized)
struct MonitoringTests {
    static let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/prometheus/alerts.yml")

    @Test func metricsShowTheLogHeadTheProjectorsPositionTheBacklogAndAlertsAndEveryRuleAsksOnlyForThese() throws {
        let w = try APIBasicsTests.world()
        _ = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)).json["id"] as? String)
        let outstanding = try #require(try w.clerk.get("/api/v1/outstanding").json["total"] as? Int)
        let text = try HTTPClient(base: w.system.apiBase).get("/metrics").text
        func value(_ name: String) -> Int64? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int64($0.split(separator: " ").last ?? "") }
        }
        let head = try #require(value("petition_log_head"), "\(text.suffix(1500))")
        let position = try #require(value("petition_projector_position"))
        #expect(head > 0 && position <= head, "head \(head), projector \(position)")
        #expect(value("petition_outstanding") == Int64(outstanding) && value("petition_outstanding_overdue") == 0, "\(text.suffix(800))")
        #expect(value("petition_alerts{state=\"pending\"}") == 0 && value("petition_alerts{state=\"failed\"}") == 0, "\(text.suffix(800))")

        // The rules parse, each is complete, and every metric they name is one /metrics serves.
        let check = try ReportsTests.python("""
            import json, re, yaml
            doc = yaml.safe_load(open(\(String(reflecting: Self.rules.path))))
            rules = [r for g in doc["groups"] for r in g["rules"]]
            names = sorted({m for r in rules for m in re.findall(r"petition_[a-z_]+", r["expr"])})
            complete = all(r.get("alert") and r.get("expr") and r["labels"].get("severity") and r["annotations"].get("summary") for r in rules)
            print(json.dumps({"count": len(rules), "names": names, "complete": complete}))
            """, in: w.system.dataDirectory)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any], "\(check.stdout) \(check.stderr)")
        #expect(parsed["complete"] as? Bool == true && (parsed["count"] as? Int ?? 0) >= 5, "\(parsed)")
        for name in parsed["names"] as? [String] ?? [] {
            #expect(text.contains("\n# TYPE \(name) "), "a rule asks for \(name), which /metrics does not serve")
        }
    }
}
