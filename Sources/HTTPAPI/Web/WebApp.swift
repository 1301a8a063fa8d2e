import Accounts
import EventSourcing
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import PetitionDomain
import Projections
import Audit

/// The officials' web pages, in Vietnamese, served by petition-api on top of its own API: server-rendered Mustache
/// templates, charts drawn as SVG on the server, every asset shipped with the executable (no CDN). Each page acts
/// as the official of the session cookie, through the same gateway and projector requests as the API, so it can
/// show and do no more than the API allows. Every form carries a CSRF token (double-submit: a SameSite=Strict
/// cookie and a hidden field that must match); every page has a Content-Security-Policy allowing only itself.
public struct WebApp: Sendable {
    let api: PetitionAPI
    let library: MustacheLibrary
    let assets: URL
    /// The log's last verification from the inspector's page.
    let inspections = Inspections()

    static let csrfCookie = "petition_csrf"

    /// Loads the templates and locates the assets shipped with the executable.
    public static func load(api: PetitionAPI) async throws -> WebApp {
        guard let resources = Bundle.module.resourceURL else { throw WebAppError("the web app's templates are not beside the executable") }
        let library = try await MustacheLibrary(directory: resources.appendingPathComponent("Templates").path)
        return WebApp(api: api, library: library, assets: resources.appendingPathComponent("Assets"))
    }

    func routes(_ router: Router<APIRequestContext>) {
        sessionRoutes(router)
        petitionRoutes(router)
        reportRoutes(router)
        citizenRoutes(router)
        followUpRoutes(router)
        inspectorRoutes(router)
        adminRoutes(router)
        router.get("/") { request, context in
            (try? await APIRoutes.authenticate(api, request, context)) == nil ? Self.redirect("/dang-nhap") : Self.redirect("/trang-chu")
        }
        router.get("dang-nhap") { request, _ in
            let (csrf, cookie) = Self.csrf(request)
            return page("login", ["title": "Đăng nhập", "csrf": csrf], setCookie: cookie)
        }
        router.post("dang-nhap") { request, _ in try await login(request) }
        router.post("dang-xuat") { request, context in
            try await checkCSRF(request)
            if let caller = try? await APIRoutes.authenticate(api, request, context) { try api.accounts.revoke(caller.token) }
            var response = Self.redirect("/dang-nhap")
            response.headers[.setCookie] = APIRoutes.cookie(api, value: "", maxAge: 0)
            return response
        }
        router.get("trang-chu") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            return try await home(request, caller: caller)
        }
        router.get("tai-nguyen/:file") { _, context in
            let file = try context.parameters.require("file")
            let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
            guard file.range(of: #"^[a-z0-9-]+\.(css|js|svg)$"#, options: .regularExpression) != nil,
                  let type = types[String(file.split(separator: ".").last!)],
                  let data = FileManager.default.contents(atPath: assets.appendingPathComponent(file).path) else {
                throw Problem.notFound("no asset \(file)")
            }
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                            body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
        }
    }

    // MARK: - Pages

    func login(_ request: Request) async throws -> Response {
        let fields = try await Self.formFields(request)
        let (csrf, cookie) = Self.csrf(request)
        func again(_ error: String, status: HTTPResponse.Status) -> Response {
            var response = page("login", ["title": "Đăng nhập", "csrf": csrf, "error": error, "login": fields["login"] ?? ""], setCookie: cookie)
            response.status = status
            return response
        }
        guard Self.csrfMatches(request, fields["csrf"]) else {
            return again("Phiên làm việc của trang đã hết. Vui lòng đăng nhập lại.", status: .forbidden)
        }
        guard let login = fields["login"], !login.isEmpty, let password = fields["password"], !password.isEmpty else {
            return again("Vui lòng nhập tên đăng nhập và mật khẩu.", status: .unprocessableContent)
        }
        do {
            let (_, session) = try await APIRoutes.openSession(api, login: login, password: password, kind: .cookie)
            var response = Self.redirect("/trang-chu")
            response.headers[.setCookie] = APIRoutes.cookie(api, value: session.token, maxAge: Int(api.accounts.policy.sessionMillis / 1000))
            return response
        } catch let problem as Problem {
            switch problem.code {
            case "locked":
                return again("Tài khoản tạm khóa vì nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau \((problem.retryAfter ?? 60) / 60 + 1) phút.", status: .tooManyRequests)
            case ErrorCode.notPermitted.rawValue:
                return again("Tài khoản này không còn hiệu lực. Vui lòng liên hệ quản trị viên.", status: .forbidden)
            default:
                return again("Tên đăng nhập hoặc mật khẩu không đúng.", status: .unauthorized)
            }
        }
    }

    /// The home page: what matters now, within the official's units (a department officer: their department's).
    func home(_ request: Request, caller: Caller) async throws -> Response {
        let registry = try await api.registry()
        var filter: [String: Any] = ["minPosition": api.lastPosition]
        if caller.roles == [.departmentOfficer], let unit = registry.departments[caller.unit], let code = caller.department,
           let department = unit[code] {
            filter["department"] = department.name
        }
        let all = try await api.query("outstanding", filter.merging(["limit": 10_000]) { a, _ in a }, caller: caller)
        let overdue = try await api.query("outstanding", filter.merging(["overdue": true, "limit": 20]) { a, _ in a }, caller: caller)
        let alerts = try await api.query("alerts", ["state": "pending", "limit": 1, "minPosition": api.lastPosition], caller: caller)
        let latestAlerts = try await api.query("alerts", ["limit": 5, "minPosition": api.lastPosition], caller: caller) // newest first
        let items = all["items"] as? [[String: Any]] ?? []
        let today = LocalDate(containing: Date())
        // Answered on-site this quarter: the petitions of the conferences held in it that the chair answered there.
        let (year, month, _) = Timestamp.civil(fromDays: today.dayNumber)
        let quarter = try ReportPeriod("\(year)-Q\((month - 1) / 3 + 1)")
        let sessions = try await api.query("sessions", ["from": Timestamp.format(quarter.first.instant(hour: 0, minute: 0)),
                                                        "to": Timestamp.format(quarter.last.endInstant), "limit": 1,
                                                        "minPosition": api.lastPosition], caller: caller)
        // The totals count every session of the quarter, however many there are.
        let answeredOnSite = ((sessions["totals"] as? [String: Any])?["byStatus"] as? [String: Any])?["answered"] as? Int ?? 0
        let alertItems = (latestAlerts["items"] as? [[String: Any]] ?? []).map { alert -> [String: Any] in
            [
                "petitionId": alert["petitionId"] as? String ?? "", "level": (alert["level"] as? String).flatMap(EscalationLevel.init(rawValue:))?.vietnamese ?? "",
                "department": alert["department"] as? String ?? "", "deadline": (alert["deadline"] as? String).flatMap(LocalDate.init)?.vietnamese ?? "",
                "raisedAt": (alert["raisedAt"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "",
                "state": (alert["state"] as? String).flatMap(AlertStatus.init(rawValue:))?.vietnamese ?? "",
            ]
        }
        let dueThisWeek = items.filter { item in
            guard item["overdue"] as? Bool != true, let d = (item["deadline"] as? String).flatMap(LocalDate.init) else { return false }
            return d.dayNumber >= today.dayNumber && d.dayNumber <= today.dayNumber + 7
        }.count
        var byDepartment: [String: (held: Int, late: Int)] = [:]
        var byField: [String: Int] = [:]
        for item in items {
            if let d = item["department"] as? String, item["status"] as? String == "referred" {
                byDepartment[d, default: (0, 0)].held += 1
                if item["overdue"] as? Bool == true { byDepartment[d, default: (0, 0)].late += 1 }
            }
            let field = (item["category"] as? String).flatMap(PetitionCategory.init(rawValue:))?.vietnamese ?? "Khác"
            byField[field, default: 0] += 1
        }
        let overdueItems = (overdue["items"] as? [[String: Any]] ?? []).map { item -> [String: Any] in
            [
                "petitionId": item["petitionId"] as? String ?? "", "content": item["content"] as? String ?? "",
                "field": (item["category"] as? String).flatMap(PetitionCategory.init(rawValue:))?.vietnamese ?? "",
                "department": item["department"] as? String ?? "", "holder": item["holder"] as? String ?? "",
                "heldSince": (item["heldSince"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "",
                "deadline": (item["deadline"] as? String).flatMap(LocalDate.init)?.vietnamese ?? "",
                "daysOverdue": Self.number(item["daysOverdue"] as? Int ?? 0),
            ]
        }
        let officer = caller.roles.contains(.departmentOfficer)
        let openItems = items.prefix(50).map { item -> [String: Any] in
            [
                // An officer accepts a referral from the list (resolving needs the resolution: the petition's page).
                "canAccept": officer && item["status"] as? String == "referred" && !(item["acceptedAt"] is String)
                    && filter["department"] as? String == item["department"] as? String,
                "petitionId": item["petitionId"] as? String ?? "", "content": item["content"] as? String ?? "",
                "status": (item["status"] as? String).flatMap(PetitionStatus.init(rawValue:))?.vietnamese ?? "",
                "department": item["department"] as? String ?? "", "holder": item["holder"] as? String ?? "",
                "deadline": (item["deadline"] as? String).flatMap(LocalDate.init)?.vietnamese ?? "—",
                "overdue": item["overdue"] as? Bool == true,
            ]
        }
        let unitName = registry.units[caller.unit]?.name ?? "toàn hệ thống"
        let context: [String: Any] = [
            // The live counts ask the API with the same filter (a department officer: their department).
            "liveQuery": (filter["department"] as? String).map { "&department=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "",
            "title": "Trang chủ", "heading": "Tổng quan", "scope": "\(unitName) và các đơn vị trực thuộc",
            "asOf": Self.dateTime(Date()),
            "outstanding": Self.number(all["total"] as? Int ?? 0), "overdue": Self.number(overdue["total"] as? Int ?? 0),
            "dueThisWeek": Self.number(dueThisWeek), "pendingAlerts": Self.number(alerts["total"] as? Int ?? 0),
            "answeredOnSite": Self.number(answeredOnSite), "quarter": "quý \(["I", "II", "III", "IV"][Int((month - 1) / 3)])/\(year)",
            "alerts": alertItems, "hasAlerts": !alertItems.isEmpty, "officer": officer,
            "overdueItems": overdueItems, "hasOverdue": !overdueItems.isEmpty, "openItems": openItems, "hasOpen": !openItems.isEmpty,
            "departmentChart": SVGBars.chart(byDepartment.sorted { ($0.value.held, $1.key) > ($1.value.held, $0.key) }.prefix(12)
                .map { SVGBars.Bar(label: $0.key, value: $0.value.held, part: $0.value.late) },
                legend: ("đang giữ", "trong đó quá hạn"), title: "Kiến nghị đang giữ theo cơ quan chuyên môn"),
            "fieldChart": SVGBars.chart(byField.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { SVGBars.Bar(label: $0.key, value: $0.value, part: 0) },
                                        legend: ("còn phải xử lý", nil), title: "Kiến nghị còn phải xử lý theo lĩnh vực"),
        ]
        return page("home", context, caller: caller, request: request)
    }

    // MARK: - Rendering

    /// A page from `template` with `context`, the layout's official and CSRF token, and the security headers.
    func page(_ template: String, _ context: [String: Any], caller: Caller? = nil, request: Request? = nil, setCookie: String? = nil) -> Response {
        var context = context
        var cookie = setCookie
        if let caller {
            let (csrf, fresh) = request.map(Self.csrf) ?? (Self.token(), nil)
            cookie = cookie ?? fresh
            context["official"] = ["name": caller.name, "roleNames": caller.roles.map(\.vietnamese).joined(separator: ", "), "csrf": csrf,
                                   "canRecord": caller.roles.contains(.clerk), "canInspect": !Self.inspectorRoles.isDisjoint(with: caller.roles),
                                   "canAdminister": caller.roles.contains(.administrator)]
        }
        let html = library.render(context, withTemplate: template) ?? "<!DOCTYPE html><p>Không hiển thị được trang.</p>"
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            .xContentTypeOptions: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    // MARK: - CSRF (double submit)

    /// A fresh unguessable token (122 random bits), for CSRF and for a form entry's idempotency key.
    static func token() -> String { RandomId.make() }

    static func cookieValue(_ request: Request, _ name: String) -> String? {
        request.headers[.cookie]?.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// The request's CSRF token, and the cookie to set when it had none.
    static func csrf(_ request: Request) -> (String, String?) {
        if let known = cookieValue(request, csrfCookie), known.count >= 16 { return (known, nil) }
        let fresh = token()
        return (fresh, "\(csrfCookie)=\(fresh); Path=/; HttpOnly; SameSite=Strict")
    }

    static func csrfMatches(_ request: Request, _ field: String?) -> Bool {
        guard let cookie = cookieValue(request, csrfCookie), let field, !cookie.isEmpty else { return false }
        return Array(cookie.utf8) == Array(field.utf8)
    }

    func checkCSRF(_ request: Request) async throws {
        let fields = try await Self.formFields(request)
        guard Self.csrfMatches(request, fields["csrf"]) else {
            throw Problem(.forbidden, code: "csrf", "the form's token does not match this browser's: reload the page and send it again")
        }
    }

    // MARK: - Vietnamese numbers and dates

    /// 1234567 → "1.234.567".
    static func number(_ n: Int) -> String { Numerals.vietnamese(n) }

    /// The local day of an instant, dd/mm/yyyy (Asia/Ho_Chi_Minh).
    static func date(_ instant: Date) -> String { LocalDate(containing: instant).vietnamese }

    /// An instant as "14:05 ngày 19/03/2026" in Asia/Ho_Chi_Minh.
    static func dateTime(_ instant: Date) -> String {
        let local = Timestamp.format(instant.addingTimeInterval(7 * 3600))
        let hm = local.dropFirst(11).prefix(5)
        return "\(hm) ngày \(date(instant))"
    }
}

struct WebAppError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
