import Foundation
import HTTPTypes
import Hummingbird
import PetitionDomain

/// A citizen's personal data over HTTP, for the clerk or chair who needs it: always by POST, so a name never
/// travels in a URL (nor in the access log, which keeps paths only), and every look recorded in the log first by
/// the gateway (`access.recorded.v1`: who, which petition or which people, why).
enum CitizenRoutes {
    static func routes(_ v1: RouterGroup<APIRequestContext>, api: PetitionAPI) {
        // Petitions by their citizen's name (diacritics and case ignored), with the other search filters.
        v1.post("search/citizens") { request, context in
            let caller = try await APIRoutes.authenticate(api, request, context)
            let body = try await APIRoutes.fields(request)
            let known: Set<String> = ["name", "purpose", "text", "category", "unit", "department", "limit"]
            if let unknown = body.keys.first(where: { !known.contains($0) }) {
                throw Problem.invalid(unknown, "is not a member of a search by citizen; it takes \(known.sorted().joined(separator: ", "))")
            }
            guard let name = body["name"] as? String, !name.isEmpty else { throw Problem.invalid("name", "is required: the citizen's name, or part of it") }
            guard let purpose = body["purpose"] as? String, !purpose.isEmpty else {
                throw Problem.invalid("purpose", "is required: why you look for a citizen by name (it is recorded with the search)")
            }
            let found = try await api.read(["type": "people.find", "name": name, "purpose": purpose, "limit": 100], caller: caller)
            var query: [String: Any] = ["personIds": found["personIds"] as? [String] ?? [], "minPosition": api.lastPosition]
            for member in ["text", "category", "unit", "department", "limit"] { if let v = body[member] { query[member] = v } }
            var reply = try await api.query("search", query, caller: caller)
            reply.removeValue(forKey: "ok")
            return HTTPJSON.response(reply, headers: [.cacheControl: "no-store"])
        }
    }

    /// `POST /api/v1/petitions/{id}/citizen`: a petition's citizen (name, address, phone), opened by the gateway once it
    /// has recorded the look.
    static func openCitizen(_ api: PetitionAPI, _ request: Request, caller: Caller, petitionId id: String) async throws -> Response {
        let body = try await APIRoutes.fields(request)
        if let unknown = body.keys.first(where: { $0 != "purpose" }) {
            throw Problem.invalid(unknown, "is not a member here; the body is {\"purpose\": why you open the citizen's data}")
        }
        guard let purpose = body["purpose"] as? String, !purpose.isEmpty else {
            throw Problem.invalid("purpose", "is required: why you open the citizen's personal data (it is recorded)")
        }
        let petition = try await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller)
        let person = (petition["petition"] as? [String: Any])?["personId"] as? String
        let stream = try await api.read(["type": "stream.read", "stream": "petition-\(id)", "reveal": true, "purpose": purpose], caller: caller)
        guard let person, let data = (stream["personalData"] as? [String: Any])?[person] else {
            throw Problem(.gone, code: ErrorCode.erased.rawValue, "petition \(id)'s citizen was erased (person.forget); their name, address and phone are gone for good")
        }
        return HTTPJSON.response(["petitionId": id, "personId": person, "citizen": data], headers: [.cacheControl: "no-store"])
    }
}
