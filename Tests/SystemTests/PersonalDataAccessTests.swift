import Foundation
import PetitionDomain
import Testing
import TestSupport

/// Who may see citizens' personal data, and the access log every look leaves (Nghị định 13/2023 asks who saw what, and why).
@Suite(.serialized)
struct PersonalDataAccessTests {
    private func submitted(_ system: TestSystem) throws -> (petition: String, person: String) {
        let session = try #require(try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Đối thoại", "chair": "Trần Văn A"])["id"] as? String)
        let petition = try #require(try system.send("petition.submit", ["sessionId": session, "kind": "report", "category": "land", "content": "Đất",
                                                                       "citizen": ["name": "Nguyễn Thị Hoa", "phone": "0912345678"]])["id"] as? String)
        let read = try #require(try system.request(system.endpoints.history, ["type": "stream.read", "stream": "petition-\(petition)"]))
        let citizen = ((read["events"] as? [[String: Any]])?.first?["data"] as? [String: Any])?["citizen"] as? [String: Any]
        return (petition, try #require(citizen?["personId"] as? String))
    }

    private func accesses(_ system: TestSystem) throws -> [[String: Any]] { try system.events("access.recorded.v1") }

    @Test("a citizen's personal data is shown only to a clerk or chair of the petition's unit (or above it), and only once the look (who, which petition, which people, why) is in the log")
    func aRevealIsForClerkAndChairAndRecorded() throws {
        let system = try TestSystem()
        try system.start()
        let (petition, person) = try submitted(system)
        let read: [String: Any] = ["type": "stream.read", "stream": "petition-\(petition)", "reveal": true, "purpose": "Gọi lại cho công dân"]
        for role in [Role.supervisor, .departmentOfficer, .administrator] {
            let reply = try #require(try system.request(system.endpoints.history, read, as: system.official(role)))
            #expect((reply["error"] as? [String: Any])?["code"] as? String == "not_permitted", "\(role): \(reply)")
            #expect(reply["personalData"] == nil)
        }
        #expect(try accesses(system).isEmpty, "a refused look leaves nothing to record")
        var noPurpose = read
        noPurpose["purpose"] = nil
        let missing = try #require(try system.request(system.endpoints.history, noPurpose))
        #expect((missing["error"] as? [String: Any])?["code"] as? String == "missing_field", "\(missing)")

        let outsider = try #require(try system.request(system.endpoints.history, read, as: system.official(.clerk, unit: "Xã Khác")))
        #expect((outsider["error"] as? [String: Any])?["code"] as? String == "out_of_scope", "a clerk of another commune: \(outsider)")
        #expect(outsider["personalData"] == nil)
        #expect(try accesses(system).isEmpty)

        let clerk = try system.official(.clerk)
        let shown = try #require(try system.request(system.endpoints.history, read, as: clerk))
        #expect(((shown["personalData"] as? [String: Any])?[person] as? [String: Any])?["name"] as? String == "Nguyễn Thị Hoa", "\(shown)")
        let logged = try accesses(system)
        #expect(logged.count == 1)
        let event = try #require(logged.first)
        #expect(event["subject"] as? String == "access-\(clerk.id)")
        #expect(event["actor"] as? String == "system/petition-gateway")
        let data = event["data"] as? [String: Any] ?? [:]
        #expect(data["officialId"] as? String == clerk.id && data["access"] as? String == "reveal")
        #expect(data["stream"] as? String == "petition-\(petition)" && data["personIds"] as? [String] == [person])
        #expect(data["purpose"] as? String == "Gọi lại cho công dân")
        let chair = try #require(try system.request(system.endpoints.history, read, as: system.official(.chair)))
        #expect(chair["personalData"] != nil, "the chair sees it too")
        #expect(try accesses(system).count == 2, "every look is recorded")
    }

    @Test("a search for people needs a clerk or chair, three letters and a purpose, at most 20 a minute, and each is recorded without the words searched")
    func aSearchForPeopleIsLimitedAndRecorded() throws {
        let system = try TestSystem()
        try system.start()
        let (_, person) = try submitted(system)
        func find(_ name: String, as role: Role = .clerk, purpose: String? = "Tìm đơn của công dân") throws -> [String: Any] {
            var body: [String: Any] = ["type": "people.find", "name": name]
            if let purpose { body["purpose"] = purpose }
            return try #require(try system.request(system.endpoints.history, body, as: system.official(role)))
        }
        func code(_ reply: [String: Any]) -> String? { (reply["error"] as? [String: Any])?["code"] as? String }
        #expect(code(try find("N")) == "invalid_value", "a single letter finds everyone: refused")
        #expect(code(try find("a b")) == "invalid_value")
        #expect(code(try find("Nguyễn Hoa", as: .supervisor)) == "not_permitted")
        #expect(code(try find("Nguyễn Hoa", purpose: nil)) == "missing_field")
        for i in 0..<20 {
            let reply = try find("nguyen hoa")
            #expect(reply["personIds"] as? [String] == [person], "search \(i): \(reply)")
        }
        #expect(code(try find("nguyen hoa")) == "overloaded", "the 21st search in a minute waits")
        #expect(try find("nguyen hoa", as: .chair)["personIds"] as? [String] == [person], "another official's searches are their own")
        let logged = try accesses(system)
        #expect(logged.count == 21)
        #expect(logged.allSatisfy { ($0["data"] as? [String: Any])?["access"] as? String == "search" })
        let text = String(decoding: try JSONSerialization.data(withJSONObject: logged), as: UTF8.self).lowercased()
        #expect(!text.contains("nguyen") && !text.contains("hoa"), "the words searched for are not kept")
    }
}
