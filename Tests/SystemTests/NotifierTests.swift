import Foundation
import PetitionDomain
import Testing
import TestSupport

/// The notifier as a real process, delivering to a real HTTP server and a real SMTP server on loopback.
@Suite("petition-notifier on loopback", .serialized)
struct NotifierTests {
    /// `alert.delivered.v1` records in the log, as "alertId sink" lines.
    static func deliveries(_ system: TestSystem) throws -> [String] {
        try system.events("alert.delivered.v1").map { e in
            let d = e["data"] as! [String: Any]
            return "\(d["alertId"]!) \(d["sink"]!)"
        }
    }

    @Test("a webhook that fails for a while, a notifier killed and restarted: every alert reaches every sink, each delivery recorded once")
    func deliveredOnceDespiteFailuresAndRestart() throws {
        let http = try LoopbackHTTPServer(behaviour: .failFirst(3))
        defer { http.stop() }
        let smtp = try LoopbackSMTPServer()
        defer { smtp.stop() }
        let system = try TestSystem()
        try system.startGateway()
        try system.setClock("2026-02-01T08:00:00+07:00")
        let ids = try EscalatorTests.setUp(system, deadlines: ["2026-02-27", "2026-03-31"], kinds: ["recommendation", "denunciation"])
        try system.startWorker("petition-escalator", system.clockArguments)
        let notifierArguments = ["--webhook", http.url(), "--smtp", "\(smtp.host):\(smtp.port)", "--email-to", "chu.tich@vuhoi.gov.vn",
                                 "--retry-initial-ms", "100"]
        let notifier = try system.startWorker("petition-notifier", notifierArguments)

        // The first warning: the webhook answers 503 three times before it takes it.
        try system.setClock("2026-02-24T00:00:00+07:00")
        #expect(try waitUntil(timeout: 20) { try system.alertId(ids[0], "warning") != nil })
        let first = try #require(try system.alertId(ids[0], "warning"))
        #expect(!first.contains("2026-02-27"), "an alert's id is drawn at random, not made of its deadline")
        #expect(try waitUntil(timeout: 20) { Set(try Self.deliveries(system)).isSuperset(of: ["\(first) webhook", "\(first) email", "\(first) file"]) })
        #expect(http.requests.count == 4, "three refusals, then delivered")
        #expect(try system.events("alert.delivery-failed.v1").count == 3, "each failed attempt is recorded")

        // Killed; meanwhile the deadline passes and more alerts are raised.
        notifier.kill9()
        try system.setClock("2026-03-29T00:00:00+07:00")
        #expect(try waitUntil(timeout: 20) { try system.events("petition.escalated.v2").count == 4 })
        let later = try [(ids[0], "overdue"), (ids[0], "escalated"), (ids[1], "warning")].map { try #require(try system.alertId($0, $1)) }
        try system.startWorker("petition-notifier", notifierArguments)

        let all = [first] + later
        let expected = Set(all.flatMap { id in ["webhook", "email", "file"].map { "\(id) \($0)" } })
        #expect(try waitUntil(timeout: 20) { Set(try Self.deliveries(system)) == expected })
        Thread.sleep(forTimeInterval: 1) // Room for a resend to show, were there one.
        let recorded = try Self.deliveries(system)
        #expect(recorded.count == expected.count, "each delivery recorded exactly once")

        // The receivers saw every alert; what they took, they took once.
        let taken = http.requests.compactMap { $0.header("Idempotency-Key") }
        #expect(Set(taken) == Set(all))
        #expect(taken.count == all.count + 3, "only the refused attempts were repeated")
        let mails = smtp.messages
        #expect(Set(mails.compactMap { $0.header("Message-ID") }).count == all.count)
        #expect(mails.allSatisfy { $0.recipients == ["chu.tich@vuhoi.gov.vn"] })
        #expect(mails.contains { ($0.subject ?? "").contains("[Quá hạn] Kiến nghị \(ids[0])") })
        // A tố cáo is called a tố cáo (the notifier knows each petition's kind from its submission).
        #expect(mails.contains { ($0.subject ?? "").contains("[Sắp đến hạn] Tố cáo \(ids[1])") }, "\(mails.map { $0.subject ?? "" })")
        let body = try #require(http.requests.last?.bodyText)
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(alert["petitionId"] is String && alert["recipient"] is String && alert["deadline"] is String)
        let lines = try String(contentsOfFile: (system.dataDirectory as NSString).appendingPathComponent("alerts.log"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == all.count)
    }

    @Test("a receiver that refuses for good (HTTP 400) is recorded as a permanent failure and not retried; other sinks still deliver")
    func permanentFailureStopsRetries() throws {
        let http = try LoopbackHTTPServer(behaviour: .fail(status: 400))
        defer { http.stop() }
        let system = try TestSystem()
        try system.startGateway()
        try system.setClock("2026-02-01T08:00:00+07:00")
        let ids = try EscalatorTests.setUp(system, deadlines: ["2026-02-27"])
        try system.startWorker("petition-escalator", system.clockArguments)
        try system.startWorker("petition-notifier", ["--webhook", http.url(), "--retry-initial-ms", "50"])
        try system.setClock("2026-02-24T00:00:00+07:00")
        #expect(try waitUntil(timeout: 20) { try system.alertId(ids[0], "warning") != nil })
        let alertId = try #require(try system.alertId(ids[0], "warning"))
        #expect(try waitUntil(timeout: 20) { try Self.deliveries(system) == ["\(alertId) file"] })
        #expect(try waitUntil(timeout: 10) { try system.events("alert.delivery-failed.v1").count == 1 })
        Thread.sleep(forTimeInterval: 0.5)
        let failure = try #require(try system.events("alert.delivery-failed.v1").first?["data"] as? [String: Any])
        #expect(failure["permanent"] as? Bool == true)
        #expect(http.requests.count == 1, "a permanent refusal is not retried")
    }
}
