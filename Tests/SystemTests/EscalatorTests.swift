import Foundation
import PetitionDomain
import Testing
import TestSupport

/// The escalator as a real process: time moved by the test, killed and restarted, run twice at once.
@Suite("petition-escalator on loopback", .serialized)
struct EscalatorTests {
    /// Escalations in the log, as "petition level deadline" lines.
    static func escalations(_ system: TestSystem) throws -> [String] {
        try system.events("petition.escalated.v2").map { e in
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

    static func setUp(_ system: TestSystem, deadlines: [String], kinds: [String] = []) throws -> [String] {
        let session = try system.send("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại", "chair": "Nguyễn Văn Chủ"],
                                      occurredAt: "2026-02-02T08:00:00+07:00")["id"] as! String
        var ids: [String] = []
        for (i, deadline) in deadlines.enumerated() {
            let p = try system.send("petition.submit", ["sessionId": session, "kind": i < kinds.count ? kinds[i] : "recommendation", "category": "irrigation",
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
        let recipients = try system.events("petition.escalated.v2").map { ($0["data"] as! [String: Any])["recipient"] as! String }
        #expect(recipients.contains("Chủ tịch UBND Xã Vũ Hội"))
        #expect(recipients.contains("cấp trên của Xã Vũ Hội"))
        #expect(try system.events("petition.escalated.v2").allSatisfy { ($0["actor"] as? String) == "system/petition-escalator" })
    }

    @Test("across Tết Bính Ngọ 2026: deadlines by the policy skip the holiday, and the ladder follows them")
    func timeMovedAcrossTet() throws {
        let system = try TestSystem()
        try system.start()
        try system.setClock("2026-01-19T08:00:00+07:00")
        let session = try system.send("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại đầu năm", "chair": "Nguyễn Văn Chủ"],
                                      occurredAt: "2026-01-19T08:00:00+07:00")["id"] as! String
        func referByPolicy(kind: String, on day: String) throws -> (id: String, deadline: String?) {
            let p = try system.send("petition.submit", ["sessionId": session, "kind": kind, "category": "land",
                                                        "content": "Tranh chấp ranh giới đất (\(kind))", "citizen": ["name": "Công dân"]],
                                    occurredAt: "\(day)T08:30:00+07:00")["id"] as! String
            let reply = try system.send("petition.refer", ["petitionId": p, "department": "Phòng Tài nguyên và Môi trường", "assignee": "Lê Văn C",
                                                           "by": "Nguyễn Văn Chủ"], occurredAt: "\(day)T09:00:00+07:00")
            return (p, reply["deadline"] as? String)
        }
        // A complaint on Monday 19/01: 30 calendar days end on Monday 16/02, the 29th of the last lunar month, inside the
        // Tết break (14–22/02), so the deadline moves to the first working day after it.
        let complaint = try referByPolicy(kind: "complaint", on: "2026-01-19")
        #expect(complaint.deadline == "2026-02-23")
        // A recommendation on Friday 06/02: 15 working days. Without Tết they would end on Friday 27/02; the five
        // weekdays of Tết do not count, so they end a week later.
        let recommendation = try referByPolicy(kind: "recommendation", on: "2026-02-06")
        #expect(recommendation.deadline == "2026-03-06")

        try system.startWorker("petition-escalator", system.clockArguments)
        // The Friday before Tết: nothing is due yet.
        try system.setClock("2026-02-13T17:00:00+07:00")
        Thread.sleep(forTimeInterval: 1)
        #expect(try Self.escalations(system).isEmpty)
        // Mùng 5 Tết: the complaint's holder is warned (three days before 23/02).
        try system.setClock("2026-02-21T09:00:00+07:00")
        let warned = ["\(complaint.id) warning 2026-02-23"]
        #expect(Set(try Self.waitFor(system, warned)) == Set(warned))
        // Tuesday 24/02, the day after the complaint's deadline: the chair hears it is overdue. Had the
        // recommendation's deadline been counted without Tết (27/02), its warning would be due now; it is not.
        try system.setClock("2026-02-24T08:00:00+07:00")
        let overdue = warned + ["\(complaint.id) overdue 2026-02-23"]
        _ = try Self.waitFor(system, overdue)
        Thread.sleep(forTimeInterval: 1)
        #expect(try Self.escalations(system).sorted() == overdue.sorted())
        let listed = try #require(try system.request(system.endpoints.queries, ["type": "outstanding", "overdue": true,
                                                                                 "now": "2026-02-24T08:00:00+07:00"]))
        #expect((listed["items"] as? [[String: Any]])?.compactMap { $0["petitionId"] as? String } == [complaint.id], "\(listed)")
        // Saturday 07/03, after the recommendation's deadline: its warning and overdue alert; the complaint, five days
        // of grace past its deadline, goes to the level above.
        try system.setClock("2026-03-07T08:00:00+07:00")
        let all = overdue + ["\(recommendation.id) warning 2026-03-06", "\(recommendation.id) overdue 2026-03-06",
                             "\(complaint.id) escalated 2026-02-23"]
        _ = try Self.waitFor(system, all)
        Thread.sleep(forTimeInterval: 1)
        #expect(try Self.escalations(system).sorted() == all.sorted())
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
