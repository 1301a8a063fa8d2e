import Foundation
import PetitionDomain
import Testing
import TestSupport

/// The citizens' view: a petition followed by the tracking code on its receipt, with no login.
@Suite("petition-api: tracking codes for citizens", .serialized)
struct TrackingCodeTests {
    nonisolated(unsafe) static let citizen: [String: Any] = ["name": "Nguyễn Thị Bình", "address": "Số 12 ấp Mỹ Lợi", "phone": "0901234567"]

    @Test func theReceiptsTrackingCodeShowsWhereThePetitionStandsAndNeverWhoTheCitizenIs() throws {
        let w = try APIBasicsTests.world()
        var body = APIBasicsTests.submission(w.session, content: "Ông Lê Văn Tám lấn chiếm lối đi chung")
        body["citizen"] = Self.citizen
        let submitted = try w.clerk.post("/api/v1/petitions", body)
        #expect(submitted.status == 201, "\(submitted.text)")
        let id = try #require(submitted.json["id"] as? String)
        let code = try #require(submitted.json["trackingCode"] as? String, "the submission's reply carries the receipt's code: \(submitted.text)")
        #expect(code.range(of: "^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", options: .regularExpression) != nil, "\(code)")
        #expect(!code.contains(id.dropFirst()), "the code is not the sequential id")
        // Officials see it on the petition, to read it out again.
        let petition = try w.clerk.get("/api/v1/petitions/\(id)")
        #expect((petition.json["petition"] as? [String: Any])?["trackingCode"] as? String == code, "\(petition.text.prefix(400))")

        let chair = try w.system.login(try w.system.official(.chair))
        let department = try w.system.department("Phòng Kinh tế")
        try w.system.person("Lê Văn C")
        let referred = try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15,
                                                                     "occurredAt": "2026-03-19T10:00:00+07:00"])
        #expect(referred.status == 200, "\(referred.text)")

        // No login: as typed by a citizen, in lower case with spaces.
        let anyone = HTTPClient(base: w.system.apiBase)
        let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
        let tracked = try anyone.get("/api/v1/track/\(typed.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)")
        #expect(tracked.status == 200, "\(tracked.text)")
        #expect(tracked.json["trackingCode"] as? String == code)
        #expect(tracked.json["status"] as? String == "referred")
        #expect(tracked.json["statusText"] as? String == "Đã chuyển cơ quan chuyên môn giải quyết")
        #expect(tracked.json["department"] as? String == "Phòng Kinh tế", "who holds it: the department")
        #expect(tracked.json["deadline"] as? String == "2026-04-03" && tracked.json["deadlineText"] as? String == "03/04/2026", "\(tracked.text)")
        #expect(tracked.json["submittedOn"] as? String == "19/03/2026")
        #expect(tracked.header("Cache-Control") == "no-store")
        // The bytes hold no personal data: not the citizen, not the officials, not the petition's text (which names someone).
        for secret in ["Nguyễn Thị Bình", "Mỹ Lợi", "0901234567", "Lê Văn C", "Trần Văn A", "Lê Văn Tám", "personId", id] {
            #expect(!tracked.text.contains(secret), "the tracking view shows \(secret): \(tracked.text)")
        }

        let unknown = try anyone.get("/api/v1/track/ZZZZ-ZZZZ-ZZZZ")
        #expect(unknown.status == 404 && unknown.json["code"] as? String == "not_found", "\(unknown.text)")
        let malformed = try anyone.get("/api/v1/track/\(id)")
        #expect(malformed.status == 400 && (malformed.json["detail"] as? String)?.contains("12 letters and digits") == true, "\(malformed.text)")
    }

    @Test func guessingTrackingCodesIsSlowedDownPerAddress() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let anyone = HTTPClient(base: system.apiBase)
        var statuses: [Int] = []
        for i in 0..<25 {
            statuses.append(try anyone.get("/api/v1/track/AAAA-AAAA-\(String(format: "%04d", i))").status)
        }
        #expect(statuses.prefix(20).allSatisfy { $0 == 404 }, "\(statuses)")
        let limited = try anyone.get("/api/v1/track/AAAA-AAAA-9999")
        #expect(limited.status == 429 && limited.header("Retry-After") != nil, "\(limited.status) \(limited.text)")
        #expect(statuses.contains(429))
    }
}
