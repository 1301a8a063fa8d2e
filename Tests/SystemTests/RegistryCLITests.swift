import Foundation
import Testing
import TestSupport

/// An administrator registers a province, a commune under it and its department through `petitionctl` and the real
/// gateway; the lists read them back from the log; wrong roles, codes and parents are refused with what to do.
@Suite(.serialized)
struct RegistryCLITests {
    @Test func anAdministratorRegistersUnitsAndDepartmentsAndTheListsShowThemUnderTheirParents() throws {
        let system = try TestSystem()
        try system.start()
        let admin = ["--role", "administrator", "--actor", "Quản trị viên", "--json"]
        let province = try system.ctl(["unit", "add", "--code", "34", "--name", "Tỉnh Hưng Yên", "--kind", "province"] + admin)
        #expect(province.status == 0, "\(province.stderr)")
        #expect(province.json["id"] as? String == "34")
        let commune = try system.ctl(["unit", "add", "--code", "26734", "--name", "Xã Vũ Thư", "--kind", "commune", "--parent", "34"] + admin)
        #expect(commune.status == 0, "\(commune.stderr)")
        let department = try system.ctl(["department", "add", "--unit", "26734", "--code", "TNMT", "--name", "Phòng Tài nguyên và Môi trường"] + admin)
        #expect(department.status == 0, "\(department.stderr)")
        #expect(department.json["id"] as? String == "26734/TNMT")

        // A parent given by (a mistyped form of) its name is refused with the registered unit it most likely means.
        let unknownParent = try system.ctl(["unit", "add", "--code", "26735", "--name", "Xã Vũ Tiến", "--kind", "commune",
                                            "--parent", "xa-vu-thu"] + admin)
        #expect(unknownParent.status == 1)
        #expect(unknownParent.stderr.contains("unit xa-vu-thu is not registered"), "\(unknownParent.stderr)")
        let misspelt = try system.ctl(["department", "add", "--unit", "Vu Thu", "--code", "KT", "--name", "Phòng Kinh tế"] + admin)
        #expect(misspelt.status == 1)
        #expect(misspelt.stderr.contains("did you mean 26734 (Xã Vũ Thư)"), "diacritics and case ignored: \(misspelt.stderr)")
        let underWard = try system.ctl(["unit", "add", "--code", "35", "--name", "Tỉnh Thái Bình", "--kind", "province", "--parent", "34"] + admin)
        #expect(underWard.stderr.contains("top-level unit"), "\(underWard.stderr)")
        let again = try system.ctl(["unit", "add", "--code", "34", "--name", "Tỉnh Khác", "--kind", "province"] + admin)
        #expect(again.json["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "already_registered")
        let badKind = try system.ctl(["unit", "add", "--code", "99", "--name", "Huyện X", "--kind", "huyen"] + admin)
        #expect(badKind.status == 1)
        #expect(badKind.stderr.contains("\"kind\" must be one of province, city, commune"), "\(badKind.stderr)")
        let asChair = try system.ctl(["unit", "add", "--code", "36", "--name", "Tỉnh Nam Định", "--kind", "province", "--role", "chair"])
        #expect(asChair.status == 1)
        #expect(asChair.stderr.contains("administrator"), "the refusal names the role that may: \(asChair.stderr)")

        let units = try system.ctl(["unit", "list"])
        #expect(units.status == 0, "\(units.stderr)")
        // (TEST is the tests' own unit, registered for the officials the tests act as.)
        let lines = units.stdout.split(separator: "\n").map(String.init).filter { !$0.contains("TEST") }
        #expect(lines.count == 3, "a header, the province, the commune: \(units.stdout)")
        #expect(lines[1].hasPrefix("34") && lines[2].contains("  Xã Vũ Thư"), "the commune indented under its province: \(units.stdout)")
        let departments = try system.ctl(["department", "list", "--unit", "26734", "--json"])
        #expect((departments.json["departments"] as? [[String: Any]])?.map { $0["code"] as? String } == ["TNMT"])

        // An official: registered, given a key pair whose secret half only their identity file (0600) holds.
        let file = (system.dataDirectory as NSString).appendingPathComponent("le-thi-b.identity")
        let added = try system.ctl(["official", "add", "--name", "Lê Thị B", "--unit", "26734", "--department", "TNMT",
                                    "--grant", "department_officer", "--identity-out", file] + admin)
        #expect(added.status == 0, "\(added.stderr)")
        let identity = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let officialId = try #require(added.json.isEmpty ? (identity["officialId"] as? String) : (identity["officialId"] as? String))
        #expect(officialId.hasPrefix("O") && officialId != "O000001", "O000001 is the first administrator")
        let publicKey = try #require(identity["publicKey"] as? String)
        #expect((identity["secretKey"] as? String)?.count == 40)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        let again2 = try system.ctl(["official", "add", "--name", "Lê Thị B", "--unit", "26734", "--grant", "clerk", "--identity-out", file] + admin)
        #expect(again2.status == 2 && again2.stderr.contains("exists"), "an identity file is never overwritten without --force: \(again2.stderr)")
        let noDepartment = try system.ctl(["official", "add", "--name", "Ngô Văn C", "--unit", "26734", "--department", "KT",
                                           "--grant", "department_officer", "--identity-out", file + "2"] + admin)
        #expect(noDepartment.stderr.contains("its departments: TNMT (Phòng Tài nguyên và Môi trường)"), "\(noDepartment.stderr)")
        var officials = try system.ctl(["official", "list", "--json"])
        var listed = try #require((officials.json["officials"] as? [[String: Any]])?.first { $0["name"] as? String == "Lê Thị B" })
        #expect(listed["roles"] as? [String] == ["department_officer"])
        #expect((listed["keys"] as? [[String: Any]])?.first?["publicKey"] as? String == publicKey)
        let events = try #require(try system.request(system.endpoints.history, ["type": "stream.read", "stream": "registry-main"])?["events"] as? [[String: Any]])
        let logText = String(decoding: try JSONSerialization.data(withJSONObject: events), as: UTF8.self)
        #expect(!logText.contains(identity["secretKey"] as! String), "the secret key never reaches the log")
        let revoked = try system.ctl(["official", "revoke-key", "--key", publicKey, "--reason", "Máy tính bị mất"] + admin)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        officials = try system.ctl(["official", "list", "--json"])
        listed = try #require((officials.json["officials"] as? [[String: Any]])?.first { $0["name"] as? String == "Lê Thị B" })
        #expect((listed["keys"] as? [[String: Any]])?.first?["revoked"] as? Bool == true)
    }
}
