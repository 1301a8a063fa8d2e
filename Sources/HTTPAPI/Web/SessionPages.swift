import EventSourcing
import Foundation
import HTTPTypes
import Hummingbird
import PetitionDomain

/// Recording a conference from the keyboard: open its minutes, then enter its petitions one after another, each
/// left for later, answered on the spot, or (by a chair) referred right there.
extension WebApp {
    func sessionRoutes(_ router: Router<APIRequestContext>) {
        router.get("hoi-nghi/moi") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            return try await newSession(request, caller: caller, form: [:], error: nil)
        }
        router.post("hoi-nghi") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            let form = try await Self.formFields(request)
            guard Self.csrfMatches(request, form["csrf"]) else { return try await newSession(request, caller: caller, form: form, error: Self.staleForm) }
            guard let when = Self.instant(date: form["date"] ?? "", time: form["time"] ?? "") else {
                return try await newSession(request, caller: caller, form: form, error: "Ngày và giờ viết như 19/03/2026 và 08:00.")
            }
            var fields: [String: Any] = ["unit": form["unit"] ?? "", "title": form["title"] ?? "", "chair": form["chair"] ?? "",
                                         "occurredAt": Timestamp.format(when)]
            if let hamlet = form["hamlet"]?.trimmingCharacters(in: .whitespaces), !hamlet.isEmpty { fields["hamlet"] = hamlet }
            if let text = form["attendees"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                guard let n = Int(text.replacingOccurrences(of: ".", with: "")), n >= 0 else {
                    return try await newSession(request, caller: caller, form: form, error: "Số cử tri tham dự viết bằng chữ số, như 120.")
                }
                fields["attendees"] = n
            }
            do {
                let reply = try await api.command("session.open", fields,
                                                  caller: caller, idempotencyKey: form["entry"], expectedVersion: nil)
                if let position = (reply["position"] as? NSNumber)?.int64Value { api.wrote(position) }
                return Self.redirect("/hoi-nghi/\(reply["id"] as? String ?? "")")
            } catch let problem as Problem {
                return try await newSession(request, caller: caller, form: form, error: Self.vietnamese(problem))
            }
        }
        router.get("hoi-nghi") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            return try await sessionList(request, caller: caller)
        }
        router.get("hoi-nghi/:id") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            return try await sessionPage(request, caller: caller, id: HTTPJSON.decoded(try context.parameters.require("id")), notice: nil, error: nil)
        }
        router.post("hoi-nghi/:id/kien-nghi") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            let form = try await Self.formFields(request)
            guard Self.csrfMatches(request, form["csrf"]) else { return try await sessionPage(request, caller: caller, id: id, notice: nil, error: Self.staleForm) }
            return try await record(request, caller: caller, sessionId: id, form: form)
        }
    }

    static let staleForm = "Trang đã mở quá lâu hoặc từ nơi khác. Vui lòng tải lại trang và nhập lại."

    func newSession(_ request: Request, caller: Caller, form: [String: String], error: String?) async throws -> Response {
        let registry = try await api.registry()
        let units = Self.unitChoices(caller, registry, selected: form["unit"] ?? caller.unit, includeRetired: false)
        var values = form
        if values["date"] == nil { values["date"] = LocalDate(containing: Date()).vietnamese }
        var context: [String: Any] = ["title": "Mở biên bản hội nghị", "units": units, "form": values, "entry": Self.token()]
        if let error { context["error"] = error }
        var response = page("session-new", context, caller: caller, request: request)
        if error != nil { response.status = .unprocessableContent }
        return response
    }

    /// Where a conference was held and how many attended, for its page's heading (only what the minutes say).
    static func sessionPlace(_ session: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        if let hamlet = session["hamlet"] as? String, !hamlet.isEmpty { out["hamlet"] = hamlet }
        if let n = session["attendees"] as? Int { out["attendees"] = Self.number(n) }
        return out
    }

    /// The conferences within the official's units, the latest first, with what each raised and what is still open.
    func sessionList(_ request: Request, caller: Caller) async throws -> Response {
        let reply = try await api.query("sessions", ["limit": 10_000, "minPosition": api.lastPosition], caller: caller)
        let all = reply["items"] as? [[String: Any]] ?? []
        let items = all.suffix(100).reversed().map { s -> [String: Any] in
            [
                "sessionId": s["sessionId"] as? String ?? "", "title": s["title"] as? String ?? "", "unit": s["unit"] as? String ?? "",
                "chair": s["chair"] as? String ?? "", "heldAt": (s["heldAt"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "",
                "hamlet": s["hamlet"] as? String ?? "", "attendees": (s["attendees"] as? Int).map(Self.number) ?? "",
                "petitions": Self.number(s["petitions"] as? Int ?? 0), "outstanding": Self.number(s["outstanding"] as? Int ?? 0),
            ]
        }
        return page("sessions", ["title": "Hội nghị đối thoại", "items": items, "hasItems": !items.isEmpty, "count": Self.number(all.count),
                                 "shown": Self.number(items.count)], caller: caller, request: request)
    }

    func sessionPage(_ request: Request, caller: Caller, id: String, notice: String?, error: String?, status: HTTPResponse.Status = .ok,
                     receipt: String? = nil) async throws -> Response {
        let reply = try await api.query("sessions", ["sessionId": id, "minPosition": api.lastPosition], caller: caller)
        guard let session = (reply["items"] as? [[String: Any]])?.first else {
            throw Problem(.notFound, code: ErrorCode.sessionNotFound.rawValue, "no session \(id) within your units")
        }
        let registry = try await api.registry()
        let unitName = session["unit"] as? String ?? ""
        let departments = Self.departments(referableFrom: unitName, in: registry).map { ["code": $0.code, "name": $0.name, "folded": SearchText.fold($0.name)] }
        let heldAt = (session["heldAt"] as? String).flatMap(Timestamp.parse)
        let policy = try? await api.read(["type": "deadline.policy", "unit": unitName, "from": LocalDate(containing: heldAt ?? Date()).description], caller: caller)
        let deadlines = (policy?["kinds"] as? [[String: Any]] ?? []).compactMap { entry -> [String: Any]? in
            guard let kind = (entry["kind"] as? String).flatMap(PetitionKind.init(rawValue:)), let days = entry["days"] as? Int else { return nil }
            let counting = entry["counting"] as? String == DayCounting.workingDays.rawValue ? "ngày làm việc" : "ngày"
            let until = (entry["deadline"] as? String).flatMap(LocalDate.init).map { ", hạn \($0.vietnamese)" } ?? ""
            return ["kind": kind.rawValue, "name": kind.vietnamese, "text": "\(days) \(counting)\(until)"]
        }
        // What this conference raised so far, as the projector holds it (newest first).
        let raised = try await api.query("search", ["sessionId": id, "limit": 500, "minPosition": api.lastPosition], caller: caller)
        let petitions = (raised["items"] as? [[String: Any]] ?? []).reversed().map { item -> [String: Any] in
            [
                "petitionId": item["petitionId"] as? String ?? "", "content": item["content"] as? String ?? "",
                "kind": (item["kind"] as? String).flatMap(PetitionKind.init(rawValue:))?.vietnamese ?? "",
                "field": (item["category"] as? String).flatMap(PetitionCategory.init(rawValue:))?.vietnamese ?? "",
                "status": (item["status"] as? String).flatMap(PetitionStatus.init(rawValue:))?.vietnamese ?? "",
                "department": item["department"] as? String ?? "",
                "deadline": (item["deadline"] as? String).flatMap(LocalDate.init)?.vietnamese ?? "",
            ]
        }
        var context: [String: Any] = [
            "petitionsRaised": petitions, "where": Self.sessionPlace(session), "hasPetitions": !petitions.isEmpty, "canRecord": caller.roles.contains(.clerk),
            "title": session["title"] as? String ?? id,
            "session": [
                "sessionId": id, "title": session["title"] as? String ?? "", "unit": unitName, "chair": session["chair"] as? String ?? "",
                "heldAt": heldAt.map(Self.dateTime) ?? "",
                "petitions": Self.number(session["petitions"] as? Int ?? 0),
            ],
            "kinds": PetitionKind.allCases.map { ["code": $0.rawValue, "name": $0.vietnamese] },
            "categories": PetitionCategory.allCases.map { ["code": $0.rawValue, "name": $0.vietnamese] },
            "departments": departments, "deadlines": deadlines,
            // A clerk records what the chair decided there: answered or referred, in the chair's name.
            "canRefer": caller.roles.contains(.chair) || caller.roles.contains(.clerk), "entry": Self.token(),
        ]
        if let notice { context["notice"] = notice }
        if let error { context["error"] = error }
        if let receipt { context["receipt"] = receipt }
        var response = page("session", context, caller: caller, request: request)
        response.status = status
        return response
    }

    /// One petition of the conference, and what was decided about it there.
    func record(_ request: Request, caller: Caller, sessionId: String, form: [String: String]) async throws -> Response {
        let sessions = try await api.query("sessions", ["sessionId": sessionId, "minPosition": api.lastPosition], caller: caller)
        guard let session = (sessions["items"] as? [[String: Any]])?.first else {
            throw Problem(.notFound, code: ErrorCode.sessionNotFound.rawValue, "no session \(sessionId) within your units")
        }
        let heldAt = session["heldAt"] as? String ?? Timestamp.format(Date())
        func field(_ name: String) -> String? { form[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        var citizen: [String: Any] = ["name": field("citizen") ?? ""]
        if let address = field("address") { citizen["address"] = address }
        if let phone = field("phone") { citizen["phone"] = phone }
        let entry = field("entry")
        do {
            let submitted = try await api.command("petition.submit", ["sessionId": sessionId, "kind": field("kind") ?? "recommendation",
                                                                      "category": field("category") ?? "other", "content": field("content") ?? "",
                                                                      "citizen": citizen, "occurredAt": heldAt],
                                                  caller: caller, idempotencyKey: entry.map { "\($0).submit" }, expectedVersion: nil)
            if let position = (submitted["position"] as? NSNumber)?.int64Value { api.wrote(position) }
            let id = submitted["id"] as? String ?? ""
            var notice = "Đã ghi kiến nghị \(id), mã tra cứu của cử tri \(submitted["trackingCode"] as? String ?? "")"
            var followUp: (String, [String: Any])?
            switch field("outcome") {
            case "answer": followUp = ("petition.answer", ["petitionId": id, "by": session["chair"] as? String ?? "", "answer": field("answer") ?? "", "occurredAt": heldAt])
            case "refer":
                var refer: [String: Any] = ["petitionId": id, "department": field("department") ?? "", "assignee": field("assignee") ?? "",
                                            "by": session["chair"] as? String ?? "", "occurredAt": heldAt]
                if let days = field("days").flatMap(Int.init) { refer["days"] = days }
                followUp = ("petition.refer", refer)
            default: break
            }
            if let (type, fields) = followUp {
                do {
                    let reply = try await api.command(type, fields, caller: caller, idempotencyKey: entry.map { "\($0).\(type)" }, expectedVersion: nil)
                    if let position = (reply["position"] as? NSNumber)?.int64Value { api.wrote(position) }
                    if type == "petition.answer" { notice += "; đã trả lời tại hội nghị" } else {
                        notice += "; đã chuyển giải quyết" + ((reply["deadline"] as? String).flatMap(LocalDate.init).map { ", hạn \($0.vietnamese)" } ?? "")
                    }
                } catch let problem as Problem {
                    return try await sessionPage(request, caller: caller, id: sessionId, notice: notice + ".",
                                                 error: "Chưa \(type == "petition.answer" ? "ghi được câu trả lời" : "chuyển được") cho \(id): \(Self.vietnamese(problem))",
                                                 status: .unprocessableContent)
                }
            }
            return try await sessionPage(request, caller: caller, id: sessionId, notice: notice + ".", error: nil, receipt: id)
        } catch let problem as Problem {
            return try await sessionPage(request, caller: caller, id: sessionId, notice: nil, error: "Chưa ghi được kiến nghị: \(Self.vietnamese(problem))",
                                         status: .unprocessableContent)
        }
    }

    // MARK: - Helpers

    /// The departments a referral from `unitName` may name: its unit's and those of the units above it.
    static func departments(referableFrom unitName: String, in registry: RegistryState) -> [(code: String, name: String)] {
        guard let unit = try? registry.unit(named: unitName) else { return [] }
        var out: [(code: String, name: String)] = []
        var code: String? = unit.code
        while let c = code {
            out += (registry.departments[c] ?? [:]).values.sorted { $0.name < $1.name }.map { ($0.code, $0.name) }
            code = registry.units[c]?.parent
        }
        return out
    }

    /// The units within `caller`'s (their own first, then by name), for a form's choice, `selected` marked.
    static func unitChoices(_ caller: Caller, _ registry: RegistryState, selected: String, includeRetired: Bool) -> [[String: Any]] {
        registry.subtree(caller.unit).compactMap { registry.units[$0] }.filter { includeRetired || !registry.retired.contains($0.code) }
            .sorted { ($0.code == caller.unit ? 0 : 1, $0.name) < ($1.code == caller.unit ? 0 : 1, $1.name) }
            .map { ["code": $0.code, "name": $0.name, "selected": $0.code == selected] }
    }

    /// A query parameter of a form sent by GET (where a space travels as "+"), nil when absent or empty.
    static func formQuery(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name).map { $0.replacingOccurrences(of: "+", with: " ") }.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func formFields(_ request: Request) async throws -> [String: String] {
        HTTPJSON.form(Data(try await request.body.collect(upTo: HTTPJSON.maxBody).readableBytesView))
    }

    /// "19/03/2026" and "08:00" (or empty: 08:00) as an instant in Asia/Ho_Chi_Minh.
    static func instant(date: String, time: String) -> Date? {
        guard let day = LocalDate.written(date) else { return nil }
        let t = (time.trimmingCharacters(in: .whitespaces).isEmpty ? "08:00" : time).split(separator: ":")
        guard t.count == 2, let hour = Int64(t[0]), let minute = Int64(t[1]), (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return day.instant(hour: hour, minute: minute)
    }

    /// What a refusal means, in Vietnamese, with the gateway's detail after it.
    static func vietnamese(_ problem: Problem) -> String {
        let words: [String: String] = [
            ErrorCode.notPermitted.rawValue: "vai trò của anh/chị không được làm việc này",
            ErrorCode.outOfScope.rawValue: "việc này ngoài đơn vị anh/chị phụ trách",
            ErrorCode.notHolder.rawValue: "kiến nghị không do cơ quan của anh/chị giữ",
            ErrorCode.invalidTransition.rawValue: "việc này không làm được ở trạng thái hiện tại của kiến nghị",
            ErrorCode.notRegistered.rawValue: "tên hoặc mã chưa có trong danh mục",
            ErrorCode.missingField.rawValue: "còn thiếu một trường bắt buộc",
            ErrorCode.invalidValue.rawValue: "một trường chưa đúng",
            ErrorCode.invalidInput.rawValue: "dữ liệu nhập chưa đúng",
            ErrorCode.sessionNotFound.rawValue: "không có hội nghị này",
            ErrorCode.petitionNotFound.rawValue: "không có kiến nghị này",
            ErrorCode.unavailable.rawValue: "hệ thống chưa trả lời kịp, vui lòng gửi lại",
            ErrorCode.overloaded.rawValue: "hệ thống đang bận, vui lòng gửi lại sau ít phút",
            ErrorCode.alreadyRegistered.rawValue: "mã hoặc tên này đã có trong danh mục",
            ErrorCode.alreadyAccepted.rawValue: "cơ quan đã tiếp nhận kiến nghị này rồi",
            ErrorCode.feedbackAlreadyRecorded.rawValue: "ý kiến của cử tri về kết quả này đã được ghi",
            ErrorCode.extensionNotAllowed.rawValue: "quy định không cho gia hạn thêm",
            ErrorCode.extensionTooLong.rawValue: "thời gian gia hạn dài hơn quy định",
            ErrorCode.deadlineBeforeReferral.rawValue: "hạn giải quyết trước ngày chuyển",
            ErrorCode.noCalendar.rawValue: "chưa có lịch ngày nghỉ của năm cần tính hạn",
            ErrorCode.wrongType.rawValue: "một trường sai kiểu dữ liệu",
        ]
        return (words[problem.code] ?? "yêu cầu bị từ chối") + " (chi tiết: \(problem.detail))."
    }
}
