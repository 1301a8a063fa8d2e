import Foundation
import Testing
import TestSupport

/// Lists page by cursor (keyset): `next` in the body and a `Link: rel="next"` header, nothing skipped or repeated
/// when the list changes between pages.
@Suite("petition-api: lists page by cursor, nothing skipped or repeated", .serialized)
struct PaginationTests {
    /// The URL of `Link: <…>; rel="next"`.
    static func nextLink(_ reply: HTTPReply) -> String? {
        guard let link = reply.header("Link"), link.hasSuffix("; rel=\"next\""), link.hasPrefix("<"), let end = link.firstIndex(of: ">") else { return nil }
        return String(link[link.index(after: link.startIndex)..<end])
    }

    @Test func followingNextLinksGivesEveryOutstandingPetitionOnceEvenWhenOneIsAddedBetweenPages() throws {
        let w = try APIBasicsTests.world()
        var submitted: [String] = []
        for n in 1...5 {
            let reply = try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: "Kiến nghị số \(n) về đường làng"))
            submitted.append(try #require(reply.json["id"] as? String, "\(reply.text)"))
        }
        let first = try w.clerk.get("/api/v1/outstanding?limit=2")
        #expect(first.status == 200 && first.json["count"] as? Int == 2 && first.json["total"] as? Int == 5, "\(first.text)")
        let cursor = try #require(first.json["next"] as? String, "a cut list says where to go on: \(first.text)")
        var url = try #require(Self.nextLink(first), "no Link header: \(first.headers)")
        #expect(url.hasPrefix("/api/v1/outstanding?") && url.contains("limit=2") && url.contains("cursor=\(cursor)"), "\(url)")

        // A petition recorded between pages: it sorts last, and comes once.
        let late = try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: "Kiến nghị ghi sau"))
        let lateId = try #require(late.json["id"] as? String)
        var seen = (first.json["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String }
        var pages = 1
        while true {
            let page = try w.clerk.get(url)
            #expect(page.status == 200, "\(url): \(page.text)")
            seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String }
            pages += 1
            guard let next = Self.nextLink(page) else {
                #expect(page.json["next"] == nil, "the last page has no next")
                break
            }
            url = next
            try #require(pages < 10, "the pages do not end")
        }
        #expect(seen == submitted + [lateId], "\(seen)")
        #expect(pages == 3)

        // The same for search, newest first.
        var found: [String] = []
        var search: String? = "/api/v1/search?text=duong%20lang&limit=2"
        while let s = search {
            let page = try w.clerk.get(s)
            found += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String }
            search = Self.nextLink(page)
        }
        #expect(found == submitted.reversed(), "\(found)")
    }

    @Test func aCursorThatNoPageGaveOrThatAnotherListGaveIsRefusedWith422() throws {
        let w = try APIBasicsTests.world()
        for _ in 1...3 { _ = try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)) }
        let forged = try w.clerk.get("/api/v1/outstanding?cursor=not-a-cursor")
        #expect(forged.status == 422 && forged.json["code"] as? String == "invalid_value" && (forged.json["detail"] as? String)?.contains("after") == true,
                "\(forged.text)")
        let searchCursor = try #require(try w.clerk.get("/api/v1/search?text=duong&limit=1").json["next"] as? String)
        let crossed = try w.clerk.get("/api/v1/outstanding?cursor=\(searchCursor)")
        #expect(crossed.status == 422 && (crossed.json["detail"] as? String)?.contains("cursor of search, not of outstanding") == true, "\(crossed.text)")
    }
}
