import Foundation
import Messaging
import PetitionDomain
import Testing
import TestSupport

/// Officials act within their own unit and the units below it, and name units and departments as the registry has them.
@Suite(.serialized)
struct ScopeTests {
    func code(_ reply: [String: Any]?) -> String? { (reply?["error"] as? [String: Any])?["code"] as? String }
    func message(_ reply: [String: Any]?) -> String { (reply?["error"] as? [String: Any])?["message"] as? String ?? "" }

    @Test("a chair or clerk of one commune cannot act on another commune's sessions and petitions; their own they can")
    func aCommuneOfficialActsOnlyOnTheirCommune() throws {
        let system = try TestSystem()
        try system.start()
        for person in ["Trần Văn A", "Trần Văn B", "B", "C"] { try system.person(person) }
        try system.department("Phòng Kinh tế")
        let clerkA = try system.official(.clerk, unit: "Xã An Bình"), chairA = try system.official(.chair, unit: "Xã An Bình")
        let clerkB = try system.official(.clerk, unit: "Xã Bình Minh"), chairB = try system.official(.chair, unit: "Xã Bình Minh")
        func send(_ type: String, _ fields: [String: Any], as official: TestSystem.Official) throws -> [String: Any]? {
            try system.request(system.endpoints.commands, TestSystem.command(type, fields), as: official)
        }
        let session = try #require(try send("session.open", ["unit": "Xã An Bình", "title": "Đối thoại", "chair": "Trần Văn A"], as: clerkA))
        let sessionId = try #require(session["id"] as? String, "\(session)")
        let other = try send("session.open", ["unit": "Xã An Bình", "title": "Đối thoại", "chair": "Trần Văn A"], as: clerkB)
        #expect(code(other) == "out_of_scope", "\(other ?? [:])")
        #expect(message(other).contains("Xã An Bình") && message(other).contains("Xã Bình Minh"), "the refusal names both units: \(message(other))")

        let submit: [String: Any] = ["sessionId": sessionId, "kind": "report", "category": "land", "content": "Đất", "citizen": ["name": "Nguyễn Văn B"]]
        #expect(code(try send("petition.submit", submit, as: clerkB)) == "out_of_scope", "a clerk of B records nothing at A's session")
        let petition = try #require(try send("petition.submit", submit, as: clerkA)?["id"] as? String)
        let refer: [String: Any] = ["petitionId": petition, "department": "Phòng Kinh tế", "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15]
        #expect(code(try send("petition.refer", refer, as: chairB)) == "out_of_scope", "the chair of B cannot refer A's petition")
        #expect(code(try send("petition.note", ["petitionId": petition, "text": "Ghi chú"], as: clerkB)) == "out_of_scope")
        let referred = try send("petition.refer", refer, as: chairA)
        #expect(referred?["ok"] as? Bool == true, "\(referred ?? [:])")
        #expect(code(try send("petition.extend", ["petitionId": petition, "approver": "Trần Văn B", "decision": "QĐ 1"], as: chairB)) == "out_of_scope")

        // The province's officials sit above both communes.
        let note = try send("petition.note", ["petitionId": petition, "text": "Tỉnh theo dõi"], as: system.official(.clerk))
        #expect(note?["ok"] as? Bool == true, "a clerk of the province acts on its communes: \(note ?? [:])")
    }

    @Test("an officer of a department acts only on its own unit's petitions: a department of the same name in another commune is not theirs")
    func anOfficerOfANamesakeDepartmentInAnotherCommuneCannotTakeItsPetitions() throws {
        let system = try TestSystem()
        try system.start()
        try system.person("Trần Văn A")
        let clerkB = try system.official(.clerk, unit: "Xã Bình Minh")
        let own = try system.official(.departmentOfficer, department: "Phòng Kinh tế", unit: "Xã Bình Minh")
        let namesake = try system.official(.departmentOfficer, department: "Phòng Kinh tế", unit: "Xã An Bình")
        func send(_ type: String, _ fields: [String: Any], as official: TestSystem.Official? = nil) throws -> [String: Any]? {
            if let official { return try system.request(system.endpoints.commands, TestSystem.command(type, fields), as: official) }
            return try system.send(type, fields)
        }
        let session = try #require(try send("session.open", ["unit": "Xã Bình Minh", "title": "Đối thoại", "chair": "Trần Văn A"], as: clerkB)?["id"] as? String)
        let petition = try #require(try send("petition.submit", ["sessionId": session, "kind": "report", "category": "land", "content": "Đất",
                                                                 "citizen": ["name": "Nguyễn Văn B"]], as: clerkB)?["id"] as? String)
        _ = try send("petition.refer", ["petitionId": petition, "department": "Phòng Kinh tế", "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15])
        for type in ["petition.accept", "petition.note"] {
            var fields: [String: Any] = ["petitionId": petition]
            if type == "petition.note" { fields["text"] = "Ghi chú" }
            let refused = try send(type, fields, as: namesake)
            #expect(code(refused) == "out_of_scope" && message(refused).contains("department officer"), "\(type): \(refused ?? [:])")
        }
        #expect(try send("petition.accept", ["petitionId": petition], as: own)?["ok"] as? Bool == true, "the department of the petition's commune takes it")
        #expect(try send("petition.note", ["petitionId": petition, "text": "Đang xử lý"], as: own)?["ok"] as? Bool == true)
    }

    @Test("an unknown unit, department or official is refused with the closest registered ones, diacritics and case ignored")
    func unknownUnitsAndDepartmentsAreRefusedWithSuggestions() throws {
        let system = try TestSystem()
        try system.start()
        for person in ["Trần Văn A", "Trần Văn B", "B", "C"] { try system.person(person) }
        try system.registerCommune("Xã Vũ Hội")
        try system.department("Phòng Tài nguyên và Môi trường")
        let clerk = try system.official(.clerk)
        let unknown = try system.request(system.endpoints.commands,
                                         TestSystem.command("session.open", ["unit": "xa vu hoi moi", "title": "T", "chair": "C"]), as: clerk)
        #expect(code(unknown) == "not_registered", "\(unknown ?? [:])")
        #expect(message(unknown).contains("Xã Vũ Hội"), "names the closest unit: \(message(unknown))")
        // The chair the minutes name is a registered official too.
        let unknownChair = try system.request(system.endpoints.commands,
                                              TestSystem.command("session.open", ["unit": "Xã Vũ Hội", "title": "T", "chair": "Tran Van Z"]), as: clerk)
        #expect(code(unknownChair) == "not_registered", "\(unknownChair ?? [:])")
        #expect(message(unknownChair).contains("chair") && message(unknownChair).contains("Trần Văn A"), "names the closest official: \(message(unknownChair))")
        // Its name, typed without diacritics, is the unit.
        let session = try #require(try system.request(system.endpoints.commands,
                                   TestSystem.command("session.open", ["unit": "xa vu hoi", "title": "T", "chair": "C"]), as: clerk))
        #expect(session["ok"] as? Bool == true, "\(session)")
        let event = try system.events("session.opened.v3").last?["data"] as? [String: Any]
        #expect(event?["unit"] as? String == "Xã Vũ Hội", "the registered name is recorded, not what was typed")
        #expect(event?["unitCode"] as? String != nil)

        let petition = try #require(try system.send("petition.submit", ["sessionId": session["id"]!, "kind": "report", "category": "land",
                                                                       "content": "Đất", "citizen": ["name": "Nguyễn Văn B"]])["id"] as? String)
        let refer = try system.request(system.endpoints.commands, TestSystem.command("petition.refer", [
            "petitionId": petition, "department": "Phong Tai nguyen moi truong", "assignee": "A", "by": "B", "days": 15]), as: system.official(.chair))
        #expect(code(refer) == "not_registered", "\(refer ?? [:])")
        #expect(message(refer).contains("Phòng Tài nguyên và Môi trường"), "names the closest department: \(message(refer))")
        let byCode = try system.request(system.endpoints.commands, TestSystem.command("petition.refer", [
            "petitionId": petition, "department": try system.department("Phòng Tài nguyên và Môi trường"), "assignee": "A", "by": "B", "days": 15]),
            as: system.official(.chair))
        #expect(byCode?["ok"] as? Bool == true, "a department named by its code: \(byCode ?? [:])")
        let referred = try system.events("petition.referred.v3").last?["data"] as? [String: Any]
        #expect(referred?["department"] as? String == "Phòng Tài nguyên và Môi trường", "the holder is the registered name")
    }

    @Test("a supervisor's queries answer only for their unit and those below it; the province's supervisor sees every commune, the administrator none")
    func queriesAreScopedToTheCallersSubtree() throws {
        let system = try TestSystem()
        try system.start()
        for person in ["Trần Văn A", "Trần Văn B", "B", "C"] { try system.person(person) }
        var petitions: [String: String] = [:]
        for unit in ["Xã An Bình", "Xã Bình Minh"] {
            let clerk = try system.official(.clerk, unit: unit)
            let session = try #require(try system.request(system.endpoints.commands,
                TestSystem.command("session.open", ["unit": unit, "title": "Đối thoại", "chair": "Trần Văn A"]), as: clerk)?["id"] as? String)
            let reply = try #require(try system.request(system.endpoints.commands, TestSystem.command("petition.submit", [
                "sessionId": session, "kind": "report", "category": "land", "content": "Đường xuống cấp", "citizen": ["name": "Nguyễn Văn B"]]), as: clerk))
            petitions[unit] = try #require(reply["id"] as? String)
        }
        let head = try system.history().count
        func ask(_ body: [String: Any], as official: TestSystem.Official) throws -> [String: Any] {
            var body = body
            body["minPosition"] = head
            return try #require(try system.request(system.endpoints.queries, body, as: official))
        }
        func ids(_ reply: [String: Any]) -> Set<String> { Set((reply["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String }) }
        let inspectorA = try system.official(.supervisor, unit: "Xã An Bình")
        #expect(ids(try ask(["type": "outstanding"], as: inspectorA)) == [petitions["Xã An Bình"]!])
        #expect(ids(try ask(["type": "search", "text": "duong"], as: inspectorA)) == [petitions["Xã An Bình"]!])
        let sessions = try ask(["type": "sessions"], as: inspectorA)
        #expect((sessions["items"] as? [[String: Any]])?.compactMap { $0["unit"] as? String } == ["Xã An Bình"], "\(sessions)")
        let other = try ask(["type": "petition.get", "petitionId": petitions["Xã Bình Minh"]!], as: inspectorA)
        #expect(code(other) == "not_found", "another commune's petition is not there for them: \(other)")
        let asked = try ask(["type": "outstanding", "unit": "Xã Bình Minh"], as: inspectorA)
        #expect(ids(asked).isEmpty, "asking for another commune by name finds nothing: \(asked)")

        let province = try system.official(.supervisor)
        #expect(ids(try ask(["type": "outstanding"], as: province)) == Set(petitions.values))
        #expect(ids(try ask(["type": "outstanding"], as: system.official(.administrator))).isEmpty, "the administrator keeps the registry, not petitions")
    }

    @Test("units merged into one: the successor's officials act on and see what the predecessors held, a retired unit holds no conference, a renamed unit keeps its petitions")
    func mergedRetiredAndRenamedUnits() throws {
        let system = try TestSystem()
        try system.start()
        for person in ["Trần Văn A", "B"] { try system.person(person) }
        try system.department("Phòng Kinh tế")
        let clerkA = try system.official(.clerk, unit: "Xã Cũ"), clerkC = try system.official(.clerk, unit: "Xã Mới")
        let chairC = try system.official(.chair, unit: "Xã Mới"), inspectorC = try system.official(.supervisor, unit: "Xã Mới")
        let codeA = try #require(try system.registerCommune("Xã Cũ")), codeC = try #require(try system.registerCommune("Xã Mới"))
        func submit(_ unit: String, as clerk: TestSystem.Official) throws -> String {
            let session = try #require(try system.request(system.endpoints.commands,
                TestSystem.command("session.open", ["unit": unit, "title": "Đối thoại", "chair": "Trần Văn A"]), as: clerk)?["id"] as? String)
            return try #require(try system.request(system.endpoints.commands, TestSystem.command("petition.submit", [
                "sessionId": session, "kind": "report", "category": "land", "content": "Đường", "citizen": ["name": "Nguyễn Văn B"]]), as: clerk)?["id"] as? String)
        }
        let fromA = try submit("Xã Cũ", as: clerkA), fromC = try submit("Xã Mới", as: clerkC)
        let refer: [String: Any] = ["petitionId": fromA, "department": "Phòng Kinh tế", "assignee": "A", "by": "Trần Văn A", "days": 15]
        #expect(code(try system.request(system.endpoints.commands, TestSystem.command("petition.refer", refer), as: chairC)) == "out_of_scope")

        try system.admin(Commands.MergeUnits(predecessors: [codeA], into: codeC), id: "merge-1")
        let referred = try system.request(system.endpoints.commands, TestSystem.command("petition.refer", refer), as: chairC)
        #expect(referred?["ok"] as? Bool == true, "the successor's chair acts on the predecessor's petition: \(referred ?? [:])")
        let again = try system.request(system.endpoints.commands,
                                       TestSystem.command("session.open", ["unit": "Xã Cũ", "title": "Đối thoại", "chair": "Trần Văn A"]), as: clerkA)
        #expect(code(again) == "invalid_input" && message(again).contains("retired") && message(again).contains("Xã Mới"), "\(again ?? [:])")

        try system.admin(Commands.RenameUnit(code: codeC, name: "Xã Mới Hợp Nhất"), id: "rename-1")
        let head = try system.history().count
        func outstanding() throws -> Set<String> {
            let reply = try #require(try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": head], as: inspectorC))
            return Set((reply["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String })
        }
        #expect(try outstanding() == [fromA, fromC], "the renamed successor's inspector sees its petitions under the old name and the predecessor's")
        let units = try system.ctl(["unit", "list", "--json"], as: system.official(.administrator))
        #expect(units.stdout.contains("Xã Mới Hợp Nhất"), "\(units.stdout)")

        // The merged commune's report counts what its predecessor held, and what it held under its earlier name.
        let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
        let report = try runTool("petitionctl", ["report", "--unit", "Xã Mới Hợp Nhất", "--period", year, "--format", "json", "--data-dir", system.dataDirectory])
        #expect(report.status == 0, "\(report.stderr)")
        #expect((report.json["total"] as? [String: Any])?["petitions"] as? Int == 2, "\(report.stdout)")
        let lines = (report.json["units"] as? [[String: Any]] ?? []).compactMap { $0["unit"] as? String }
        #expect(Set(lines).isSuperset(of: ["Xã Mới Hợp Nhất", "Xã Cũ", "Xã Mới"]), "\(lines)")
    }
}
