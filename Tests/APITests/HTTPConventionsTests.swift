import Foundation
import Testing
import TestSupport

/// What a portal developer integrating for the first time counts on from HTTP itself: the session a 201 names is
/// there, percent-encoded ids work, If-None-Match takes a list, a body too large is refused at once, the media
/// type is read exactly, and a parameter a read does not take is said so.
@Suite("petition-api: HTTP as a portal developer expects it", .serialized)
struct HTTPConventionsTests {
    @Test func theSessionTheLocationNamesIsThereWithItsCounts() throws {
        let w = try APIBasicsTests.world()
        let submitted = try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session))
        #expect(submitted.status == 201)
        let session = try w.clerk.get("/api/v1/sessions/\(w.session)")
        #expect(session.status == 200 && session.json["sessionId"] as? String == w.session && session.json["petitions"] as? Int == 1, "\(session.text)")
        #expect(session.json["unit"] as? String == w.commune && session.json["title"] as? String == "Đối thoại tháng 3")
        let unknown = try w.clerk.get("/api/v1/sessions/S999999")
        #expect(unknown.status == 404 && unknown.json["code"] as? String == "session_not_found", "\(unknown.text)")
        let elsewhere = try w.system.login(try w.system.official(.clerk, unit: "Xã Khác"))
        #expect(try elsewhere.get("/api/v1/sessions/\(w.session)").status == 404, "a session outside the caller's units is not shown")
    }

    @Test func percentEncodedIdsAndIfNoneMatchListsAreReadAsHTTPSaysAndTheMediaTypeExactly() throws {
        let w = try APIBasicsTests.world()
        let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)).json["id"] as? String)
        // P000001 with its digits percent-encoded is the same petition.
        let encoded = "P" + id.dropFirst().map { "%3\($0)" }.joined()
        #expect(try w.clerk.get("/api/v1/petitions/\(encoded)").json["petition"] as? [String: Any] != nil, "\(encoded)")
        // If-None-Match: a list, weak tags, *.
        for header in ["\"7\", \"1\"", "W/\"1\"", "*"] {
            #expect(try w.clerk.get("/api/v1/petitions/\(id)", headers: ["If-None-Match": header]).status == 304, "\(header)")
        }
        #expect(try w.clerk.get("/api/v1/petitions/\(id)", headers: ["If-None-Match": "\"2\""]).status == 200)

        // The media type itself, not a prefix of it; parameters and +json types are fine.
        let body = try JSONSerialization.data(withJSONObject: APIBasicsTests.submission(w.session))
        let lookalike = try w.clerk.send("POST", "/api/v1/petitions", body: body, headers: ["Content-Type": "application/jsonp"])
        #expect(lookalike.status == 415 && lookalike.header("Content-Type") == "application/problem+json", "\(lookalike.text)")
        #expect(try w.clerk.send("POST", "/api/v1/petitions", body: body, headers: ["Content-Type": "application/json; charset=utf-8"]).status == 201)

        // A login's session member is bearer, cookie or absent; a number is not quietly taken for bearer.
        let login = try w.clerk.post("/api/v1/login", ["login": "whoever", "password": "x", "session": 5])
        #expect(login.status == 422 && (login.json["detail"] as? String)?.contains("session") == true, "\(login.text)")
    }

    @Test func aBodyLargerThanACommandMayCarryIsRefusedAtOnceWith413() throws {
        let w = try APIBasicsTests.world()
        let content = String(repeating: "Đường liên ấp xuống cấp. ", count: 4000)   // about 110 KB
        let started = Date()
        let large = try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: content))
        #expect(large.status == 413 && large.json["code"] as? String == "too_large", "\(large.status) \(large.text)")
        #expect(Date().timeIntervalSince(started) < 5, "refused by the API at once, not after the gateway's timeout")
        // The API still serves.
        #expect(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)).status == 201)
    }

    @Test func theRegistryReadsRefuseAParameterTheyDoNotTake() throws {
        let w = try APIBasicsTests.world()
        for path in ["/api/v1/units?colour=red", "/api/v1/officials?unit=X", "/api/v1/departments?colour=red"] {
            let reply = try w.clerk.get(path)
            #expect(reply.status == 400 && (reply.json["detail"] as? String)?.contains("unknown query parameter") == true, "\(path): \(reply.text)")
        }
        #expect(try w.clerk.get("/api/v1/departments?unit=\(TestSystem.unit)").status == 200)
    }
}
