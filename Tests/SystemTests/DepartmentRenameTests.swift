import Foundation
import Messaging
import PetitionDomain
import Testing
import TestSupport

/// A department is who it is registered as (its unit and code), whatever it is called: a rename shows everywhere,
/// and a namesake in another unit is someone else.
@Suite(.serialized)
struct DepartmentRenameTests {
    func code(_ reply: [String: Any]?) -> String? { (reply?["error"] as? [String: Any])?["code"] as? String }

    @Test("a renamed department shows under its new name in every view, the report and its alerts, for what it held before too; its officer still acts on it, a referral may name it by the old name, and a rebuild gives the same views")
    func aRenamedDepartmentIsRenamedEverywhere() throws {
        let system = try TestSystem()
        try system.start()
        let old = "Phòng Tài nguyên và Môi trường", new = "Phòng Nông nghiệp và Môi trường"
        let departmentCode = try system.department(old)
        let session = try #require(try system.send("session.open", ["unit": "Xã An Bình", "title": "Đối thoại", "chair": "Trần Văn A"])["id"] as? String)
        func submit(_ content: String) throws -> String {
            try #require(try system.send("petition.submit", ["sessionId": session, "kind": "recommendation", "category": "land", "content": content,
                                                             "citizen": ["name": "Nguyễn Văn B"]])["id"] as? String)
        }
        let held = try submit("Đất bị lấn chiếm"), resolved = try submit("Cấp giấy chứng nhận"), later = try submit("Ô nhiễm kênh")
        for petition in [held, resolved] {
            try system.send("petition.refer", ["petitionId": petition, "department": old, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15])
        }
        let deadline = try #require(try system.events("petition.referred.v3").last.flatMap { ($0["data"] as? [String: Any])?["deadline"] as? String })
        try system.send("petition.accept", ["petitionId": resolved], department: old)
        try system.send("petition.resolve", ["petitionId": resolved, "by": "Lê Văn C", "resolution": "Đã cấp"], department: old)
        try system.send("petition.escalate", ["petitionId": held, "level": "warning", "deadline": deadline, "due": deadline, "recipient": "Lê Văn C"])

        let rename = try system.admin(Commands.RenameDepartment(unit: TestSystem.unit, code: departmentCode, name: new), id: "rename-department")
        #expect(rename["id"] as? String == "\(TestSystem.unit)/\(departmentCode)")
        #expect(try system.events("department.renamed.v1").count == 1)

        // A referral may still name it by its old name; the event records the name now and the registry's reference.
        try system.send("petition.refer", ["petitionId": later, "department": old, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15])
        let referral = try #require(try system.events("petition.referred.v3").last?["data"] as? [String: Any])
        #expect(referral["department"] as? String == new)
        #expect(referral["departmentRef"] as? String == "\(TestSystem.unit)/\(departmentCode)")
        // Its officer acts on what it held under the old name.
        let accepted = try system.send("petition.accept", ["petitionId": held], department: old)
        let head = try #require((accepted["position"] as? NSNumber)?.int64Value)

        system.actingAs = try system.official(.supervisor)
        func query(_ body: [String: Any]) throws -> [String: Any] {
            var body = body
            body["minPosition"] = head
            return try #require(try system.request(system.endpoints.queries, body))
        }
        let outstanding = try query(["type": "outstanding"])["items"] as? [[String: Any]] ?? []
        #expect(Set(outstanding.compactMap { $0["department"] as? String }) == [new], "\(outstanding)")
        let filtered = try query(["type": "outstanding", "department": new])["items"] as? [[String: Any]] ?? []
        #expect(Set(filtered.compactMap { $0["petitionId"] as? String }) == [held, later], "the new name finds what was referred under the old one")
        let responsibility = try query(["type": "responsibility"])
        let departments = (responsibility["departments"] as? [[String: Any]] ?? []).compactMap { $0["department"] as? String }
        #expect(departments == [new], "one department, under its new name: \(responsibility)")
        let officials = (responsibility["officials"] as? [[String: Any]] ?? []).filter { $0["assignee"] as? String == "Lê Văn C" }
        #expect(officials.count == 1 && officials.first?["resolvedOnTime"] as? Int == 1 && officials.first?["holding"] as? Int == 2, "\(officials)")
        let chain = try query(["type": "petition.get", "petitionId": resolved])["custody"] as? [[String: Any]] ?? []
        #expect(Set(chain.compactMap { $0["department"] as? String }) == [new], "the chain of hands of a petition resolved before the rename: \(chain)")
        let alerts = try query(["type": "alerts"])["items"] as? [[String: Any]] ?? []
        #expect(alerts.count == 1 && alerts.first?["department"] as? String == new, "an alert raised before the rename: \(alerts)")

        let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
        let report = try runTool("petitionctl", ["report", "--unit", TestSystem.unit, "--period", year, "--format", "json", "--data-dir", system.dataDirectory])
        #expect(report.status == 0, "\(report.stderr)")
        let lines = report.json["departments"] as? [[String: Any]] ?? []
        #expect(lines.compactMap { $0["department"] as? String } == [new], "\(report.stdout)")
        #expect(lines.first?["received"] as? Int == 3 && lines.first?["resolvedOnTime"] as? Int == 1, "\(lines)")

        // A rebuild from the log (one batch, in memory) gives what the projector gave (batch by batch, renaming its file).
        let compare = try runTool("petitionctl", ["audit", "rebuild", "--compare", "--json", "--data-dir", system.dataDirectory])
        let result = compare.json["compare"] as? [String: Any] ?? [:]
        #expect(compare.status == 0 && result["identical"] as? Bool == true, "\(compare.stdout) \(compare.stderr)")
    }

    @Test("a commune's department and the province's of the same name are two holders: neither's officer acts on what the other holds")
    func namesakeDepartmentsAboveAndBelowAreToldApart() throws {
        let system = try TestSystem()
        try system.start()
        let name = "Phòng Kinh tế"
        let clerk = try system.official(.clerk, unit: "Xã An Bình")
        let communeCode = try #require(try system.registerCommune("Xã An Bình"))
        let provinceOfficer = try system.official(.departmentOfficer, department: name)
        let communeOfficer = try system.official(.departmentOfficer, department: name, unit: "Xã An Bình")
        let provinceDepartment = try system.department(name)
        try system.person("Trần Văn A")
        let session = try #require(try system.request(system.endpoints.commands, TestSystem.command("session.open",
            ["unit": "Xã An Bình", "title": "Đối thoại", "chair": "Trần Văn A"]), as: clerk)?["id"] as? String)
        func submit() throws -> String {
            try #require(try system.request(system.endpoints.commands, TestSystem.command("petition.submit", [
                "sessionId": session, "kind": "report", "category": "land", "content": "Đất", "citizen": ["name": "Nguyễn Văn B"]]), as: clerk)?["id"] as? String)
        }
        func accept(_ petition: String, as officer: TestSystem.Official) throws -> [String: Any]? {
            try system.request(system.endpoints.commands, TestSystem.command("petition.accept", ["petitionId": petition]), as: officer)
        }
        // By name, the commune's own department (the nearest); by the province department's code, the province's.
        let toCommune = try submit(), toProvince = try submit()
        let chair = try system.official(.chair)
        for (petition, department) in [(toCommune, name), (toProvince, provinceDepartment)] {
            let referred = try system.request(system.endpoints.commands, TestSystem.command("petition.refer", [
                "petitionId": petition, "department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15]), as: chair)
            #expect(referred?["ok"] as? Bool == true, "\(referred ?? [:])")
        }
        let refs = try system.events("petition.referred.v3").compactMap { ($0["data"] as? [String: Any])?["departmentRef"] as? String }
        #expect(refs.count == 2 && refs[0].hasPrefix(communeCode + "/") && refs[1] == "\(TestSystem.unit)/\(provinceDepartment)", "\(refs)")

        #expect(code(try accept(toCommune, as: provinceOfficer)) == "not_holder", "the province's department does not hold the commune's referral")
        #expect(code(try accept(toProvince, as: communeOfficer)) == "not_holder", "the commune's department does not hold the province's")
        #expect(try accept(toCommune, as: communeOfficer)?["ok"] as? Bool == true)
        #expect(try accept(toProvince, as: provinceOfficer)?["ok"] as? Bool == true)
    }
}
