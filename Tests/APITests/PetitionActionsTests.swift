import Foundation
import Testing
import TestSupport

/// Every petition action over HTTP that the follow-up of a referral needs beyond refer, accept and resolve: extend,
/// reassign, notes, withdraw, answer then reopen, merge; each recorded as the official logged in, each refused to
/// a role that may not, and one that makes no sense now refused with 409.
@Suite("petition-api: every petition action over HTTP", .serialized)
struct PetitionActionsTests {
    @Test func extendReassignNoteWithdrawReopenAndMergeAreRecordedAsTheOfficialsWhoActed() throws {
        let w = try APIBasicsTests.world()
        func submit(_ content: String) throws -> String {
            var body = APIBasicsTests.submission(w.session, content: content)
            body["kind"] = "recommendation"
            let reply = try w.clerk.post("/api/v1/petitions", body)
            return try #require(reply.json["id"] as? String, "\(reply.text)")
        }
        let referredOne = try submit("Đề nghị nâng cấp trạm y tế xã"), withdrawn = try submit("Đề nghị lắp đèn đường"),
            answered = try submit("Hỏi về chế độ hộ nghèo"), duplicate = try submit("Đề nghị nâng cấp trạm y tế")
        let chair = try w.system.login(try w.system.official(.chair))
        let chairId = try #require(chair.get("/api/v1/me").json["officialId"] as? String)
        let economy = try w.system.department("Phòng Kinh tế"), finance = try w.system.department("Phòng Tài chính")
        try w.system.person("Lê Văn C")
        try w.system.person("Phạm Văn D")

        let referred = try chair.post("/api/v1/petitions/\(referredOne)/refer", ["department": economy, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15,
                                                                              "occurredAt": "2026-03-19T10:00:00+07:00"])
        #expect(referred.status == 200, "\(referred.text)")
        let extended = try chair.post("/api/v1/petitions/\(referredOne)/extend", ["approver": "Trần Văn A", "decision": "Quyết định gia hạn số 12/QĐ-UBND",
                                                                               "occurredAt": "2026-03-20T09:00:00+07:00"])
        #expect(extended.status == 200 && extended.json["deadline"] as? String != nil, "\(extended.text)")
        let reassigned = try chair.post("/api/v1/petitions/\(referredOne)/reassign", ["department": finance, "assignee": "Phạm Văn D",
                                                                                   "reason": "Thuộc thẩm quyền Phòng Tài chính"])
        #expect(reassigned.status == 200, "\(reassigned.text)")
        #expect(try w.clerk.post("/api/v1/petitions/\(referredOne)/notes", ["text": "Công dân gọi điện hỏi tiến độ"]).status == 200)
        let view = try chair.get("/api/v1/petitions/\(referredOne)").json["petition"] as? [String: Any]
        #expect(view?["department"] as? String == "Phòng Tài chính" && view?["extensions"] as? Int == 1, "\(view ?? [:])")

        #expect(try w.clerk.post("/api/v1/petitions/\(withdrawn)/withdraw", ["reason": "Công dân rút đơn"]).status == 200)
        let twice = try w.clerk.post("/api/v1/petitions/\(withdrawn)/withdraw", ["reason": "Lần nữa"])
        #expect(twice.status == 409 && twice.json["code"] as? String == "invalid_transition", "\(twice.text)")

        #expect(try chair.post("/api/v1/petitions/\(answered)/answer", ["by": "Trần Văn A", "answer": "Xã sẽ rà soát trong tháng 4"]).status == 200)
        let reopened = try chair.post("/api/v1/petitions/\(answered)/reopen", ["reason": "Công dân chưa đồng ý với câu trả lời"])
        #expect(reopened.status == 200, "\(reopened.text)")

        let merged = try chair.post("/api/v1/petitions/\(duplicate)/merge", ["into": referredOne, "reason": "Cùng nội dung"])
        #expect(merged.status == 200, "\(merged.text)")
        #expect((try chair.get("/api/v1/petitions/\(duplicate)").json["petition"] as? [String: Any])?["status"] as? String == "merged")

        // Recorded as who acted; and a clerk may not refer, nor a chair record a note for the clerk's minutes of another unit.
        let actors = try w.system.history().filter { ($0["subject"] as? String) == "petition-\(referredOne)" }.compactMap { $0["actor"] as? String }
        #expect(actors.contains("chair/\(chairId)") && actors.contains("clerk/\(w.clerkId)"), "\(actors)")
        let clerkRefers = try w.clerk.post("/api/v1/petitions/\(answered)/refer", ["department": economy, "assignee": "Lê Văn C", "by": "Trần Văn A"])
        #expect(clerkRefers.status == 403 && clerkRefers.json["code"] as? String == "not_permitted", "\(clerkRefers.text)")
    }
}
