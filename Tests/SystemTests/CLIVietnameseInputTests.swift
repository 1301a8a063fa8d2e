import Foundation
import Testing
import TestSupport

/// petitionctl reads dates as people in Vietnam write them and fields and kinds by their Vietnamese names.
@Suite(.serialized)
struct CLIVietnameseInputTests {
    @Test("dates as dd/mm/yyyy (Vietnam time) and kinds and fields by their Vietnamese names are understood; a wrong one is refused, naming the choices")
    func vietnameseDatesKindsAndFieldsAreUnderstood() throws {
        let system = try TestSystem()
        try system.start()
        _ = try system.official(.clerk)
        try system.registerCommune("Xã Bình Thành")
        try system.person("Trần Văn A")
        let session = try system.ctl(["session", "open", "--unit", "Xã Bình Thành", "--title", "Đối thoại ấp Tây Huề", "--date", "19/03/2026 08:00",
                                      "--chair", "Trần Văn A", "--json"])
        #expect(session.status == 0, "\(session.stderr)")
        let sessionId = try #require(session.json["id"] as? String)
        let submit = try system.ctl(["submit", "--session", sessionId, "--citizen", "Nguyễn Thị B", "--kind", "khiếu nại", "--category", "Dat dai",
                                     "--content", "Cấp giấy chứng nhận quyền sử dụng đất chậm", "--occurred-at", "19/03/2026 09:30", "--json"])
        #expect(submit.status == 0, "\(submit.stderr)")
        let events = try system.history()
        let opened = try #require(events.first { ($0["type"] as? String)?.hasPrefix("session.opened") == true })
        #expect(opened["time"] as? String == "2026-03-19T01:00:00.000Z", "19/03/2026 08:00 is Vietnam time: \(opened["time"] ?? "")")
        let submitted = try #require(events.first { ($0["type"] as? String)?.hasPrefix("petition.submitted") == true })
        let data = submitted["data"] as? [String: Any] ?? [:]
        #expect(data["kind"] as? String == "complaint" && data["category"] as? String == "land", "\(data)")
        #expect(submitted["time"] as? String == "2026-03-19T02:30:00.000Z")

        let wrongField = try system.ctl(["submit", "--session", sessionId, "--citizen", "X Y", "--kind", "kiến nghị", "--category", "bầu trời", "--content", "Nội dung"])
        #expect(wrongField.status == 1 && wrongField.stderr.contains("land (Đất đai)") && wrongField.stderr.contains("bầu trời"), "\(wrongField.stderr)")
        let noSuchDay = try system.ctl(["session", "open", "--unit", "Xã Bình Thành", "--title", "T", "--date", "31/02/2026", "--chair", "Trần Văn A"])
        #expect(noSuchDay.status != 0 && noSuchDay.stderr.contains("19/03/2026"), "\(noSuchDay.stderr)")
    }
}
