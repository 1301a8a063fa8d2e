import Foundation
import Testing
import TestSupport

/// `GET /api/v1/events`: the log live as Server-Sent Events, within the caller's units, resumable.
@Suite("petition-api: live events (Server-Sent Events)", .serialized)
struct EventFeedTests {
    /// Reads events until one satisfies `stop` (included) or `timeout` passes.
    static func read(_ feed: SSEClient, until stop: (SSEClient.Event) -> Bool, timeout: TimeInterval = 20) throws -> [SSEClient.Event] {
        let deadline = Date().addingTimeInterval(timeout)
        var seen: [SSEClient.Event] = []
        while Date() < deadline {
            let batch = try feed.events(1, timeout: max(0.1, deadline.timeIntervalSinceNow))
            seen += batch
            if let last = batch.last, stop(last) { return seen }
        }
        return seen
    }

    static func submitted(_ id: String) -> (SSEClient.Event) -> Bool {
        { $0.type == "petition.submitted.v3" && $0.json["subject"] as? String == "petition-\(id)" }
    }

    @Test func aCommuneChairsFeedShowsTheCommunesEventsOnlyAndResumesWithoutLossAfterTheAPIIsKilled() throws {
        let w = try APIBasicsTests.world()
        let chairOfficial = try w.system.official(.chair, unit: w.commune)
        let chair = try w.system.login(chairOfficial)
        let token = try #require(chair.token)
        // A petition of another commune: not the commune chair's to see.
        try w.system.registerCommune("Xã Bên Cạnh")
        let other = try w.clerk.post("/api/v1/sessions", ["unit": "Xã Bên Cạnh", "title": "Đối thoại", "chair": "Trần Văn A",
                                                          "occurredAt": "2026-03-19T08:00:00+07:00"])
        let otherSession = try #require(other.json["id"] as? String, "\(other.text)")
        let outside = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(otherSession)).json["id"] as? String)
        let first = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)).json["id"] as? String)

        let feed = try SSEClient(port: w.system.httpPort, path: "/api/v1/events?from=0", headers: ["Authorization": "Bearer \(token)"])
        #expect(try feed.readHead() == 200)
        #expect(feed.headers["content-type"]?.hasPrefix("text/event-stream") == true, "\(feed.headers)")
        let seen = try Self.read(feed, until: Self.submitted(first))
        #expect(seen.last.map(Self.submitted(first)) == true, "the commune's petition came: \(seen.map { $0.type ?? "?" })")
        let subjects = seen.compactMap { $0.json["subject"] as? String }
        #expect(subjects.contains("session-\(w.session)"))
        #expect(!subjects.contains("petition-\(outside)") && !subjects.contains("session-\(otherSession)"), "another commune's: \(subjects)")
        #expect(!subjects.contains { $0.hasPrefix("access-") || $0.hasPrefix("person-") }, "\(subjects)")
        let ids = seen.compactMap { $0.id.flatMap(Int64.init) }
        #expect(ids == ids.sorted() && Set(ids).count == ids.count && ids.count == seen.count, "ids are increasing positions: \(ids)")
        let resumeFrom = try #require(ids.last)
        feed.close()

        // The API dies hard; the gateway goes on recording.
        w.system.killAPI()
        var missed: [String] = []
        for content in ["Đèn đường hỏng", "Rác thải ùn ứ"] {
            var body = APIBasicsTests.submission(w.session, content: content)
            body.removeValue(forKey: "occurredAt")
            let reply = try w.system.send("petition.submit", body)
            missed.append(try #require(reply["id"] as? String))
        }
        try w.system.startAPI()

        // The browser reconnects with the id of the last event it had: the token still holds, nothing is lost or repeated.
        let resumed = try SSEClient(port: w.system.httpPort, path: "/api/v1/events", headers: ["Authorization": "Bearer \(token)", "Last-Event-ID": String(resumeFrom)])
        let after = try Self.read(resumed, until: Self.submitted(missed[1]))
        let afterIds = after.compactMap { $0.id.flatMap(Int64.init) }
        #expect(afterIds.allSatisfy { $0 > resumeFrom }, "nothing repeated: \(afterIds) after \(resumeFrom)")
        let expected = try w.system.history().filter { ($0["subject"] as? String).map { missed.map { "petition-\($0)" }.contains($0) } ?? false }
            .compactMap { ($0["position"] as? NSNumber)?.int64Value }
        #expect(!expected.isEmpty && Set(expected).isSubset(of: Set(afterIds)), "every missed event came: \(expected) in \(afterIds)")

        // Live: what happens now arrives without polling.
        let live = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: "Cống thoát nước tắc")).json["id"] as? String)
        let more = try Self.read(resumed, until: Self.submitted(live), timeout: 10)
        #expect(more.last.map(Self.submitted(live)) == true, "\(more.map { $0.type ?? "?" })")
        // An open feed does not hold up a graceful stop: the stream ends and the process exits.
        let started = Date()
        let status = try #require(w.system.api).stop(SIGTERM, grace: 10)
        #expect(status == 0 && Date().timeIntervalSince(started) < 5, "petition-api exited with \(status) after \(Date().timeIntervalSince(started)) s")
        resumed.close()
    }

    @Test func theFeedRefusesAnUnauthenticatedCallerAndAMalformedPosition() throws {
        let w = try APIBasicsTests.world()
        let anonymous = HTTPClient(base: w.system.apiBase)
        #expect(try anonymous.get("/api/v1/events").status == 401)
        let bad = try w.clerk.get("/api/v1/events", headers: ["Last-Event-ID": "yesterday"])
        #expect(bad.status == 400 && (bad.json["detail"] as? String)?.contains("Last-Event-ID") == true, "\(bad.text)")
        let badFrom = try w.clerk.get("/api/v1/events?from=-3")
        #expect(badFrom.status == 422, "\(badFrom.text)")
        let unknown = try w.clerk.get("/api/v1/events?since=3")
        #expect(unknown.status == 400, "\(unknown.text)")
    }
}
