import EventSourcing
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PetitionDomain

/// Open311 GeoReport v2 under `/open311/v2`: the standard interface civic issue trackers and portals speak.
///
/// Services are the fields (lĩnh vực) a petition concerns; `jurisdiction_id` is a registered unit's code; a
/// service request is a petition. Every resource answers in JSON (`.json`) and XML (`.xml`), errors as the
/// spec's list of `{code, description}`. Reading and posting requests take an `api_key` (`petitionctl official
/// api-key`): it acts as the registered official that stands for the agency's program, so the gateway's roles
/// and scopes apply as to anyone. No citizen's name, address, phone or e-mail is ever in the output.
enum Open311 {
    enum Format: String { case json, xml }

    /// A resource name with its format: `services.json` → ("services", .json).
    static func split(_ file: String) throws -> (name: String, format: Format) {
        // The format is what follows the last dot, so `0.5.xml` is the resource `0.5`, asked for in XML.
        guard let dot = file.lastIndex(of: "."), let format = Format(rawValue: file[file.index(after: dot)...].lowercased()), dot > file.startIndex else {
            throw Open311Error(.notFound, "ask for a resource as NAME.json or NAME.xml, got \(file)", format: .json)
        }
        return (String(file[..<dot]), format)
    }

    /// Each field with its description, in Vietnamese (its name is the domain's, `PetitionCategory.vietnamese`).
    static let services: [(PetitionCategory, String)] = [
        (.land, "Quản lý, sử dụng đất, bồi thường, giải phóng mặt bằng"),
        (.environment, "Ô nhiễm, rác thải, nước thải"),
        (.agriculture, "Sản xuất nông nghiệp, chăn nuôi, thủy sản"),
        (.transport, "Đường sá, cầu cống, phương tiện"),
        (.irrigation, "Kênh mương, đê điều, tưới tiêu"),
        (.trafficSafety, "Biển báo, đèn tín hiệu, điểm đen tai nạn"),
        (.infrastructure, "Điện, nước sạch, chiếu sáng, công trình công cộng"),
        (.socialPolicy, "Bảo trợ xã hội, người có công, hộ nghèo, bảo hiểm"),
        (.culture, "Trường học, trạm y tế, thiết chế văn hóa"),
        (.administrativeProcedure, "Hồ sơ, giấy tờ, thời gian giải quyết"),
        (.securityOrder, "Trật tự công cộng, an ninh khu dân cư"),
        (.other, "Những kiến nghị, phản ánh khác"),
    ]

    static func routes(_ router: Router<APIRequestContext>, api: PetitionAPI) {
        let v2 = router.group("open311/v2")
        v2.get(":file") { request, context in
            let (name, format) = try split(HTTPJSON.decoded(try context.parameters.require("file")))
            return try await run(format) {
                switch name {
                case "services":
                    let jurisdiction = try await self.jurisdiction(request, api: api, format: format)
                    return .list("services", "service", services.map { category, description in
                        [("service_code", category.rawValue), ("service_name", category.vietnamese), ("description", description), ("metadata", false),
                         ("type", "realtime"), ("keywords", category.rawValue.replacingOccurrences(of: "_", with: " ")), ("group", jurisdiction?.name ?? "")]
                    })
                case "requests":
                    return try await list(request, api: api, format: format)
                case "discovery":
                    return .object("discovery", [("changeset", "2026-12-03T00:00:00+07:00"), ("contact", "Văn phòng HĐND và UBND"),
                                                  ("key_service", "petitionctl official api-key")])
                default:
                    throw Open311Error(.notFound, "no resource \(name); Open311 here has services, requests, requests/{id}, tokens/{token}", format: format)
                }
            }
        }
        v2.get("services/:file") { _, context in
            let (code, format) = try split(HTTPJSON.decoded(try context.parameters.require("file")))
            return try await run(format) {
                guard let category = PetitionCategory(rawValue: code) else {
                    throw Open311Error(.notFound, "no service \(code); see services.\(format.rawValue)", format: format)
                }
                return .object("service_definition", [("service_code", category.rawValue), ("attributes", [String]())])
            }
        }
        v2.get("requests/:file") { request, context in
            let (id, format) = try split(HTTPJSON.decoded(try context.parameters.require("file")))
            return try await run(format) {
                let caller = try await key(request, api: api, format: format, body: [:])
                let reply = try await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller)
                guard let petition = reply["petition"] as? [String: Any] else { throw Open311Error(.notFound, "no request \(id)", format: format) }
                return .list("service_requests", "request", [serviceRequest(petition)])
            }
        }
        v2.get("tokens/:file") { request, context in
            let (token, format) = try split(HTTPJSON.decoded(try context.parameters.require("file")))
            return try await run(format) {
                let caller = try await key(request, api: api, format: format, body: [:])
                guard let code = TrackingCode.canonical(token) else { throw Open311Error(.badRequest, "a token is the tracking code the request was given", format: format) }
                // Within the key's units, like every request it reads.
                let reply: [String: Any]
                do { reply = try await api.query("petition.get", ["trackingCode": code, "minPosition": api.lastPosition], caller: caller) } catch let problem as Problem where problem.status == .notFound {
                    throw Open311Error(.notFound, "no request has the token \(code)", format: format)
                }
                guard let id = (reply["petition"] as? [String: Any])?["petitionId"] as? String else {
                    throw Open311Error(.notFound, "no request has the token \(code)", format: format)
                }
                return .list("service_requests", "request", [[("service_request_id", id), ("token", code)]])
            }
        }
        v2.post(":file") { request, context in
            let (name, format) = try split(HTTPJSON.decoded(try context.parameters.require("file")))
            return try await run(format) {
                guard name == "requests" else { throw Open311Error(.notFound, "only requests.\(format.rawValue) takes a POST", format: format) }
                return try await post(request, api: api, format: format)
            }
        }
    }

    // MARK: - Requests

    /// `GET requests.json`: the standard filters, within the key's units; newest first, at most 1000, the last 90 days by default.
    static func list(_ request: Request, api: PetitionAPI, format: Format) async throws -> Node {
        let q = request.uri.queryParameters
        let known: Set<String> = ["api_key", "jurisdiction_id", "service_request_id", "service_code", "start_date", "end_date", "status"]
        if let unknown = q.first(where: { !known.contains(String($0.key)) }) {
            throw Open311Error(.badRequest, "unknown parameter \(unknown.key); requests takes \(known.sorted().joined(separator: ", "))", format: format)
        }
        let caller = try await key(request, api: api, format: format, body: [:])
        if let ids = q.get("service_request_id") {
            var found: [[(String, Any)]] = []
            for id in ids.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }).prefix(100) {
                if let reply = try? await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller),
                   let petition = reply["petition"] as? [String: Any] { found.append(serviceRequest(petition)) }
            }
            return .list("service_requests", "request", found)
        }
        var unit = try await jurisdiction(request, api: api, format: format)
        if unit == nil { unit = try await api.registry().units[caller.unit] }
        guard let unit else { throw Open311Error(.badRequest, "jurisdiction_id is required: the code of a registered unit", format: format) }
        var fields: [String: Any] = ["unit": unit.name, "limit": 10_000, "minPosition": api.lastPosition]
        if let code = q.get("service_code") {
            guard PetitionCategory(rawValue: code) != nil else { throw Open311Error(.badRequest, "no service \(code); see services.\(format.rawValue)", format: format) }
            fields["category"] = code
        }
        let end = try q.get("end_date").map { try date($0, "end_date", format) } ?? Date()
        let start = try q.get("start_date").map { try date($0, "start_date", format) } ?? end.addingTimeInterval(-90 * 86_400)
        guard start <= end else { throw Open311Error(.badRequest, "start_date is after end_date", format: format) }
        let status = q.get("status")
        if let status, !["open", "closed"].contains(status) { throw Open311Error(.badRequest, "status is open or closed, got \(status)", format: format) }
        let reply = try await api.query("search", fields, caller: caller)
        let items = (reply["items"] as? [[String: Any]] ?? []).filter { item in
            guard let at = (item["submittedAt"] as? String).flatMap(Timestamp.parse), at >= start, at <= end else { return false }
            return status.map { $0 == openness(item["status"] as? String) } ?? true
        }
        return .list("service_requests", "request", items.prefix(1000).map(serviceRequest))
    }

    /// `POST requests.json`: a petition recorded through the agency's program, at its unit's latest dialogue session.
    static func post(_ request: Request, api: PetitionAPI, format: Format) async throws -> Node {
        let body = try await form(request, format: format)
        let caller = try await key(request, api: api, format: format, body: body)
        func field(_ name: String) -> String? { body[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        guard let code = field("service_code") else { throw Open311Error(.badRequest, "service_code is required: a service of services.\(format.rawValue)", format: format) }
        guard let category = PetitionCategory(rawValue: code) else { throw Open311Error(.badRequest, "no service \(code); see services.\(format.rawValue)", format: format) }
        guard let description = field("description") else { throw Open311Error(.badRequest, "description is required: what the citizen raises", format: format) }
        let name = [field("first_name"), field("last_name")].compactMap { $0 }.joined(separator: " ")
        guard !name.isEmpty else { throw Open311Error(.badRequest, "first_name or last_name is required: a petition records who raised it (kept sealed, never shown)", format: format) }
        let kind = field("attribute[kind]") ?? PetitionKind.recommendation.rawValue
        guard PetitionKind(rawValue: kind) != nil else {
            throw Open311Error(.badRequest, "attribute[kind] is one of \(PetitionKind.allCases.map(\.rawValue).joined(separator: ", ")), got \(kind)", format: format)
        }
        let registry = try await api.registry()
        let unit: UnitRegistered
        if let j = field("jurisdiction_id") {
            guard let u = registry.units[j] else { throw Open311Error(.badRequest, "jurisdiction_id \(j) is not a registered unit's code", format: format) }
            unit = u
        } else if let u = registry.units[caller.unit] { unit = u } else {
            throw Open311Error(.badRequest, "jurisdiction_id is required: the code of a registered unit", format: format)
        }
        let session: String
        if let s = field("attribute[session]") { session = s } else {
            let sessions = try await api.query("sessions", ["unit": unit.name, "limit": 10_000, "minPosition": api.lastPosition], caller: caller)
            guard let latest = (sessions["items"] as? [[String: Any]])?.last?["sessionId"] as? String else {
                throw Open311Error(.badRequest, "\(unit.name) has no dialogue session yet: a petition is recorded at one (or give attribute[session])", format: format)
            }
            session = latest
        }
        var citizen: [String: Any] = ["name": name]
        if let phone = field("phone") { citizen["phone"] = phone.filter(\.isNumber) }
        if let address = field("address_string") { citizen["address"] = address }
        var submit: [String: Any] = ["sessionId": session, "kind": kind, "category": category.rawValue, "content": description, "citizen": citizen]
        submit["occurredAt"] = Timestamp.format(Date())
        let idempotency = request.headers[.idempotencyKey]
        let reply: [String: Any]
        do {
            reply = try await api.command("petition.submit", submit, caller: caller, idempotencyKey: idempotency, expectedVersion: nil)
        } catch let problem as Problem {
            throw Open311Error(problem.status, "\(problem.code): \(problem.detail)", format: format)
        }
        if let position = (reply["position"] as? NSNumber)?.int64Value { api.wrote(position) }
        let id = reply["id"] as? String ?? ""
        let token = reply["trackingCode"] as? String ?? ""
        return .list("service_requests", "request", [[("service_request_id", id), ("token", token),
            ("service_notice", "Mã theo dõi của công dân: \(token). Tra cứu tại /api/v1/track/\(token)"), ("account_id", "")]], status: .created)
    }

    /// A petition as an Open311 service request: no personal data (no name, address, phone; the position is not kept).
    static func serviceRequest(_ p: [String: Any]) -> [(String, Any)] {
        let status = p["status"] as? String
        let category = (p["category"] as? String).flatMap(PetitionCategory.init(rawValue:))
        var notes = status.flatMap(PetitionStatus.init(rawValue:))?.vietnamese ?? (status ?? "")
        if let resolution = p["resolution"] as? String, status == "resolved" { notes += ": \(resolution)" }
        else if let answer = p["answer"] as? String, status == "answered" { notes += ": \(answer)" }
        let times = ["submittedAt", "answeredAt", "referredAt", "acceptedAt", "resolvedAt"].compactMap { p[$0] as? String }.compactMap(Timestamp.parse)
        return [
            ("service_request_id", p["petitionId"] as? String ?? ""), ("status", openness(status)), ("status_notes", notes),
            ("service_name", category?.vietnamese ?? ""), ("service_code", category?.rawValue ?? ""),
            ("description", p["content"] as? String ?? ""), ("agency_responsible", p["department"] as? String ?? ""), ("service_notice", ""),
            ("requested_datetime", (p["submittedAt"] as? String).flatMap(Timestamp.parse).map(local) ?? ""),
            ("updated_datetime", times.max().map(local) ?? ""),
            ("expected_datetime", (p["deadline"] as? String).map { "\($0)T23:59:59+07:00" } ?? ""),
            ("address", ""), ("address_id", ""), ("zipcode", ""), ("lat", ""), ("long", ""), ("media_url", ""),
        ]
    }

    /// Open while someone still has to act (submitted, referred, reopened); closed otherwise.
    static func openness(_ status: String?) -> String {
        (status.flatMap(PetitionStatus.init(rawValue:))?.isOutstanding ?? false) ? "open" : "closed"
    }

    /// An instant as ISO 8601 with Vietnam's offset, as the spec asks (a zone always given).
    static func local(_ date: Date) -> String {
        let shifted = Timestamp.format(date.addingTimeInterval(7 * 3600))
        return String(shifted.prefix(19)) + "+07:00"
    }

    static func date(_ text: String, _ name: String, _ format: Format) throws -> Date {
        guard let date = Timestamp.parse(text) ?? LocalDate(text).map({ Timestamp.date(millis: ($0.dayNumber * 86_400 - 7 * 3600) * 1000) }) else {
            throw Open311Error(.badRequest, "\(name) must be a date-time with its zone, e.g. 2026-03-19T08:00:00+07:00, got \(text)", format: format)
        }
        return date
    }

    // MARK: - Keys, jurisdictions, bodies

    /// The official the request's `api_key` (query or form) acts as.
    static func key(_ request: Request, api: PetitionAPI, format: Format, body: [String: String]) async throws -> Caller {
        guard let key = request.uri.queryParameters.get("api_key") ?? body["api_key"], !key.isEmpty else {
            throw Open311Error(.forbidden, "api_key is required: an agency's key from `petitionctl official api-key`", format: format)
        }
        guard let officialId = try api.accounts.apiKey(key), let caller = try await api.caller(officialId: officialId, token: "") else {
            throw Open311Error(.forbidden, "the api_key is not valid, or was revoked, or its account is no longer in office", format: format)
        }
        return caller
    }

    /// The unit `jurisdiction_id` names, if given.
    static func jurisdiction(_ request: Request, api: PetitionAPI, format: Format) async throws -> UnitRegistered? {
        guard let code = request.uri.queryParameters.get("jurisdiction_id") else { return nil }
        guard let unit = try await api.registry().units[code] else {
            throw Open311Error(.notFound, "jurisdiction_id \(code) is not a registered unit's code", format: format)
        }
        return unit
    }

    /// A POST's fields: `application/x-www-form-urlencoded` as the spec has it, or a JSON object of strings.
    static func form(_ request: Request, format: Format) async throws -> [String: String] {
        let type = request.headers[.contentType]?.lowercased() ?? "application/x-www-form-urlencoded"
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: HTTPJSON.maxBody) } catch {
            throw Open311Error(.contentTooLarge, "the body is over \(HTTPJSON.maxBody) bytes", format: format)
        }
        let bytes = Data(buffer.readableBytesView)
        if type.hasPrefix("application/json") {
            guard let object = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] else {
                throw Open311Error(.badRequest, "the body is not a JSON object", format: format)
            }
            return object.compactMapValues { $0 as? String ?? ($0 as? NSNumber)?.stringValue }
        }
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw Open311Error(.unsupportedMediaType, "send the fields as application/x-www-form-urlencoded", format: format)
        }
        return HTTPJSON.form(bytes)
    }

    // MARK: - Output

    /// What a resource answers: a list of elements or one object, each a list of (name, value) kept in order.
    enum Node {
        case list(String, String, [[(String, Any)]], status: HTTPResponse.Status = .ok)
        case object(String, [(String, Any)])
    }

    /// Runs a resource, answering in `format`; an error as the spec's list of errors.
    static func run(_ format: Format, _ body: () async throws -> Node) async throws -> Response {
        do {
            return render(try await body(), format: format)
        } catch let error as Open311Error {
            return render(.list("errors", "error", [[("code", error.status.code), ("description", error.description)]], status: error.status), format: format)
        } catch let problem as Problem {
            return render(.list("errors", "error", [[("code", problem.status.code), ("description", "\(problem.code): \(problem.detail)")]], status: problem.status), format: format)
        }
    }

    static func render(_ node: Node, format: Format) -> Response {
        let status: HTTPResponse.Status
        let text: String
        switch (node, format) {
        case let (.list(_, _, items, s), .json):
            status = s
            text = "[" + items.map(jsonObject).joined(separator: ",") + "]"
        case let (.object(_, fields), .json):
            status = .ok
            text = jsonObject(fields)
        case let (.list(root, element, items, s), .xml):
            status = s
            text = xmlHeader + "<\(root)>" + items.map { "<\(element)>" + xmlFields($0) + "</\(element)>" }.joined() + "</\(root)>\n"
        case let (.object(root, fields), .xml):
            status = .ok
            text = xmlHeader + "<\(root)>" + xmlFields(fields) + "</\(root)>\n"
        }
        let type = format == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8"
        return Response(status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    static func jsonObject(_ fields: [(String, Any)]) -> String {
        "{" + fields.map { name, value in "\"\(name)\":" + jsonValue(value) }.joined(separator: ",") + "}"
    }

    static func jsonValue(_ value: Any) -> String {
        switch value {
        case let b as Bool: return b ? "true" : "false"
        case let n as Int: return String(n)
        case is [String]: return "[]"
        default:
            var s = ""
            JSONText.appendString("\(value)", to: &s)
            return s
        }
    }

    /// Elements of text, escaped by `XMLText` (no library of the mirror is needed for flat output).
    static func xmlFields(_ fields: [(String, Any)]) -> String {
        fields.map { name, value in
            if value is [String] { return "<\(name)/>" }
            let text = value is Bool ? ((value as! Bool) ? "true" : "false") : "\(value)"
            return "<\(name)>\(XMLText.escape(text))</\(name)>"
        }.joined()
    }

}

/// An Open311 refusal: the HTTP status and the description the list of errors carries.
struct Open311Error: Error, CustomStringConvertible, HTTPResponseError {
    var status: HTTPResponse.Status
    var description: String
    var format: Open311.Format
    init(_ status: HTTPResponse.Status, _ description: String, format: Open311.Format) {
        self.status = status
        self.description = description
        self.format = format
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Open311.render(.list("errors", "error", [[("code", status.code), ("description", description)]], status: status), format: format)
    }
}
