import Foundation
import Testing
import TestSupport

/// The registry kept over HTTP by an administrator (units, departments, officials, logins), and a citizen erased
/// by a chair: each a gateway command on the official's behalf, refused to anyone the gateway refuses.
@Suite("petition-api: the registry kept over HTTP, a citizen erased", .serialized)
struct RegistryWritesTests {
    @Test func anAdministratorRegistersACommuneItsDepartmentAndAnOfficialWhoThenLogsIn() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let admin = try system.login(try system.official(.administrator))
        try system.registerUnit(TestSystem.unit)

        let unit = try admin.post("/api/v1/units", ["code": "TEST-HTTP", "name": "Xã Qua Mạng", "kind": "commune", "parent": TestSystem.unit])
        #expect(unit.status == 201, "\(unit.text)")
        let department = try admin.post("/api/v1/departments", ["unit": "TEST-HTTP", "code": "VP", "name": "Văn phòng HĐND và UBND"])
        #expect(department.status == 201, "\(department.text)")
        let appointed = try admin.post("/api/v1/officials", ["name": "Lê Thị Mai", "unit": "TEST-HTTP", "roles": ["clerk"]],
                                       headers: ["Idempotency-Key": "appoint-mai"])
        #expect(appointed.status == 201, "\(appointed.text)")
        let id = try #require(appointed.json["id"] as? String)
        #expect(try admin.post("/api/v1/officials/\(id)/grant", ["role": "chair"]).status == 200)
        #expect(try admin.post("/api/v1/units/TEST-HTTP/rename", ["name": "Xã Qua Mạng Mới"]).status == 200)
        let renamed = try admin.post("/api/v1/departments/TEST-HTTP/VP/rename", ["name": "Văn phòng UBND xã"])
        #expect(renamed.status == 200 && renamed.json["id"] as? String == "TEST-HTTP/VP", "\(renamed.text)")
        let bodyCode = try admin.post("/api/v1/departments/TEST-HTTP/VP/rename", ["name": "Văn phòng", "code": "VP"])
        #expect(bodyCode.status == 422, "the URL names the department: \(bodyCode.text)")

        // A login drawn for her, shown once; with it she acts as herself.
        let login = try admin.post("/api/v1/officials/\(id)/password", ["login": "mai.le"])
        #expect(login.status == 200 && login.header("Cache-Control") == "no-store", "\(login.text)")
        let password = try #require(login.json["password"] as? String)
        let mai = HTTPClient(base: system.apiBase)
        let session = try mai.post("/api/v1/login", ["login": "mai.le", "password": password])
        #expect(session.status == 200 && session.json["officialId"] as? String == id, "\(session.text)")
        mai.token = session.json["token"] as? String
        #expect(try mai.get("/api/v1/me").json["roles"] as? [String] == ["clerk", "chair"])

        // The registry reads show it, renamed.
        let units = try admin.get("/api/v1/units").json["units"] as? [[String: Any]] ?? []
        #expect(units.contains { $0["code"] as? String == "TEST-HTTP" && $0["name"] as? String == "Xã Qua Mạng Mới" }, "\(units)")
        let departments = try admin.get("/api/v1/departments?unit=TEST-HTTP").json["departments"] as? [[String: Any]] ?? []
        #expect(departments.map { $0["code"] as? String } == ["VP"] && departments.first?["name"] as? String == "Văn phòng UBND xã", "\(departments)")

        // Whoever the gateway refuses, the API refuses: a clerk cannot register, nor give logins.
        let refusedUnit = try mai.post("/api/v1/units", ["code": "TEST-NO", "name": "Xã Không", "kind": "commune", "parent": TestSystem.unit])
        #expect(refusedUnit.status == 403 && refusedUnit.json["code"] as? String == "not_permitted", "\(refusedUnit.text)")
        #expect(try mai.post("/api/v1/officials/\(id)/password", ["login": "mai.khac"]).status == 403)
        // Unknown ids and actions say so.
        #expect(try admin.post("/api/v1/officials/O999999/grant", ["role": "chair"]).status == 422)
        #expect(try admin.post("/api/v1/officials/\(id)/promote", [:]).status == 404)
        let notFound = try admin.post("/api/v1/units/TEST-NOWHERE/rename", ["name": "X"])
        #expect(notFound.status == 422 && notFound.json["code"] as? String == "not_registered", "\(notFound.text)")

        // Roles withdrawn, a transfer, a deactivation; two communes merged and one retired.
        #expect(try admin.post("/api/v1/officials/\(id)/revoke", ["role": "chair", "reason": "Hết nhiệm kỳ"]).status == 200)
        #expect(try admin.post("/api/v1/officials/\(id)/transfer", ["unit": TestSystem.unit, "reason": "Điều động về tỉnh"]).status == 200)
        let moved = (try admin.get("/api/v1/officials").json["officials"] as? [[String: Any]])?.first { $0["officialId"] as? String == id }
        #expect(moved?["roles"] as? [String] == ["clerk"] && moved?["unit"] as? String == TestSystem.unit, "\(moved ?? [:])")
        #expect(try admin.post("/api/v1/officials/\(id)/deactivate", ["reason": "Nghỉ hưu"]).status == 200)
        #expect(try mai.get("/api/v1/me").status == 401, "a deactivated official's session no longer works")
        #expect(try admin.post("/api/v1/units", ["code": "TEST-HTTP2", "name": "Xã Bên Sông", "kind": "commune", "parent": TestSystem.unit]).status == 201)
        #expect(try admin.post("/api/v1/units", ["code": "TEST-HTTP3", "name": "Xã Hợp Nhất", "kind": "commune", "parent": TestSystem.unit]).status == 201)
        let merged = try admin.post("/api/v1/units/merge", ["predecessors": ["TEST-HTTP", "TEST-HTTP2"], "into": "TEST-HTTP3"])
        #expect(merged.status == 200, "\(merged.text)")
        #expect(try admin.post("/api/v1/units", ["code": "TEST-HTTP4", "name": "Xã Tạm", "kind": "commune", "parent": TestSystem.unit]).status == 201)
        #expect(try admin.post("/api/v1/units/TEST-HTTP4/retire", ["reason": "Không còn dân cư"]).status == 200)
        let retired = (try admin.get("/api/v1/units").json["units"] as? [[String: Any]] ?? []).filter { $0["retired"] as? Bool == true }.compactMap { $0["code"] as? String }
        #expect(Set(retired).isSuperset(of: ["TEST-HTTP", "TEST-HTTP2", "TEST-HTTP4"]), "\(retired)")
    }

    @Test func aChairErasesAPetitionsCitizenAndTheirNameIsGoneFromWhatTheLogReveals() throws {
        let w = try APIBasicsTests.world()
        let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)).json["id"] as? String)
        let chair = try w.system.login(try w.system.official(.chair, unit: w.commune))
        let forgot = try chair.post("/api/v1/petitions/\(id)/forget-citizen", ["by": "Trần Văn A", "reason": "Đơn đề nghị xóa dữ liệu"])
        #expect(forgot.status == 200, "\(forgot.text)")
        #expect(try w.system.history().contains { $0["type"] as? String == "person.forgotten.v1" })
        let again = try chair.post("/api/v1/petitions/\(id)/forget-citizen", ["by": "Trần Văn A", "reason": "Lần nữa"])
        #expect(again.status == 409 && again.json["code"] as? String == "already_forgotten", "\(again.text)")
        let withId = try chair.post("/api/v1/petitions/\(id)/forget-citizen", ["by": "Trần Văn A", "reason": "x", "personId": "someone"])
        #expect(withId.status == 422 && (withId.json["detail"] as? String)?.contains("personId") == true)
    }
}
