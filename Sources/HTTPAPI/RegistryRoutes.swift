import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Messaging
import PetitionDomain

/// The registry's commands over HTTP (units, departments, officials), a login for an official, and erasing a
/// citizen's personal data: each sent to the gateway on behalf of the official logged in, who must hold the role
/// the gateway asks for (an administrator for the registry), exactly as with their own key.
enum RegistryRoutes {
    /// `POST /api/v1/units/{code}/{action}`: the unit's code comes from the URL.
    static let unitActions = ["rename": "unit.rename", "retire": "unit.retire"]
    /// `POST /api/v1/officials/{id}/{action}`: the official's id comes from the URL; grant and revoke carry `role`.
    static let officialActions = ["grant": "official.grant", "revoke": "official.revoke", "deactivate": "official.deactivate",
                                  "transfer": "official.transfer"]

    static func routes(_ v1: RouterGroup<APIRequestContext>, api: PetitionAPI) {
        for (path, type) in [("units", "unit.register"), ("units/merge", "unit.merge"), ("departments", "department.register"),
                             ("officials", "official.appoint")] {
            v1.post(RouterPath(path)) { request, context in
                let caller = try await APIRoutes.authenticate(api, request, context)
                let reply = try await APIRoutes.command(api, type, try await APIRoutes.fields(request), caller: caller, request: request)
                return HTTPJSON.response(reply, status: type == "unit.merge" ? .ok : .created)
            }
        }
        v1.post("units/:code/:action") { request, context in
            let caller = try await APIRoutes.authenticate(api, request, context)
            let action = HTTPJSON.decoded(try context.parameters.require("action"))
            guard let type = unitActions[action] else {
                throw Problem.notFound("no action \(action) on a unit; the actions are \(unitActions.keys.sorted().joined(separator: ", ")), and POST /api/v1/units/merge")
            }
            var body = try await APIRoutes.fields(request)
            if body["code"] != nil { throw Problem.invalid("code", "is given by the URL; remove it from the body") }
            body["code"] = HTTPJSON.decoded(try context.parameters.require("code"))
            return HTTPJSON.response(try await APIRoutes.command(api, type, body, caller: caller, request: request))
        }
        // `POST /api/v1/departments/{unit}/{code}/rename`: the department's unit and code come from the URL.
        v1.post("departments/:unit/:code/rename") { request, context in
            let caller = try await APIRoutes.authenticate(api, request, context)
            var body = try await APIRoutes.fields(request)
            for member in ["unit", "code"] where body[member] != nil { throw Problem.invalid(member, "is given by the URL; remove it from the body") }
            body["unit"] = HTTPJSON.decoded(try context.parameters.require("unit"))
            body["code"] = HTTPJSON.decoded(try context.parameters.require("code"))
            return HTTPJSON.response(try await APIRoutes.command(api, "department.rename", body, caller: caller, request: request))
        }
        v1.post("officials/:id/:action") { request, context in
            let caller = try await APIRoutes.authenticate(api, request, context)
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            let action = HTTPJSON.decoded(try context.parameters.require("action"))
            if action == "password" { return try await password(api, request, caller: caller, officialId: id) }
            guard let type = officialActions[action] else {
                throw Problem.notFound("no action \(action) on an official; the actions are \((officialActions.keys + ["password"]).sorted().joined(separator: ", "))")
            }
            var body = try await APIRoutes.fields(request, allowing: type == "official.grant" || type == "official.revoke" ? ["role"] : [])
            if body["officialId"] != nil { throw Problem.invalid("officialId", "is given by the URL; remove it from the body") }
            body["officialId"] = id
            return HTTPJSON.response(try await APIRoutes.command(api, type, body, caller: caller, request: request))
        }
    }

    /// `POST /api/v1/petitions/{id}/forget-citizen`: erase the petition's citizen for good (name, address, phone).
    static func forgetCitizen(_ api: PetitionAPI, _ request: Request, caller: Caller, petitionId id: String) async throws -> Response {
        var body = try await APIRoutes.fields(request)
        if body["personId"] != nil { throw Problem.invalid("personId", "is the petition's citizen, found from the URL; remove it from the body") }
        let petition = try await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller)
        guard let person = (petition["petition"] as? [String: Any])?["personId"] as? String else {
            throw Problem(.conflict, code: ErrorCode.invalidTransition.rawValue, "petition \(id) records no citizen to forget")
        }
        body["personId"] = person
        return HTTPJSON.response(try await APIRoutes.command(api, "person.forget", body, caller: caller, request: request))
    }

    /// `POST /api/v1/officials/{id}/password`: an administrator gives an official in office a login and a password
    /// drawn here (shown once in the reply); their sessions end. The API's own credentials, not a gateway command.
    static func password(_ api: PetitionAPI, _ request: Request, caller: Caller, officialId: String) async throws -> Response {
        guard caller.roles.contains(.administrator) else {
            throw Problem(.forbidden, code: ErrorCode.notPermitted.rawValue, "only an administrator gives logins")
        }
        let body = try await APIRoutes.fields(request)
        guard let login = body["login"] as? String, !login.isEmpty else {
            throw Problem.invalid("login", "is required: 3 to 64 of a-z 0-9 . _ -")
        }
        let registry = try await api.registry(fresh: true)
        guard let official = registry.official(acting: Delegation.officialPrefix + officialId) else {
            throw Problem(.notFound, code: ErrorCode.notFound.rawValue, "\(officialId) is not a registered official in office")
        }
        let password = AccountStore.drawPassword()
        do {
            try api.accounts.setPassword(officialId: officialId, login: login, password: password)
        } catch let error as AccountError {
            throw Problem(.unprocessableContent, code: ErrorCode.invalidValue.rawValue, error.description)
        }
        api.logger.notice("login set", metadata: ["official": "\(officialId)", "by": "\(caller.officialId)"])
        return HTTPJSON.response(["officialId": officialId, "name": official.name, "login": login, "password": password],
                                 headers: [.cacheControl: "no-store"])
    }
}
