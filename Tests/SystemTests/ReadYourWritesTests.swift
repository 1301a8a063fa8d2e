import Foundation
import Testing
import TestSupport

/// A client can read its own writes: queries wait (bounded) for the position they name.
@Suite(.serialized)
struct ReadYourWritesTests {
    @Test func aQueryWaitsForItsMinimumPositionOrSaysItIsNotAppliedYet() throws {
        let system = try TestSystem()
        try system.start()
        let open = try system.request(system.endpoints.commands, TestSystem.command("session.open", ["unit": "Xã Bình Thành", "title": "T", "chair": "C"]))
        let submit = try system.request(system.endpoints.commands, TestSystem.command("petition.submit", [
            "sessionId": open?["id"] as? String ?? "", "kind": "recommendation", "category": "land", "content": "Đất đai", "citizen": ["name": "A"]]))
        let position = try #require((submit?["position"] as? NSNumber)?.int64Value)
        let got = try system.request(system.endpoints.queries, ["type": "petition.get", "petitionId": submit?["id"] as? String ?? "", "minPosition": position])
        #expect((got?["petition"] as? [String: Any])?["status"] as? String == "submitted")

        let tooFar = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": position + 100, "waitMs": 300])
        // No command reply gave that position: it is beyond the log's head, and that is said without waiting.
        #expect((tooFar?["error"] as? [String: Any])?["code"] as? String == "invalid_value")
    }

    @Test func vietnameseTextIsStoredAsNFCAndRoundTripsExactly() throws {
        let system = try TestSystem()
        try system.start()
        let decomposed = "Đề nghị cấp giấy chứng nhận quyền sử dụng đất".decomposedStringWithCanonicalMapping
        let composed = decomposed.precomposedStringWithCanonicalMapping
        #expect(Array(decomposed.utf8) != Array(composed.utf8))
        let open = try system.ctl(["session", "open", "--unit", "Xã Tân Hòa", "--title", "Hội nghị", "--date", "2026-05-01", "--chair", "Lê Thị M", "--json"])
        let submit = try system.ctl(["submit", "--session", open.json["id"] as? String ?? "", "--citizen", "Nguyễn Thị Ánh".decomposedStringWithCanonicalMapping,
                                     "--kind", "recommendation", "--category", "land", "--content", decomposed, "--json"])
        let show = try system.ctl(["show", submit.json["id"] as? String ?? "", "--json"])
        let view = show.json["petition"] as? [String: Any] ?? [:]
        let content = try #require(view["content"] as? String)
        #expect(Array(content.utf8) == Array(composed.utf8))
        let name = try #require((view["citizen"] as? [String: Any])?["name"] as? String)
        #expect(Array(name.utf8) == Array("Nguyễn Thị Ánh".precomposedStringWithCanonicalMapping.utf8))
        let data = (show.json["events"] as? [[String: Any]])?.first?["data"] as? [String: Any]
        #expect(Array((data?["content"] as? String ?? "").utf8) == Array(composed.utf8))
    }

    @Test func personalDataIsNeverInPlainTextInTheLogFile() throws {
        let system = try TestSystem()
        try system.start()
        let open = try system.ctl(["session", "open", "--unit", "Xã Minh Khai", "--title", "Hội nghị", "--date", "2026-05-01", "--chair", "Chủ tịch", "--json"])
        let submit = try system.ctl(["submit", "--session", open.json["id"] as? String ?? "", "--citizen", "Trịnh Văn Độc Nhất",
                                     "--address", "Số 9 ngõ Bí Mật", "--phone", "0987654321", "--kind", "denunciation",
                                     "--category", "security_order", "--content", "Tố cáo hành vi", "--json"])
        #expect(submit.status == 0)
        system.gateway?.stop()
        system.projector?.stop()
        let files = try FileManager.default.subpathsOfDirectory(atPath: system.dataDirectory).filter { $0.hasSuffix(".sqlite") || $0.contains("-wal") }
        #expect(!files.isEmpty)
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: system.dataDirectory).appendingPathComponent(file))
            for secret in ["Trịnh Văn Độc Nhất", "ngõ Bí Mật", "0987654321"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) in plain text in \(file)")
            }
        }
    }
}
