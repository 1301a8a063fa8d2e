import Accounts
import EventSourcing
import Foundation
import HTTPTypes
import Hummingbird
import Messaging
import NIOPosix
import PetitionDomain
import Prometheus
import Runtime

/// The routes of `/api/v1` and of the health checks.
public enum APIRoutes {
    /// The petition actions under `POST /api/v1/petitions/{id}/{action}` and the gateway command each sends.
    static let petitionActions: [String: String] = [
        "answer": "petition.answer", "refer": "petition.refer", "accept": "petition.accept", "extend": "petition.extend",
        "reassign": "petition.reassign", "resolve": "petition.resolve", "feedback": "petition.feedback", "reopen": "petition.reopen",
        "withdraw": "petition.withdraw", "merge": "petition.merge", "notes": "petition.note",
    ]

    /// Members a body may not carry: the URL, the headers and the login say them.
    static let reservedMembers = ["type", "commandId", "actor", "role", "actorDepartment", Delegation.member, "expectedVersion"]

    /// The query parameters each read takes, and their kinds.
    static let queryParameters: [String: [String: QueryKind]] = [
        "outstanding": ["unit": .text, "department": .text, "assignee": .text, "overdue": .bool, "limit": .int, "now": .text, "minPosition": .int, "cursor": .cursor],
        "responsibility": ["unit": .text, "department": .text, "now": .text, "minPosition": .int],
        "alerts": ["unit": .text, "petitionId": .text, "state": .text, "level": .text, "limit": .int, "minPosition": .int, "cursor": .cursor],
        "sessions": ["unit": .text, "from": .text, "to": .text, "limit": .int, "minPosition": .int, "cursor": .cursor],
        "search": ["text": .text, "category": .text, "unit": .text, "department": .text, "sessionId": .text, "limit": .int, "now": .text, "minPosition": .int, "cursor": .cursor],
    ]

    /// `cursor` is the projector's `after`: the `next` a page gave.
    enum QueryKind { case text, int, bool, cursor }

    /// Builds the router.
    public static func router(_ api: PetitionAPI, metrics: PrometheusCollectorRegistry? = nil, web: WebApp? = nil) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: AccessLog(logger: api.logger))
        // Inside the access log, which turns every refusal into a Problem: counted with its real status.
        if let metrics {
            router.add(middleware: MetricsMiddleware())
            router.get("metrics") { _, _ in
                var text: [UInt8] = []
                metrics.emit(into: &text)
                // The gateway's own counts (every command it decided, whoever sent it), read from its status.
                let status = try? await api.commands.request(json: ["type": "status"], timeoutMs: 1000)
                if let tally = status?["tally"] as? [String: Any] {
                    text += Array(gatewayMetrics(tally).utf8)
                }
                text += Array(await followUpMetrics(api, gateway: status).utf8)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
            }
        }

        router.get("health/live") { _, _ in HTTPJSON.response(["status": "live"]) }
        router.get("health/ready") { _, _ in try await ready(api) }

        let v1 = router.group("api/v1")
        // The API's OpenAPI 3.1 document (Schemas/openapi.json), no login.
        v1.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        // The citizens' view by tracking code: no login, so rate-limited per client address.
        v1.get("track/:code") { request, context in
            let petition = try await track(api, HTTPJSON.decoded(try context.parameters.require("code")), context: context)
            return HTTPJSON.response(petition, headers: [.cacheControl: "no-store"])
        }
        v1.post("login") { request, _ in try await login(api, request) }
        v1.post("logout") { request, context in
            let caller = try await authenticate(api, request, context)
            try api.accounts.revoke(caller.token)
            return Response(status: .noContent, headers: [.setCookie: cookie(api, value: "", maxAge: 0)])
        }
        v1.get("me") { request, context in
            let caller = try await authenticate(api, request, context)
            return HTTPJSON.response(["officialId": caller.officialId, "name": caller.name, "roles": caller.roles.map(\.rawValue),
                                      "unit": caller.unit, "department": caller.department ?? NSNull()])
        }

        // Commands.
        v1.post("sessions") { request, context in
            let caller = try await authenticate(api, request, context)
            let reply = try await command(api, "session.open", try await fields(request), caller: caller, request: request)
            let id = reply["id"] as? String ?? ""
            return HTTPJSON.response(reply, status: .created, headers: [.location: "/api/v1/sessions/\(id)", .eTag: etag(reply)])
        }
        v1.post("petitions") { request, context in
            let caller = try await authenticate(api, request, context)
            let reply = try await command(api, "petition.submit", try await fields(request), caller: caller, request: request)
            let id = reply["id"] as? String ?? ""
            return HTTPJSON.response(reply, status: .created, headers: [.location: "/api/v1/petitions/\(id)", .eTag: etag(reply)])
        }
        v1.post("petitions/:id/:action") { request, context in
            let caller = try await authenticate(api, request, context)
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            let action = HTTPJSON.decoded(try context.parameters.require("action"))
            if action == "forget-citizen" { return try await RegistryRoutes.forgetCitizen(api, request, caller: caller, petitionId: id) }
            if action == "citizen" { return try await CitizenRoutes.openCitizen(api, request, caller: caller, petitionId: id) }
            guard let type = petitionActions[action] else {
                throw Problem.notFound("no action \(action) on a petition; the actions are \(petitionActions.keys.sorted().joined(separator: ", "))")
            }
            var body = try await fields(request)
            if body["petitionId"] != nil { throw Problem.invalid("petitionId", "is given by the URL; remove it from the body") }
            body["petitionId"] = id
            let reply = try await command(api, type, body, caller: caller, request: request, expectedVersion: try expectedVersion(request))
            return HTTPJSON.response(reply, headers: [.eTag: etag(reply)])
        }

        // The log, live, as Server-Sent Events: from Last-Event-ID (a browser's EventSource resuming), else ?from=N, else from now.
        v1.get("events") { request, context in
            let caller = try await authenticate(api, request, context)
            var after: Int64?
            if let id = request.headers[.lastEventID] {
                guard let n = Int64(id.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                    throw Problem.badRequest("Last-Event-ID must be the id of an event this feed sent (a log position), got \(id)")
                }
                after = n
            }
            for (key, value) in request.uri.queryParameters {
                guard key == "from" else { throw Problem.badRequest("unknown query parameter \(key); this feed takes from (the position after which to start)") }
                guard let n = Int64(String(value)), n >= 0 else { throw Problem.invalid("from", "must be a log position (0 for the beginning), got \"\(value)\"") }
                if after == nil { after = n }
            }
            if after == nil {
                guard let page = try await api.history.request(json: ["type": "history.read", "fromPosition": 1, "limit": 1]),
                      let head = (page["head"] as? NSNumber)?.int64Value else { throw Problem.unavailable("the gateway did not answer; try again shortly") }
                after = head
            }
            let feed = EventFeed(api: api, caller: caller, after: after ?? 0)
            return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody { writer in
                                try await feed.run(&writer)
                                try await writer.finish(nil)
                            })
        }

        // Reads.
        v1.get("petitions/:id") { request, context in
            let caller = try await authenticate(api, request, context)
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            var reply = try await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller)
            // Its stream's version, for If-Match: how many events the petition has.
            let stream = try await api.read(["type": "stream.read", "stream": "petition-\(id)"], caller: caller)
            let version = (stream["events"] as? [Any])?.count ?? 0
            reply.removeValue(forKey: "ok")
            reply["version"] = version
            let tag = "\"\(version)\""
            if let match = request.headers[.ifNoneMatch], notModified(match, tag) { return Response(status: .notModified, headers: [.eTag: tag]) }
            return HTTPJSON.response(reply, headers: [.eTag: tag])
        }
        v1.get("petitions/:id/history") { request, context in
            let caller = try await authenticate(api, request, context)
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            // Scoped like the petition itself: the projector says whether the caller may see it.
            _ = try await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller)
            var stream = try await api.read(["type": "stream.read", "stream": "petition-\(id)"], caller: caller)
            stream.removeValue(forKey: "ok")
            return HTTPJSON.response(stream, headers: [.eTag: "\"\((stream["events"] as? [Any])?.count ?? 0)\""])
        }
        v1.get("sessions/:id") { request, context in
            let caller = try await authenticate(api, request, context)
            try refuseUnknownParameters(request, takes: [])
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            let reply = try await api.query("sessions", ["sessionId": id, "minPosition": api.lastPosition], caller: caller)
            guard let session = (reply["items"] as? [[String: Any]])?.first else {
                throw Problem(.notFound, code: ErrorCode.sessionNotFound.rawValue, "session \(id) does not exist, or is outside your units")
            }
            return HTTPJSON.response(session)
        }
        for (route, type) in [("outstanding", "outstanding"), ("responsibility", "responsibility"), ("alerts", "alerts"),
                              ("sessions", "sessions"), ("search", "search")] {
            v1.get(RouterPath(route)) { request, context in
                let caller = try await authenticate(api, request, context)
                var fields = try queryFields(request, type)
                if fields["minPosition"] == nil { fields["minPosition"] = api.lastPosition }
                var reply = try await api.query(type, fields, caller: caller)
                reply.removeValue(forKey: "ok")
                // The next page, as RFC 8288 says it: the same query with cursor = next.
                guard let next = reply["next"] as? String else { return HTTPJSON.response(reply) }
                var unreserved = CharacterSet.alphanumerics
                unreserved.insert(charactersIn: "-._~")
                func encoded(_ s: Substring) -> String { String(s).addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
                var query = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\(encoded($0.key))=\(encoded($0.value))" }
                query.append("cursor=\(next)")
                return HTTPJSON.response(reply, headers: [.link: "</api/v1/\(route)?\(query.joined(separator: "&"))>; rel=\"next\""])
            }
        }
        v1.get("units") { request, context in
            _ = try await authenticate(api, request, context)
            try refuseUnknownParameters(request, takes: [])
            let registry = try await api.registry()
            let units = registry.units.values.sorted { $0.code < $1.code }.map { u -> [String: Any] in
                ["code": u.code, "name": u.name, "kind": u.kind.rawValue, "parent": u.parent ?? NSNull(), "retired": registry.retired.contains(u.code)]
            }
            return HTTPJSON.response(["units": units])
        }
        v1.get("departments") { request, context in
            _ = try await authenticate(api, request, context)
            try refuseUnknownParameters(request, takes: ["unit"])
            let registry = try await api.registry()
            let unit = request.uri.queryParameters.get("unit")
            let departments = registry.departments.filter { unit == nil || $0.key == unit }.flatMap(\.value.values)
                .sorted { ($0.unit, $0.code) < ($1.unit, $1.code) }.map { ["unit": $0.unit, "code": $0.code, "name": $0.name] }
            return HTTPJSON.response(["departments": departments])
        }
        v1.get("officials") { request, context in
            _ = try await authenticate(api, request, context)
            try refuseUnknownParameters(request, takes: [])
            let registry = try await api.registry()
            let officials = registry.officials.values.sorted { $0.officialId < $1.officialId }.map { o -> [String: Any] in
                ["officialId": o.officialId, "name": o.name, "unit": o.unit, "department": o.department ?? NSNull(),
                 "roles": o.roles.map(\.rawValue), "active": !registry.inactive.contains(o.officialId)]
            }
            return HTTPJSON.response(["officials": officials])
        }
        Reports.routes(v1, api: api)
        RegistryRoutes.routes(v1, api: api)
        CitizenRoutes.routes(v1, api: api)
        Open311.routes(router, api: api)
        web?.routes(router)
        return router
    }

    /// The citizens' view of the petition a typed tracking code stands for, rate-limited per client address: 429,
    /// 400 for text that cannot be a code, 404 for a code no petition has (the API's route and the web page both).
    static func track(_ api: PetitionAPI, _ typed: String, context: APIRequestContext) async throws -> [String: Any] {
        if let wait = api.trackingLimit.take(context.remoteAddress?.ipAddress ?? "unknown") {
            throw Problem(.tooManyRequests, code: ErrorCode.overloaded.rawValue,
                          "too many tracking lookups from this address: try again in \(wait) seconds", retryAfter: wait)
        }
        guard let canonical = TrackingCode.canonical(typed) else {
            throw Problem.badRequest("a tracking code is the 12 letters and digits on the receipt, such as 7KQ2-M9XD-4FTR", code: .invalidValue)
        }
        let reply = try await api.query("petition.track", ["trackingCode": canonical, "minPosition": api.lastPosition], caller: nil)
        return reply["petition"] as? [String: Any] ?? [:]
    }

    // MARK: - Logins

    static func login(_ api: PetitionAPI, _ request: Request) async throws -> Response {
        let body = try await HTTPJSON.object(request)
        guard let login = body["login"] as? String, !login.isEmpty else { throw Problem.invalid("login", "is required: the login an administrator gave you") }
        guard let password = body["password"] as? String, !password.isEmpty else { throw Problem.invalid("password", "is required") }
        var kind = SessionKind.bearer
        if let given = body["session"], !(given is NSNull) {
            guard let text = given as? String, let asked = SessionKind(rawValue: text) else {
                throw Problem.invalid("session", "must be cookie (a browser) or bearer (a program), got \(given is String ? "\"\(given)\"" : "a \(type(of: given))")")
            }
            kind = asked
        }
        let (official, session) = try await openSession(api, login: login, password: password, kind: kind)
        var reply: [String: Any] = ["officialId": official.officialId, "name": official.name, "roles": official.roles.map(\.rawValue),
                                    "unit": official.unit, "department": official.department ?? NSNull(),
                                    "expiresAt": Timestamp.format(session.expiresAt)]
        var headers: HTTPFields = [:]
        if kind == .bearer { reply["token"] = session.token } else {
            headers[.setCookie] = cookie(api, value: session.token, maxAge: Int(api.accounts.policy.sessionMillis / 1000))
        }
        return HTTPJSON.response(reply, headers: headers)
    }

    /// Checks a login and password and opens a session of `kind` for the official, still in office; a refusal is a
    /// Problem (`unauthenticated` after the failure's delay, `locked`, `not_permitted`).
    static func openSession(_ api: PetitionAPI, login: String, password: String, kind: SessionKind) async throws
        -> (official: OfficialAppointed, session: (token: String, expiresAt: Date)) {
        // bcrypt takes a few hundred milliseconds: on NIO's blocking pool, never on Swift's cooperative one.
        let accounts = api.accounts
        let outcome = try await NIOThreadPool.singleton.runIfActive { try accounts.verify(login: login, password: password) }
        switch outcome {
        case .locked(let until):
            let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
            throw Problem(.tooManyRequests, code: "locked", "too many failed logins for \(login): try again in \(seconds / 60 + 1) minutes", retryAfter: seconds)
        case .refused(_, let delay):
            try await Task.sleep(for: .milliseconds(delay))
            throw Problem(.unauthorized, code: "unauthenticated", "wrong login or password")
        case .accepted(let officialId):
            let registry = try await api.registry(fresh: true)
            guard let official = registry.official(acting: Delegation.officialPrefix + officialId) else {
                throw Problem(.forbidden, code: ErrorCode.notPermitted.rawValue, "\(officialId) is no longer in office")
            }
            let session = try api.accounts.openSession(officialId: officialId, kind: kind)
            api.logger.info("login", metadata: ["official": "\(officialId)", "session.kind": "\(kind.rawValue)"])
            return (official, session)
        }
    }

    static func cookie(_ api: PetitionAPI, value: String, maxAge: Int) -> String {
        "\(PetitionAPI.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(api.secureCookies ? "; Secure" : "")"
    }

    /// The caller of an `/api/v1` request: the bearer token, else the session cookie.
    static func authenticate(_ api: PetitionAPI, _ request: Request, _ context: APIRequestContext) async throws -> Caller {
        var token: String?
        if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer ") else { throw Problem.unauthenticated("send Authorization: Bearer <token>") }
            token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if let cookies = request.headers[.cookie] {
            for part in cookies.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(PetitionAPI.cookieName + "=") { token = String(pair.dropFirst(PetitionAPI.cookieName.count + 1)) }
            }
        }
        guard let token, let caller = try await api.caller(token: token) else {
            throw Problem.unauthenticated(token == nil ? "log in first: POST /api/v1/login, then send the session cookie or the bearer token"
                                                       : "the session has ended or expired: log in again")
        }
        return caller
    }

    // MARK: - Commands

    /// The body's members, none of them one the URL, headers or login say (but those in `allowing`, a command's own
    /// members of the same name: `role` for a role granted or withdrawn).
    static func fields(_ request: Request, allowing: Set<String> = []) async throws -> [String: Any] {
        let body = try await HTTPJSON.object(request)
        if let reserved = reservedMembers.first(where: { body[$0] != nil && !allowing.contains($0) }) {
            throw Problem.invalid(reserved, "is not part of a request body: who acts is the official logged in, the command id is the Idempotency-Key header, the version is If-Match")
        }
        return body
    }

    static func command(_ api: PetitionAPI, _ type: String, _ fields: [String: Any], caller: Caller, request: Request,
                        expectedVersion: Int64? = nil) async throws -> [String: Any] {
        var key = request.headers[.idempotencyKey]
        if let k = key {
            guard (1...64).contains(k.utf8.count), k.utf8.allSatisfy({ JSONFields.isIdentifierByte($0) }) else {
                throw Problem.badRequest("Idempotency-Key must be 1 to 64 of the characters A-Z a-z 0-9 . _ : - (a UUID is a good choice)")
            }
        } else { key = nil }
        var reply = try await api.command(type, fields, caller: caller, idempotencyKey: key, expectedVersion: expectedVersion)
        if let position = (reply["position"] as? NSNumber)?.int64Value { api.wrote(position) }
        reply.removeValue(forKey: "ok")
        return reply
    }

    /// `If-Match: "N"`: the petition's version the client last saw.
    static func expectedVersion(_ request: Request) throws -> Int64? {
        guard let value = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), value != "*" else { return nil }
        guard value.count >= 3, value.hasPrefix("\""), value.hasSuffix("\""), let version = Int64(value.dropFirst().dropLast()), version >= 0 else {
            throw Problem.badRequest("If-Match must be the ETag a response gave, such as \"3\", got \(value)")
        }
        return version
    }

    /// `If-None-Match` (RFC 9110 §13.1.2): `*`, or a list of entity tags of which one is `tag` (weakly compared: `W/"3"` matches `"3"`).
    static func notModified(_ header: String, _ tag: String) -> Bool {
        if header.trimmingCharacters(in: .whitespaces) == "*" { return true }
        return header.split(separator: ",").contains { part in
            var t = part.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("W/") { t.removeFirst(2) }
            return t == tag
        }
    }

    static func etag(_ reply: [String: Any]) -> String { "\"\((reply["streamVersion"] as? NSNumber)?.int64Value ?? 0)\"" }

    // MARK: - Reads

    /// A read's query parameters as the projector's members; an unknown one is refused, naming those it takes.
    static func queryFields(_ request: Request, _ type: String) throws -> [String: Any] {
        let kinds = queryParameters[type] ?? [:]
        var fields: [String: Any] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key), text = String(value)
            guard let kind = kinds[name] else {
                throw Problem.badRequest("unknown query parameter \(name); this read takes \(kinds.keys.sorted().joined(separator: ", "))")
            }
            switch kind {
            case .text: fields[name] = text
            case .cursor: fields["after"] = text
            case .int:
                guard let n = Int64(text) else { throw Problem.invalid(name, "must be a whole number, got \"\(text)\"") }
                fields[name] = n
            case .bool:
                guard let b = ["true": true, "false": false, "1": true, "0": false][text] else { throw Problem.invalid(name, "must be true or false, got \"\(text)\"") }
                fields[name] = b
            }
        }
        return fields
    }

    /// Refuses a query parameter a read does not take, naming those it takes.
    static func refuseUnknownParameters(_ request: Request, takes known: Set<String>) throws {
        guard let unknown = request.uri.queryParameters.first(where: { !known.contains(String($0.key)) }) else { return }
        throw Problem.badRequest("unknown query parameter \(unknown.key); "
                                 + (known.isEmpty ? "this read takes none" : "this read takes \(known.sorted().joined(separator: ", "))"))
    }

    // MARK: - Health

    /// The gateway's tally (its `status`) in Prometheus's text format.
    static func gatewayMetrics(_ tally: [String: Any]) -> String {
        func label(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        }
        var out = "# HELP petition_gateway_commands_total Commands the gateway decided since it started, by message type and outcome (ok, replayed, or the error code).\n"
        out += "# TYPE petition_gateway_commands_total counter\n"
        let commands = tally["commands"] as? [String: [String: Any]] ?? [:]
        for type in commands.keys.sorted() {
            for (outcome, n) in commands[type]!.sorted(by: { $0.key < $1.key }) {
                out += "petition_gateway_commands_total{command=\"\(label(type))\",outcome=\"\(label(outcome))\"} \((n as? NSNumber)?.int64Value ?? 0)\n"
            }
        }
        out += "# HELP petition_gateway_commits_total Group commits the gateway wrote since it started.\n# TYPE petition_gateway_commits_total counter\n"
        out += "petition_gateway_commits_total \((tally["commits"] as? NSNumber)?.int64Value ?? 0)\n"
        out += "# HELP petition_gateway_commit_seconds_total Time the group commits took (append and sync), in seconds.\n"
        out += "# TYPE petition_gateway_commit_seconds_total counter\n"
        out += "petition_gateway_commit_seconds_total \((tally["commitSeconds"] as? NSNumber)?.doubleValue ?? 0)\n"
        return out
    }

    /// What an operator alerts on: the log's head and how far the projector has applied it (a stuck projector), the
    /// petitions still to be dealt with and those overdue (a growing backlog), the alerts not delivered (a failing
    /// sink). Read at each scrape from the gateway's and the projector's status and the projector's own queries, as
    /// the API's service (every unit); a process that does not answer leaves its lines out.
    static func followUpMetrics(_ api: PetitionAPI, gateway: [String: Any]?) async -> String {
        var out = ""
        func gauge(_ name: String, _ help: String, _ samples: [(labels: String, value: Int64)]) {
            guard !samples.isEmpty else { return }
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for s in samples { out += "\(name)\(s.labels) \(s.value)\n" }
        }
        func number(_ v: Any?) -> Int64? { (v as? NSNumber)?.int64Value }
        if let head = number(gateway?["head"]) {
            gauge("petition_log_head", "The event log's last position, as the gateway says.", [("", head)])
        }
        if let projector = try? await api.queries.request(json: ["type": "status"], timeoutMs: 1000), let position = number(projector["position"]) {
            gauge("petition_projector_position", "The last log position the projector has applied to the read models.", [("", position)])
        }
        let open = try? await api.query("outstanding", ["limit": 1], caller: nil)
        let overdue = try? await api.query("outstanding", ["overdue": true, "limit": 1], caller: nil)
        if let open = number(open?["total"]), let overdue = number(overdue?["total"]) {
            gauge("petition_outstanding", "Petitions someone still has to act on (submitted, referred, reopened).", [("", open)])
            gauge("petition_outstanding_overdue", "Referred petitions past their deadline.", [("", overdue)])
        }
        var alerts: [(labels: String, value: Int64)] = []
        for state in ["pending", "failed"] {
            if let n = number((try? await api.query("alerts", ["state": state, "limit": 1], caller: nil))?["total"]) { alerts.append(("{state=\"\(state)\"}", n)) }
        }
        gauge("petition_alerts", "Escalation alerts by delivery state: pending (no sink has it yet, or one is retrying) or failed (every sink refused it for good).", alerts)
        return out
    }

    /// Ready when the gateway and the projector both answer their status.
    static func ready(_ api: PetitionAPI) async throws -> Response {
        async let gateway = try? api.commands.request(json: ["type": "status"], timeoutMs: 1000)
        async let projector = try? api.queries.request(json: ["type": "status"], timeoutMs: 1000)
        let (g, p) = await (gateway, projector)
        let ok = g?["ok"] as? Bool == true && p?["ok"] as? Bool == true
        return HTTPJSON.response(["status": ok ? "ready" : "not ready", "gateway": g?["ok"] as? Bool == true, "projector": p?["ok"] as? Bool == true],
                                 status: ok ? .ok : .serviceUnavailable)
    }
}
