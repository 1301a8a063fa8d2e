import Foundation
import Testing
import TestSupport

/// A citizen's personal data over HTTP: by POST only (never in a URL), for a clerk or chair, every look in the log.
@Suite("petition-api: a citizen's personal data, for a clerk or chair, every look recorded", .serialized)
struct CitizenDataTests {
    @Test func aClerkFindsAPetitionByItsCitizenAndOpensTheirDataAndBothLooksAreInTheLog() throws {
        let w = try APIBasicsTests.world()
        let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)).json["id"] as? String)
        let before = try w.system.events("access.recorded.v1").count

        let found = try w.clerk.post("/api/v1/search/citizens", ["name": "nguyen thi b", "purpose": "Tra cứu đơn của công dân"])
        #expect(found.status == 200 && found.header("Cache-Control") == "no-store", "\(found.text)")
        #expect((found.json["items"] as? [[String: Any]])?.map { $0["petitionId"] as? String } == [id], "\(found.text)")
        let opened = try w.clerk.post("/api/v1/petitions/\(id)/citizen", ["purpose": "Liên hệ trả lời công dân"])
        #expect(opened.status == 200 && opened.header("Cache-Control") == "no-store", "\(opened.text)")
        let citizen = try #require(opened.json["citizen"] as? [String: Any], "\(opened.text)")
        #expect(citizen["name"] as? String == "Nguyễn Thị B" && citizen["phone"] as? String == "0901234567")
        let looks = try w.system.events("access.recorded.v1")
        #expect(looks.count == before + 2, "each look is recorded before the data is handed out: \(looks.count - before)")
        #expect(looks.suffix(2).allSatisfy { ($0["data"] as? [String: Any])?["officialId"] as? String == w.clerkId }, "\(looks.suffix(2))")

        // Nobody else: a supervisor gets 403; no purpose is 422; the API's own log never holds the name.
        let supervisor = try w.system.login(try w.system.official(.supervisor))
        #expect(try supervisor.post("/api/v1/petitions/\(id)/citizen", ["purpose": "Giám sát"]).status == 403)
        #expect(try supervisor.post("/api/v1/search/citizens", ["name": "nguyen thi b", "purpose": "Giám sát"]).status == 403)
        #expect(try w.clerk.post("/api/v1/petitions/\(id)/citizen", [:]).status == 422)
        let log = try String(contentsOfFile: try #require(w.system.api?.outputPath), encoding: .utf8)
        #expect(!log.contains("Nguyễn Thị B") && !log.contains("nguyen thi b") && !log.contains("0901234567"), "the API's log holds personal data")

        // Once the citizen is erased, their data is gone: 410.
        let chair = try w.system.login(try w.system.official(.chair, unit: w.commune))
        #expect(try chair.post("/api/v1/petitions/\(id)/forget-citizen", ["by": "Trần Văn A", "reason": "Đơn đề nghị xóa dữ liệu"]).status == 200)
        let gone = try w.clerk.post("/api/v1/petitions/\(id)/citizen", ["purpose": "Liên hệ lại"])
        #expect(gone.status == 410 && gone.json["code"] as? String == "erased", "\(gone.text)")
        #expect((try w.clerk.post("/api/v1/search/citizens", ["name": "nguyen thi b", "purpose": "Tra cứu lại"]).json["items"] as? [Any])?.isEmpty == true)
    }
}
