import Foundation
import Messaging
import PetitionDomain
import Testing
import TestSupport

/// petition-api driven over real HTTP: the real gateway, projector and API executables on loopback ports.
@Suite("petition-api: logins, commands on an official's behalf, refusals as problem+json", .serialized)
struct APIBasicsTests {
    /// A running system with the API, a commune with a session open, and a clerk logged in over HTTP.
    struct World {
        let system: TestSystem
        let clerk: HTTPClient
        let clerkId: String
        let session: String
        let commune = "Xã Thử API"
    }

    static func world(_ name: String = #function) throws -> World {
        let system = try TestSystem(name: name)
        try system.start()
        try system.startAPI()
        let commune = "Xã Thử API"
        try system.registerCommune(commune)
        try system.person("Trần Văn A")
        let clerk = try system.official(.clerk)
        let http = try system.login(clerk)
        let opened = try http.post("/api/v1/sessions", ["unit": commune, "title": "Đối thoại tháng 3", "chair": "Trần Văn A",
                                                        "occurredAt": "2026-03-19T08:00:00+07:00"])
        guard opened.status == 201, let session = opened.json["id"] as? String else { throw TestSystemError("session: \(opened.status) \(opened.text)") }
        return World(system: system, clerk: http, clerkId: clerk.id, session: session)
    }

    static func submission(_ session: String, content: String = "Đường liên ấp xuống cấp") -> [String: Any] {
        ["sessionId": session, "kind": "complaint", "category": "transport", "content": content,
         "citizen": ["name": "Nguyễn Thị B", "phone": "0901234567"], "occurredAt": "2026-03-19T09:00:00+07:00"]
    }

    @Test func withoutALoginEveryResourceIsRefusedWith401AsProblemJSON() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let http = HTTPClient(base: system.apiBase)
        for (method, path) in [("GET", "/api/v1/outstanding"), ("GET", "/api/v1/petitions/P000001"), ("POST", "/api/v1/petitions"), ("GET", "/api/v1/me")] {
            let reply = try http.send(method, path, json: method == "POST" ? [:] : nil)
            #expect(reply.status == 401, "\(method) \(path)")
            #expect(reply.header("Content-Type") == "application/problem+json")
            #expect(reply.json["code"] as? String == "unauthenticated" && reply.json["status"] as? Int == 401)
            #expect(reply.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        }
        let forged = try http.get("/api/v1/me", headers: ["Authorization": "Bearer not-a-token"])
        #expect(forged.status == 401 && (forged.json["detail"] as? String)?.contains("log in again") == true, "\(forged.text)")
        // Health needs no login.
        #expect(try http.get("/health/live").status == 200)
        let ready = try http.get("/health/ready")
        #expect(ready.status == 200 && ready.json["status"] as? String == "ready", "\(ready.text)")
    }

    @Test func aSubmissionThroughTheAPIIsRecordedAsTheClerksWithTheAPIInItsMetadata() throws {
        let w = try Self.world()
        let me = try w.clerk.get("/api/v1/me")
        #expect(me.status == 200 && me.json["officialId"] as? String == w.clerkId && me.json["roles"] as? [String] == ["clerk"], "\(me.text)")

        let submitted = try w.clerk.post("/api/v1/petitions", Self.submission(w.session), headers: ["Idempotency-Key": "receipt-0001"])
        #expect(submitted.status == 201, "\(submitted.text)")
        let id = try #require(submitted.json["id"] as? String)
        #expect(submitted.header("Location") == "/api/v1/petitions/\(id)")
        #expect(submitted.header("ETag") == "\"1\"")

        // The log: the clerk is the actor, and the command came through the API under the clerk's key.
        let event = try #require(try w.system.history().first { $0["subject"] as? String == "petition-\(id)" })
        #expect(event["actor"] as? String == "clerk/\(w.clerkId)", "\(event)")
        #expect(event["causationid"] as? String == "petition-api:api.\(w.clerkId).receipt-0001", "\(event)")

        // The same Idempotency-Key again: the first answer, nothing appended.
        let head = try w.system.history().count
        let again = try w.clerk.post("/api/v1/petitions", Self.submission(w.session), headers: ["Idempotency-Key": "receipt-0001"])
        #expect(again.status == 201 && again.json["id"] as? String == id && again.json["position"] as? Int == submitted.json["position"] as? Int)
        #expect(try w.system.history().count == head)
        // The same key with another body is a conflict, said so.
        let other = try w.clerk.post("/api/v1/petitions", Self.submission(w.session, content: "Khác"), headers: ["Idempotency-Key": "receipt-0001"])
        #expect(other.status == 422 && other.json["code"] as? String == "command_id_conflict", "\(other.text)")

        // Read back at once (the clerk reads their own write), with its version as the ETag; unchanged → 304.
        let read = try w.clerk.get("/api/v1/petitions/\(id)")
        #expect(read.status == 200, "\(read.text)")
        #expect((read.json["petition"] as? [String: Any])?["status"] as? String == "submitted", "\(read.text)")
        #expect(read.header("ETag") == "\"1\"" && read.json["version"] as? Int == 1)
        #expect(try w.clerk.get("/api/v1/petitions/\(id)", headers: ["If-None-Match": "\"1\""]).status == 304)
        let history = try w.clerk.get("/api/v1/petitions/\(id)/history")
        #expect(history.status == 200 && (history.json["events"] as? [[String: Any]])?.count == 1, "\(history.text)")
        let outstanding = try w.clerk.get("/api/v1/outstanding?unit=\(w.commune.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(outstanding.status == 200 && (outstanding.json["items"] as? [[String: Any]])?.contains { $0["petitionId"] as? String == id } == true, "\(outstanding.text.prefix(400))")
        // `unit` by its code, by its name without diacritics, or by a unit above it finds the same petition; another commune's finds nothing.
        let code = try #require(try w.system.registerCommune(w.commune))
        try w.system.registerCommune("Xã Bên Cạnh")
        for unit in [code, "xa%20thu%20api", TestSystem.unit] {
            let found = try w.clerk.get("/api/v1/outstanding?unit=\(unit)").json["items"] as? [[String: Any]]
            #expect(found?.map { $0["petitionId"] as? String } == [id], "unit=\(unit): \(found ?? [])")
        }
        #expect((try w.clerk.get("/api/v1/search?unit=X%C3%A3%20B%C3%AAn%20C%E1%BA%A1nh").json["items"] as? [Any])?.isEmpty == true)
        #expect((try w.clerk.get("/api/v1/sessions?unit=\(code)").json["items"] as? [[String: Any]])?.map { $0["sessionId"] as? String } == [w.session])

        // /metrics (Prometheus text): requests by route and status, and the commands sent to the gateway.
        let metrics = try HTTPClient(base: w.system.apiBase).get("/metrics")
        #expect(metrics.status == 200 && metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        let lines = metrics.text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("hb_requests{") && $0.contains("http_route=\"/api/v1/petitions\"") && $0.contains("http_response_status_code=\"201\"") },
                "\(metrics.text.prefix(1500))")
        #expect(lines.contains { $0.hasPrefix("petition_gateway_command_duration_count{") && $0.contains("command=\"petition.submit\"") && $0.contains("outcome=\"ok\"") },
                "\(metrics.text.prefix(3000))")
        #expect(lines.contains { $0.contains("outcome=\"command_id_conflict\"") })
        // The gateway's own tally: every command it decided, whoever sent it (here the fixtures' registry commands over ZeroMQ too).
        #expect(lines.contains { $0.hasPrefix("petition_gateway_commands_total{command=\"petition.submit\",outcome=\"ok\"}") }, "\(metrics.text.suffix(2000))")
        #expect(lines.contains { $0.hasPrefix("petition_gateway_commands_total{command=\"official.appoint\",outcome=\"ok\"}") })
        #expect(lines.contains { $0.hasPrefix("petition_gateway_commands_total{command=\"petition.submit\",outcome=\"replayed\"}") })
        #expect(lines.contains { $0.hasPrefix("petition_gateway_commits_total ") && !$0.hasSuffix(" 0") })
    }

    @Test func aReferredPetitionIsFollowedToItsResolutionOverHTTPAndEveryReadShowsIt() throws {
        let w = try Self.world()
        let id = try #require(try w.clerk.post("/api/v1/petitions", Self.submission(w.session)).json["id"] as? String)
        let chair = try w.system.login(try w.system.official(.chair))
        let department = try w.system.department("Phòng Kinh tế")
        try w.system.person("Lê Văn C")
        let referred = try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15,
                                                                     "occurredAt": "2026-03-19T10:00:00+07:00"])
        #expect(referred.status == 200, "\(referred.text)")
        let officer = try w.system.login(try w.system.official(.departmentOfficer, department: "Phòng Kinh tế"))
        let inbox = try officer.get("/api/v1/outstanding?department=Ph%C3%B2ng%20Kinh%20t%E1%BA%BF")
        #expect((inbox.json["items"] as? [[String: Any]])?.map { $0["petitionId"] as? String } == [id], "the officer's inbox: \(inbox.text.prefix(300))")
        #expect(try officer.post("/api/v1/petitions/\(id)/accept", [:]).status == 200)
        let resolved = try officer.post("/api/v1/petitions/\(id)/resolve", ["by": "Lê Văn C", "resolution": "Đã sửa đường"])
        #expect(resolved.status == 200 && resolved.header("ETag") == "\"4\"", "\(resolved.text)")
        // Resolved twice: a transition that makes no sense now.
        let again = try officer.post("/api/v1/petitions/\(id)/resolve", ["by": "Lê Văn C", "resolution": "Lần nữa"])
        #expect(again.status == 409 && again.json["code"] as? String == "invalid_transition", "\(again.text)")
        #expect(try w.clerk.post("/api/v1/petitions/\(id)/feedback", ["satisfied": true, "comment": "Hài lòng"]).status == 200)

        let petition = try officer.get("/api/v1/petitions/\(id)")
        #expect((petition.json["petition"] as? [String: Any])?["status"] as? String == "resolved", "\(petition.text.prefix(300))")
        #expect((petition.json["custody"] as? [[String: Any]])?.count ?? 0 >= 2, "the chain of hands: \(petition.text.prefix(500))")
        for path in ["/api/v1/responsibility", "/api/v1/alerts", "/api/v1/sessions", "/api/v1/search?text=duong", "/api/v1/units", "/api/v1/departments",
                     "/api/v1/officials"] {
            let reply = try chair.get(path)
            #expect(reply.status == 200 && reply.header("Content-Type")?.hasPrefix("application/json") == true, "\(path): \(reply.text.prefix(300))")
        }
        let found = try chair.get("/api/v1/search?text=duong%20lien")
        #expect(found.text.contains(id), "search ignores diacritics: \(found.text.prefix(300))")
        let departments = try chair.get("/api/v1/departments").json["departments"] as? [[String: Any]] ?? []
        #expect(departments.contains { $0["code"] as? String == department && $0["name"] as? String == "Phòng Kinh tế" })
        let sessions = try chair.get("/api/v1/sessions").json
        #expect("\(sessions)".contains(w.session), "\(sessions)")
        // No read for an official shows the citizen's phone.
        for reply in [inbox, petition, found] { #expect(!reply.text.contains("0901234567")) }
    }

    @Test func aStaleIfMatchIsRefusedWith412AndTheCurrentOneIsAccepted() throws {
        let w = try Self.world()
        let id = try #require(try w.clerk.post("/api/v1/petitions", Self.submission(w.session)).json["id"] as? String)
        let chair = try w.system.login(try w.system.official(.chair))
        let department = try w.system.department("Phòng Kinh tế")
        let refer: [String: Any] = ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15]
        let stale = try chair.post("/api/v1/petitions/\(id)/refer", refer, headers: ["If-Match": "\"0\""])
        #expect(stale.status == 412 && stale.json["code"] as? String == "version_mismatch", "\(stale.text)")
        #expect(try w.system.history().filter { $0["subject"] as? String == "petition-\(id)" }.count == 1, "nothing appended")
        let current = try chair.post("/api/v1/petitions/\(id)/refer", refer, headers: ["If-Match": "\"1\""])
        #expect(current.status == 200 && current.header("ETag") == "\"2\"", "\(current.text)")
        let malformed = try chair.post("/api/v1/petitions/\(id)/answer", ["answer": "x"], headers: ["If-Match": "W/abc"])
        #expect(malformed.status == 400 && malformed.header("Content-Type") == "application/problem+json")
    }

    @Test func theAPIDoesNotWidenWhatAnOfficialsRoleAndScopeAllow() throws {
        let w = try Self.world()
        let id = try #require(try w.clerk.post("/api/v1/petitions", Self.submission(w.session)).json["id"] as? String)
        // A clerk may not merge petitions (the chair does).
        let other = try #require(try w.clerk.post("/api/v1/petitions", Self.submission(w.session, content: "Cùng nội dung")).json["id"] as? String)
        let merge = try w.clerk.post("/api/v1/petitions/\(other)/merge", ["into": id, "reason": "Trùng"])
        #expect(merge.status == 403 && merge.json["code"] as? String == "not_permitted", "\(merge.text)")
        // A clerk records a conference's answer in the chair's name, never in their own or another non-chair's.
        let ownName = try w.clerk.post("/api/v1/petitions/\(id)/answer", ["by": w.clerkId, "answer": "Đã trả lời"])
        #expect(ownName.status == 422 && (ownName.json["detail"] as? String)?.contains("holds no chair role") == true, "\(ownName.text)")
        // A clerk of another commune does not see it.
        let elsewhere = try w.system.login(try w.system.official(.clerk, unit: "Xã Khác"))
        let hidden = try elsewhere.get("/api/v1/petitions/\(id)")
        #expect(hidden.status == 404, "\(hidden.text)")
        #expect((try elsewhere.get("/api/v1/outstanding").json["items"] as? [Any])?.isEmpty == true)
        // Naming someone else in the body is refused: who acts is the login.
        let forged = try w.clerk.post("/api/v1/petitions", Self.submission(w.session).merging(["actor": "O000001"]) { a, _ in a })
        #expect(forged.status == 422 && (forged.json["detail"] as? String)?.contains("actor") == true, "\(forged.text)")
    }

    @Test func badBodiesAndUnknownIdsGetProblemsThatSayWhatIsWrong() throws {
        let w = try Self.world()
        let notJSON = try w.clerk.send("POST", "/api/v1/petitions", body: Data("{not json".utf8), headers: ["Content-Type": "application/json"])
        #expect(notJSON.status == 400 && notJSON.json["code"] as? String == "bad_request", "\(notJSON.text)")
        var missing = Self.submission(w.session)
        missing.removeValue(forKey: "content")
        let noContent = try w.clerk.post("/api/v1/petitions", missing)
        #expect(noContent.status == 422 && noContent.json["code"] as? String == "missing_field" && (noContent.json["detail"] as? String)?.contains("content") == true,
                "\(noContent.text)")
        let wrongKind = try w.clerk.post("/api/v1/petitions", Self.submission(w.session).merging(["kind": "shout"]) { _, b in b })
        #expect(wrongKind.status == 422, "\(wrongKind.text)")
        let unknown = try w.clerk.get("/api/v1/petitions/P999999")
        #expect(unknown.status == 404 && unknown.json["code"] as? String == "not_found", "\(unknown.text)")
        let noAction = try w.clerk.post("/api/v1/petitions/P000001/explode", [:])
        #expect(noAction.status == 404 && (noAction.json["detail"] as? String)?.contains("refer") == true, "\(noAction.text)")
        let badParameter = try w.clerk.get("/api/v1/outstanding?colour=red")
        #expect(badParameter.status == 400 && (badParameter.json["detail"] as? String)?.contains("colour") == true, "\(badParameter.text)")
        let badLimit = try w.clerk.get("/api/v1/outstanding?limit=many")
        #expect(badLimit.status == 422, "\(badLimit.text)")
        let noRoute = try w.clerk.get("/api/v1/nothing-here")
        #expect(noRoute.status == 404 && noRoute.header("Content-Type") == "application/problem+json", "\(noRoute.text)")
        // None of it leaks the citizen: no problem carries personal data.
        for reply in [notJSON, noContent, wrongKind, unknown] { #expect(!reply.text.contains("0901234567") && !reply.text.contains("Nguyễn Thị B")) }
    }

    @Test func repeatedWrongPasswordsAreSlowedThenLockTheLoginEvenForTheRightPassword() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let clerk = try system.official(.clerk)
        let password = try system.setPassword(clerk, login: "clerk.one")
        let http = HTTPClient(base: system.apiBase)
        var statuses: [Int] = []
        let started = Date()
        for _ in 0..<5 { statuses.append(try http.post("/api/v1/login", ["login": "clerk.one", "password": "wrong-password"]).status) }
        #expect(statuses == [401, 401, 401, 401, 429], "\(statuses)")
        #expect(Date().timeIntervalSince(started) > 3, "failures are answered slower and slower")
        let locked = try http.post("/api/v1/login", ["login": "clerk.one", "password": password])
        #expect(locked.status == 429 && locked.json["code"] as? String == "locked" && Int(locked.header("Retry-After") ?? "") ?? 0 > 60, "\(locked.text)")
        // Another official's login is not locked by it.
        let chair = try system.login(try system.official(.chair))
        #expect(try chair.get("/api/v1/me").status == 200)
        // Neither the password nor the token is in the API's log.
        let log = try String(contentsOfFile: try #require(system.api?.outputPath), encoding: .utf8)
        #expect(!log.contains(password) && !log.contains(chair.token ?? "-") && !log.contains("wrong-password"))
    }

    @Test func aBrowserSessionIsAnHttpOnlySameSiteCookieAndLogoutEndsIt() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let clerk = try system.official(.clerk)
        let password = try system.setPassword(clerk, login: "clerk.web")
        let http = HTTPClient(base: system.apiBase)
        let login = try http.post("/api/v1/login", ["login": "clerk.web", "password": password, "session": "cookie"])
        #expect(login.status == 200 && login.json["token"] == nil, "a browser's session is only in the cookie: \(login.text)")
        let cookie = try #require(login.header("Set-Cookie"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=") && !cookie.contains("Secure"), "\(cookie)")
        let pair = String(cookie.split(separator: ";")[0])
        #expect(try http.get("/api/v1/me", headers: ["Cookie": pair]).status == 200)
        let logout = try http.send("POST", "/api/v1/logout", headers: ["Cookie": pair])
        #expect(logout.status == 204 && logout.header("Set-Cookie")?.contains("Max-Age=0") == true)
        #expect(try http.get("/api/v1/me", headers: ["Cookie": pair]).status == 401, "the session ended")
        let unknown = try http.post("/api/v1/login", ["login": "clerk.web", "password": password, "session": "forever"])
        #expect(unknown.status == 422, "\(unknown.text)")
    }
}
