import Foundation
import Testing
import TestSupport

/// Referral, reassignment, escalation and resolution through the real gateway; responsibility, custody and alerts
/// read back through `petitionctl` from the real projector.
@Suite(.serialized)
struct ResponsibilityCLITests {
    static let land = "Phòng Tài nguyên và Môi trường"
    static let works = "Phòng Kinh tế - Hạ tầng"

    @Test func responsibilityCustodyAndAlertsFollowAReferralThroughAReassignmentToItsResolution() throws {
        let system = try TestSystem()
        try system.start()
        func send(_ type: String, _ fields: [String: Any], department: String? = nil) throws -> [String: Any] {
            let reply = try #require(try system.request(system.endpoints.commands, TestSystem.command(type, fields, department: department)))
            #expect(reply["ok"] as? Bool == true, "\(type): \(reply)")
            return reply
        }
        let session = try send("session.open", ["unit": "Xã Bình Thành", "title": "Đối thoại ấp Tây Huề", "chair": "Trần Văn A",
                                                "occurredAt": "2026-03-19T08:00:00+07:00"])
        let submit = try send("petition.submit", ["sessionId": session["id"] ?? "", "kind": "recommendation", "category": "land",
                                                  "content": "Cấp giấy chứng nhận quyền sử dụng đất chậm", "citizen": ["name": "Nguyễn Thị B"],
                                                  "occurredAt": "2026-03-19T09:00:00+07:00"])
        let petition = try #require(submit["id"] as? String)
        _ = try send("petition.refer", ["petitionId": petition, "department": Self.land, "assignee": "Lê Văn C", "by": "Trần Văn A",
                                        "deadline": "2026-04-18", "occurredAt": "2026-03-19T10:00:00+07:00"])
        _ = try send("petition.reassign", ["petitionId": petition, "department": Self.works, "assignee": "Phạm Văn D",
                                           "reason": "Thuộc thẩm quyền phòng Kinh tế - Hạ tầng", "occurredAt": "2026-03-25T10:00:00+07:00"])
        _ = try send("petition.escalate", ["petitionId": petition, "level": "warning", "deadline": "2026-04-18", "due": "2026-04-15",
                                           "recipient": "Phạm Văn D"])
        let alertId = try #require(try system.alertId(petition, "warning"))
        _ = try send("alert.record", ["alertId": alertId, "petitionId": petition, "sink": "webhook", "outcome": "delivered",
                                      "attempts": 2, "detail": "HTTP 204"])
        let resolve = try send("petition.resolve", ["petitionId": petition, "by": "Phạm Văn D", "resolution": "Đã cấp giấy chứng nhận",
                                                    "occurredAt": "2026-04-01T10:00:00+07:00"], department: Self.works)
        let position = try #require(resolve["position"] as? Int)

        let json = try system.ctl(["responsibility", "--json", "--min-position", "\(position)"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.json["position"] as? Int == position)
        let officials = json.json["officials"] as? [[String: Any]] ?? []
        #expect(officials.compactMap { $0["assignee"] as? String } == ["Phạm Văn D", "Lê Văn C"])
        let resolver = officials.first ?? [:]
        #expect(resolver["resolvedOnTime"] as? Int == 1 && resolver["resolvedLate"] as? Int == 0 && resolver["holding"] as? Int == 0)
        #expect(resolver["medianDaysToResolve"] as? Double == 7 && resolver["onTimeRate"] as? Double == 1)
        let first = officials.last ?? [:]
        #expect(first["handedOver"] as? Int == 1 && first["resolvedOnTime"] as? Int == 0)
        #expect(first["onTimeRate"] is NSNull, "nothing to judge for the one who handed it over")
        let departments = json.json["departments"] as? [[String: Any]] ?? []
        #expect(departments.compactMap { $0["department"] as? String } == [Self.works, Self.land])

        let text = try system.ctl(["responsibility", "--unit", "Xã Bình Thành"])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let table = lines.drop { $0 != "Cán bộ" }.dropFirst().prefix { !$0.isEmpty }
        #expect(table.count == 3, "a header and two officials: \(text.stdout)")
        #expect(Set(table.map(\.count)).count == 1, "columns pad by characters, so every line is as wide: \(text.stdout)")
        #expect(table.dropFirst().first?.contains("Phạm Văn D") == true)

        let show = try system.ctl(["show", petition, "--json"])
        #expect(show.status == 0, "\(show.stderr)")
        let custody = show.json["custody"] as? [[String: Any]] ?? []
        #expect(custody.compactMap { $0["holder"] as? String } == ["Trần Văn A", "Lê Văn C", "Phạm Văn D"])
        #expect(custody.compactMap { $0["ended"] as? String } == ["referred", "reassigned", "resolved"])
        #expect(custody.compactMap { $0["holderKind"] as? String } == ["chair", "department", "department"])
        #expect(custody.last?["onTime"] as? Bool == true)
        #expect(custody.last?["from"] as? String == "2026-03-25T03:00:00.000Z")
        let shown = try system.ctl(["show", petition])
        #expect(shown.stdout.contains("chuỗi người giữ:") && shown.stdout.contains("25/03/2026 10:00"), "\(shown.stdout)")

        let alerts = try system.ctl(["alerts", "--petition", petition, "--json"])
        #expect(alerts.status == 0, "\(alerts.stderr)")
        let item = (alerts.json["items"] as? [[String: Any]])?.first ?? [:]
        #expect(item["alertId"] as? String == alertId && item["state"] as? String == "delivered")
        let delivery = (item["deliveries"] as? [[String: Any]])?.first ?? [:]
        #expect(delivery["sink"] as? String == "webhook" && delivery["attempts"] as? Int == 2)
        let alertText = try system.ctl(["alerts", "--state", "delivered"])
        #expect(alertText.stdout.contains("webhook: đã gửi") && alertText.stdout.contains(alertId), "\(alertText.stdout)")
    }
}
