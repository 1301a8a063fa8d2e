import Accounts
import EventSourcing
import Foundation
import HTTPTypes
import Hummingbird
import Messaging
import PetitionDomain

/// The administrator's page (`Quản trị`): the registry as it stands (units, their departments, officials with their
/// roles, keys and logins) and its forms, each sent to the gateway as the registry's command on the administrator's
/// behalf (the gateway refuses anyone else), or, for a login, set in the API's own accounts with a password drawn
/// here and shown once.
extension WebApp {
    /// Each form of the page: its path segment, the command it sends and the fields it reads.
    static let adminForms: [String: (type: String, fields: [String])] = [
        "don-vi": ("unit.register", ["code", "name", "kind", "parent"]),
        "doi-ten-don-vi": ("unit.rename", ["code", "name"]),
        "co-quan": ("department.register", ["unit", "code", "name"]),
        // `department` is the choice `unit/code`, split into the command's unit and code.
        "doi-ten-co-quan": ("department.rename", ["department", "name"]),
        "can-bo": ("official.appoint", ["name", "unit", "department", "role"]),
        "cap-vai-tro": ("official.grant", ["officialId", "role"]),
        "thu-vai-tro": ("official.revoke", ["officialId", "role", "reason"]),
        "ngung": ("official.deactivate", ["officialId", "reason"]),
        "thu-hoi-khoa": ("credential.revoke", ["publicKey", "reason"]),
    ]

    func adminRoutes(_ router: Router<APIRequestContext>) {
        router.get("quan-tri") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            guard caller.roles.contains(.administrator) else { return notAdministrator(request, caller) }
            return try await adminPage(request, caller: caller, notice: nil, error: nil)
        }
        router.post("quan-tri/:form") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            guard caller.roles.contains(.administrator) else { return notAdministrator(request, caller) }
            let form = try await Self.formFields(request)
            guard Self.csrfMatches(request, form["csrf"]) else { return try await adminPage(request, caller: caller, notice: nil, error: Self.staleForm, status: .forbidden) }
            let name = HTTPJSON.decoded(try context.parameters.require("form"))
            func field(_ name: String) -> String? { form[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
            if name == "dang-nhap" { return try await setLogin(request, caller: caller, officialId: field("officialId") ?? "", login: field("login") ?? "") }
            guard let (type, names) = Self.adminForms[name] else { throw Problem.notFound("no form \(name)") }
            var fields: [String: Any] = [:]
            for n in names { if let v = field(n) { fields[n] = v } }
            if let role = fields.removeValue(forKey: "role"), type == "official.appoint" { fields["roles"] = [role] } else if let role = field("role") { fields["role"] = role }
            if type == "department.rename", let ref = fields.removeValue(forKey: "department") as? String, let slash = ref.firstIndex(of: "/") {
                fields["unit"] = String(ref[..<slash]); fields["code"] = String(ref[ref.index(after: slash)...])
            }
            do {
                let reply = try await api.command(type, fields, caller: caller, idempotencyKey: field("entry"), expectedVersion: nil)
                if let position = (reply["position"] as? NSNumber)?.int64Value { api.wrote(position) }
                _ = try await api.registry(fresh: true)
                let made = (reply["id"] as? String).map { " (\($0))" } ?? ""
                return try await adminPage(request, caller: caller, notice: "Đã ghi: \(Self.adminNames[type] ?? type)\(made).", error: nil)
            } catch let problem as Problem {
                return try await adminPage(request, caller: caller, notice: nil, error: "Chưa ghi được: \(Self.vietnamese(problem))", status: problem.status)
            }
        }
    }

    static let adminNames = ["unit.register": "đơn vị mới", "unit.rename": "đổi tên đơn vị", "department.register": "cơ quan chuyên môn mới", "department.rename": "đổi tên cơ quan",
                             "official.appoint": "cán bộ mới", "official.grant": "cấp vai trò", "official.revoke": "thu hồi vai trò",
                             "official.deactivate": "ngừng hoạt động cán bộ", "credential.revoke": "thu hồi khóa"]

    func notAdministrator(_ request: Request, _ caller: Caller) -> Response {
        var response = page("message", ["title": "Không có quyền", "message": "Trang quản trị dành cho quản trị viên."], caller: caller, request: request)
        response.status = .forbidden
        return response
    }

    /// A login for an official in office, with a password drawn here and shown once; their open sessions end.
    func setLogin(_ request: Request, caller: Caller, officialId: String, login: String) async throws -> Response {
        let registry = try await api.registry(fresh: true)
        guard let official = registry.official(acting: Delegation.officialPrefix + officialId) else {
            return try await adminPage(request, caller: caller, notice: nil, error: "Chưa cấp được: \(officialId) không phải cán bộ đang hoạt động.", status: .unprocessableContent)
        }
        let password = AccountStore.drawPassword()
        do {
            try api.accounts.setPassword(officialId: officialId, login: login, password: password)
        } catch let error as AccountError {
            return try await adminPage(request, caller: caller, notice: nil, error: "Chưa cấp được: tên đăng nhập chưa đúng (chi tiết: \(error.description)).",
                                       status: .unprocessableContent)
        }
        api.logger.notice("login set", metadata: ["official": "\(officialId)", "by": "\(caller.officialId)"])
        return try await adminPage(request, caller: caller, notice: "Đã cấp tên đăng nhập \(login) cho \(official.name).", error: nil,
                                   password: password)
    }

    func adminPage(_ request: Request, caller: Caller, notice: String?, error: String?, status: HTTPResponse.Status = .ok,
                   password: String? = nil) async throws -> Response {
        let registry = try await api.registry()
        let units = registry.units.values.sorted { ($0.parent ?? "", $0.code) < ($1.parent ?? "", $1.code) }
        let unitRows = units.map { u -> [String: Any] in
            [
                "code": u.code, "name": u.name, "kind": u.kind.vietnamese, "parent": u.parent.flatMap { registry.units[$0]?.name } ?? "—",
                "retired": registry.retired.contains(u.code),
                "departments": (registry.departments[u.code] ?? [:]).values.sorted { $0.code < $1.code }.map { "\($0.name) (\($0.code))" }.joined(separator: "; "),
            ]
        }
        var keys: [String: Int] = [:]
        for (key, credential) in registry.credentials where !credential.revoked { keys[credential.officialId, default: 0] += 1 }
        let officials = registry.officials.values.sorted { $0.officialId < $1.officialId }
        let officialRows = try officials.map { o -> [String: Any] in
            [
                "id": o.officialId, "name": o.name, "unit": registry.units[o.unit]?.name ?? (o.unit.isEmpty ? "—" : o.unit),
                "department": o.department.flatMap { registry.departments[o.unit]?[$0]?.name } ?? "—",
                "roles": o.roles.map(\.vietnamese).joined(separator: ", "), "active": !registry.inactive.contains(o.officialId),
                "keys": Self.number(keys[o.officialId] ?? 0), "login": try api.accounts.login(of: o.officialId) ?? "—",
            ]
        }
        let activeKeys = registry.credentials.filter { !$0.value.revoked }.sorted { $0.value.officialId < $1.value.officialId }.map { key, c -> [String: Any] in
            ["key": key, "label": "\(registry.officials[c.officialId]?.name ?? c.officialId) — \(key.prefix(12))…"]
        }
        var context: [String: Any] = [
            "title": "Quản trị", "units": unitRows, "officials": officialRows, "keys": activeKeys, "hasKeys": !activeKeys.isEmpty, "entry": Self.token(),
            "unitChoices": units.filter { !registry.retired.contains($0.code) }.map { ["code": $0.code, "name": $0.name] },
            "departmentChoices": units.flatMap { u in
                (registry.departments[u.code] ?? [:]).values.sorted { $0.code < $1.code }.map { ["ref": $0.ref, "name": "\($0.name) — \(u.name)"] }
            },
            "officialChoices": officials.filter { !registry.inactive.contains($0.officialId) }.map { ["id": $0.officialId, "name": $0.name] },
            "kinds": UnitKind.allCases.map { ["code": $0.rawValue, "name": $0.vietnamese] },
            "roles": Role.allCases.filter { $0 != .system }.map { ["code": $0.rawValue, "name": $0.vietnamese] },
        ]
        if let notice { context["notice"] = notice }
        if let error { context["error"] = error }
        if let password { context["password"] = password }
        var response = page("admin", context, caller: caller, request: request)
        response.status = status
        return response
    }
}
