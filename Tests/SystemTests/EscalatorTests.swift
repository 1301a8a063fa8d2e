import Foundation
import PetitionDomain
import Testing
import TestSupport

/// The escalator as a real process: time moved by the test, killed and restarted, run twice at once.
@Suite("petition-escalator on loopback", .serialized)
struct EscalatorTests {
    /// Escalations in the log, as "petition level deadline" lines.
    static func escalations(_ system: TestSystem) throws -> [String] {
        try system.events("petition.escalated.v1").map { e in
            let d = e["data"] as! [String: Any]
            return "\(d["petitionId"]!) \(d["level"]!) \(d["deadline"]!)"
        }
    }

    static func waitFor(_ system: TestSystem, _ expected: [String], timeout: TimeInterval = 20) throws -> [String] {
        var seen: [String] = []
        _ = try waitUntil(timeout: timeout) {
            seen = try escalations(system)
            return Set(seen).isSuperset(of: expected)
        }
        return seen
    }

    static func setUp(_ system: TestSystem, deadlines: [String]) throws -> [String] {
        let session = try system.send("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại", "chair": "Nguyễn Văn Chủ"],
                                      occurredAt: "2026-02-02T08:00:00+07:00")["id"] as! String
        var ids: [String] = []
        for (i, deadline) in deadlines.enumerated() {
            let p = try system.send("petition.submit", ["sessionId": session, "kind": "recommendation", "category": "irrigation",
                                                        "content": "Kênh mương bị bồi lấp \(i)", "citizen": ["name": "Công dân \(i)"]],
                                    occurredAt: "2026-02-02T08:10:00+07:00")["id"] as! String
            try system.send("petition.refer", ["petitionId": p, "department": "Phòng Nông nghiệp", "assignee": "Lê Văn C", "by": "Nguyễn Văn Chủ",
                                               "deadline": deadline], occurredAt: "2026-02-02T09:00:00+07:00")
            ids.append(p)
        }
        return ids
    }

    @Test("killed and restarted, and run twice at once: every rung lands once, none missed while down, closed petitions are not escalated")
    func exactlyOnceAcrossRestarts() throws {
        let system = try TestSystem()
        try system.startGateway()
        try system.setClock("2026-02-01T08:00:00+07:00")
        let ids = try Self.setUp(system, deadlines: ["2026-02-27", "2026-02-27", "2026-03-31"])
        let escalator = try system.startWorker("petition-escalator", system.clockArguments)

        // Three days before the deadline: the holders of P1 and P2 are warned.
        try system.setClock("2026-02-24T00:00:00+07:00")
        let warned = ["\(ids[0]) warning 2026-02-27", "\(ids[1]) warning 2026-02-27"]
        #expect(Set(try Self.waitFor(system, warned)) == Set(warned))

        // Down while the deadline passes; P2 is resolved meanwhile.
        escalator.kill9()
        try system.send("petition.resolve", ["petitionId": ids[1], "by": "Lê Văn C", "resolution": "Đã nạo vét"],
                        department: "Phòng Nông nghiệp", occurredAt: "2026-02-26T10:00:00+07:00")
        try system.setClock("2026-03-10T09:00:00+07:00")

        // Two escalators at once after the restart: each rung still lands once.
        try system.startWorker("petition-escalator", system.clockArguments)
        try system.startWorker("petition-escalator", system.clockArguments)
        let expected = warned + ["\(ids[0]) overdue 2026-02-27", "\(ids[0]) escalated 2026-02-27"]
        _ = try Self.waitFor(system, expected)
        Thread.sleep(forTimeInterval: 1) // Room for a duplicate to show, were there one.
        let seen = try Self.escalations(system)
        #expect(seen.sorted() == expected.sorted(), "exactly once each; nothing for the resolved P2 or the not-yet-due P3")

        // The chair of the unit gets the overdue alert; the level above gets the escalation.
        let recipients = try system.events("petition.escalated.v1").map { ($0["data"] as! [String: Any])["recipient"] as! String }
        #expect(recipients.contains("Chủ tịch UBND Xã Vũ Hội"))
        #expect(recipients.contains("cấp trên của Xã Vũ Hội"))
        #expect(try system.events("petition.escalated.v1").allSatisfy { ($0["actor"] as? String) == "system/petition-escalator" })
    }

    @Test("an extension cancels the rungs of the old deadline and schedules the new one")
    func extensionMovesTheLadder() throws {
        let system = try TestSystem()
        try system.startGateway()
        try system.setClock("2026-02-01T08:00:00+07:00")
        let ids = try Self.setUp(system, deadlines: ["2026-03-10"])
        try system.startWorker("petition-escalator", system.clockArguments)
        try system.send("petition.extend", ["petitionId": ids[0], "approver": "Nguyễn Văn Chủ", "decision": "Quyết định 5/QĐ-UBND",
                                            "deadline": "2026-03-25"], occurredAt: "2026-03-01T08:00:00+07:00")
        try system.setClock("2026-03-15T08:00:00+07:00")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try Self.escalations(system).isEmpty, "not overdue: the deadline was extended")
        try system.setClock("2026-03-26T08:00:00+07:00")
        let expected = ["\(ids[0]) warning 2026-03-25", "\(ids[0]) overdue 2026-03-25"]
        #expect(Set(try Self.waitFor(system, expected)) == Set(expected))
    }
}
