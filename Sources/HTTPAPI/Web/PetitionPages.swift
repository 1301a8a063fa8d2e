import EventSourcing
import Foundation
import HTTPTypes
import Hummingbird
import PetitionDomain
import Projections

/// A petition's page: where it stands, its deadline and how much is left, the chain of hands, its history as a
/// timeline in Vietnamese, and exactly the actions the official's role allows in its status, each a form sent
/// on their behalf (conditional on the version shown, so two officials cannot act on a state one has not seen).
extension WebApp {
    /// An action offered on the page: its path segment (its command is `actionTypes[action]`), label and fields.
    struct PageAction {
        var action: String
        var label: String
        typealias Field = (name: String, label: String, required: Bool, options: [(code: String, name: String)]?)
        var fields: [Field]
    }

    func petitionRoutes(_ router: Router<APIRequestContext>) {
        router.get("kien-nghi/:id") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            return try await petitionPage(request, caller: caller, id: HTTPJSON.decoded(try context.parameters.require("id")), notice: nil, error: nil)
        }
        router.post("kien-nghi/:id/:action") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            let action = HTTPJSON.decoded(try context.parameters.require("action"))
            let form = try await Self.formFields(request)
            guard Self.csrfMatches(request, form["csrf"]) else {
                return try await petitionPage(request, caller: caller, id: id, notice: nil, error: Self.staleForm, status: .forbidden)
            }
            return try await act(request, caller: caller, id: id, action: action, form: form)
        }
    }

    /// The actions `caller` may take on a petition in `status` (held by `department`), as the gateway allows them.
    func actions(for caller: Caller, status: String, department: String?, accepted: Bool, feedback: Bool, registry: RegistryState,
                 unit: String) -> [PageAction] {
        var out: [PageAction] = []
        let roles = Set(caller.roles)
        let departments = Self.departments(referableFrom: unit, in: registry)
        let open = ["submitted", "reopened"].contains(status)
        let referral: [PageAction.Field] = [("department", "Cơ quan", true, departments), ("assignee", "Cán bộ được giao", true, nil),
                                            ("days", "Thời hạn (ngày, để trống: theo quy định)", false, nil)]
        if roles.contains(.chair) {
            if open {
                out.append(PageAction(action: "tra-loi", label: "Trả lời", fields: [("answer", "Câu trả lời", true, nil)]))
                out.append(PageAction(action: "chuyen", label: "Chuyển cơ quan chuyên môn giải quyết", fields: referral))
            }
            if status == "referred" {
                out.append(PageAction(action: "gia-han", label: "Gia hạn",
                                      fields: [("decision", "Số quyết định gia hạn", true, nil)]))
                out.append(PageAction(action: "giao-lai", label: "Giao lại", fields: [
                    ("department", "Cơ quan", true, departments), ("assignee", "Cán bộ được giao", true, nil), ("reason", "Lý do", true, nil)]))
            }
            if ["answered", "resolved"].contains(status) {
                out.append(PageAction(action: "mo-lai", label: "Mở lại", fields: [("reason", "Lý do", true, nil)]))
            }
            if ["submitted", "reopened", "referred"].contains(status) {
                out.append(PageAction(action: "gop", label: "Gộp vào kiến nghị cùng nội dung", fields: [
                    ("into", "Mã kiến nghị giữ lại (như P000012)", true, nil), ("reason", "Lý do", true, nil)]))
            }
        } else if roles.contains(.clerk), status == "submitted" {
            // The clerk writes down what the chair decided at the conference, in the chair's name.
            out.append(PageAction(action: "tra-loi", label: "Ghi câu trả lời của chủ trì tại hội nghị", fields: [("answer", "Câu trả lời", true, nil)]))
            out.append(PageAction(action: "chuyen", label: "Ghi việc chủ trì chuyển cơ quan chuyên môn tại hội nghị", fields: referral))
        }
        if roles.contains(.departmentOfficer), status == "referred",
           let mine = caller.department.flatMap({ registry.departments[caller.unit]?[$0]?.name }), mine == department {
            if !accepted { out.append(PageAction(action: "tiep-nhan", label: "Tiếp nhận", fields: [])) }
            out.append(PageAction(action: "giai-quyet", label: "Ghi kết quả giải quyết",
                                  fields: [("resolution", "Kết quả giải quyết", true, nil)]))
            // Only the chair extends; the officer asks, in the petition's history, where the chair sees it.
            out.append(PageAction(action: "de-nghi-gia-han", label: "Đề nghị chủ tịch gia hạn",
                                  fields: [("reason", "Lý do và số ngày đề nghị", true, nil)]))
        }
        if roles.contains(.clerk) || roles.contains(.chair) {
            if ["answered", "resolved"].contains(status), !feedback {
                out.append(PageAction(action: "y-kien", label: "Ghi ý kiến của cử tri", fields: [
                    ("satisfied", "Cử tri", true, [("true", "Đồng ý với kết quả"), ("false", "Chưa đồng ý")]), ("comment", "Ý kiến", false, nil)]))
            }
            if ["submitted", "referred", "reopened"].contains(status) {
                out.append(PageAction(action: "rut", label: "Ghi cử tri rút kiến nghị", fields: [("reason", "Lý do", true, nil)]))
            }
        }
        if !roles.isDisjoint(with: [.clerk, .chair, .departmentOfficer]) {
            out.append(PageAction(action: "ghi-chu", label: "Ghi chú", fields: [("text", "Ghi chú", true, nil)]))
        }
        return out
    }

    /// The actions `caller` may take on petition `p` (as `petition.get` gives it) whose events are `events`.
    func actions(for caller: Caller, petition p: [String: Any], events: [[String: Any]], registry: RegistryState) -> [PageAction] {
        let status = p["status"] as? String ?? ""
        let feedback = events.contains { ($0["type"] as? String)?.hasPrefix("petition.feedback.") == true && ($0["data"] as? [String: Any])?["on"] as? String == status }
        return actions(for: caller, status: status, department: p["department"] as? String, accepted: p["acceptedAt"] is String, feedback: feedback,
                       registry: registry, unit: p["unit"] as? String ?? "")
    }

    /// The actions that ask "are you sure?" first: all but taking a referral in hand and writing a note, which change nothing
    /// anyone relies on. Everything recorded stays in the log for good.
    static let confirmed: Set<String> = ["tra-loi", "chuyen", "gia-han", "giao-lai", "mo-lai", "giai-quyet", "y-kien", "rut", "gop"]

    /// The confirmation page of `action` on petition `id`: what will be recorded, in the words the form used, and one
    /// button (with the focus) that sends the same form again, confirmed.
    func confirmation(_ request: Request, caller: Caller, id: String, action: PageAction, form: [String: String]) -> Response {
        let shown = action.fields.compactMap { f -> [String: Any]? in
            guard let value = form[f.name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return ["label": f.label, "value": f.options?.first { $0.code == value }?.name ?? value]
        }
        let hidden = form.filter { $0.key != "csrf" && $0.key != "xac-nhan" }.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        return page("confirm", ["title": "Xác nhận: \(action.label)", "petitionId": id, "action": action.action, "label": action.label,
                                "shown": shown, "hidden": hidden], caller: caller, request: request)
    }

    /// Every action the page can send, by its path segment (whatever the role: the gateway decides).
    static let actionTypes = ["tra-loi": "petition.answer", "chuyen": "petition.refer", "gia-han": "petition.extend", "giao-lai": "petition.reassign",
                              "mo-lai": "petition.reopen", "tiep-nhan": "petition.accept", "giai-quyet": "petition.resolve",
                              "y-kien": "petition.feedback", "rut": "petition.withdraw", "ghi-chu": "petition.note", "gop": "petition.merge",
                              "de-nghi-gia-han": "petition.note"]

    func act(_ request: Request, caller: Caller, id: String, action: String, form: [String: String]) async throws -> Response {
        guard let type = Self.actionTypes[action] else { throw Problem.notFound("no action \(action)") }
        func field(_ name: String) -> String? { form[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        let confirming = Self.confirmed.contains(action) && form["xac-nhan"] != "1"
        let clerksMinutes = !caller.roles.contains(.chair) && ["petition.answer", "petition.refer"].contains(type)
        // The petition as it stands, read once, when the confirmation or a clerk's minutes need it.
        let current = confirming || clerksMinutes
            ? (try? await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller))?["petition"] as? [String: Any]
            : nil
        // First "are you sure?", for an action the page offers (one it does not offer goes to the gateway, which refuses it).
        if confirming, let p = current {
            let events = (try? await api.read(["type": "stream.read", "stream": "petition-\(id)"], caller: caller))?["events"] as? [[String: Any]] ?? []
            if let offered = actions(for: caller, petition: p, events: events, registry: try await api.registry()).first(where: { $0.action == action }) {
                return confirmation(request, caller: caller, id: id, action: offered, form: form)
            }
        }
        var fields: [String: Any] = ["petitionId": id]
        // Who decided: a chair themselves; for a clerk's minutes, the chair of the petition's conference (who holds it
        // while it waits for the conference's decision).
        var decidedBy = caller.name
        if clerksMinutes, let p = current, p["status"] as? String == "submitted", let chair = p["holder"] as? String, !chair.isEmpty {
            decidedBy = chair
        }
        switch type {
        case "petition.answer": fields["answer"] = field("answer") ?? ""; fields["by"] = decidedBy
        case "petition.refer":
            fields["department"] = field("department") ?? ""; fields["assignee"] = field("assignee") ?? ""; fields["by"] = decidedBy
            if let days = field("days").flatMap(Int.init) { fields["days"] = days }
        case "petition.extend": fields["approver"] = caller.name; fields["decision"] = field("decision") ?? ""
        case "petition.reassign": fields["department"] = field("department") ?? ""; fields["assignee"] = field("assignee") ?? ""; fields["reason"] = field("reason") ?? ""
        case "petition.reopen", "petition.withdraw": fields["reason"] = field("reason") ?? ""
        case "petition.resolve": fields["resolution"] = field("resolution") ?? ""; fields["by"] = caller.name
        case "petition.feedback": fields["satisfied"] = field("satisfied") == "true"; if let c = field("comment") { fields["comment"] = c }
        case "petition.note":
            fields["text"] = action == "de-nghi-gia-han" ? field("reason").map { "Đề nghị gia hạn: " + $0 } ?? "" : field("text") ?? ""
        case "petition.merge": fields["into"] = (field("into") ?? "").uppercased(); fields["reason"] = field("reason") ?? ""
        default: break
        }
        do {
            let reply = try await api.command(type, fields, caller: caller, idempotencyKey: nil, expectedVersion: field("version").flatMap(Int64.init))
            if let position = (reply["position"] as? NSNumber)?.int64Value { api.wrote(position) }
            return try await petitionPage(request, caller: caller, id: id, notice: "Đã ghi: \(Self.eventNames[type] ?? type).", error: nil)
        } catch let problem as Problem {
            let message = problem.code == ErrorCode.versionMismatch.rawValue
                ? "Kiến nghị vừa được người khác cập nhật; trang đã tải lại, vui lòng xem rồi làm lại."
                : "Chưa ghi được: \(Self.vietnamese(problem))"
            return try await petitionPage(request, caller: caller, id: id, notice: nil, error: message, status: problem.status)
        }
    }

    /// What each command records, in Vietnamese.
    static let eventNames = ["petition.answer": "câu trả lời", "petition.refer": "chuyển giải quyết", "petition.extend": "gia hạn",
                             "petition.reassign": "giao lại", "petition.reopen": "mở lại", "petition.accept": "tiếp nhận",
                             "petition.resolve": "kết quả giải quyết", "petition.feedback": "ý kiến của cử tri", "petition.withdraw": "cử tri rút kiến nghị",
                             "petition.note": "ghi chú", "petition.merge": "gộp vào kiến nghị cùng nội dung"]

    func petitionPage(_ request: Request, caller: Caller, id: String, notice: String?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let reply: [String: Any]
        do { reply = try await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller) } catch let problem as Problem where problem.status == .notFound {
            var response = page("message", ["title": "Không tìm thấy", "message": "Không có kiến nghị \(id) trong các đơn vị anh/chị phụ trách."], caller: caller, request: request)
            response.status = .notFound
            return response
        }
        let stream = try await api.read(["type": "stream.read", "stream": "petition-\(id)"], caller: caller)
        let events = stream["events"] as? [[String: Any]] ?? []
        let registry = try await api.registry()
        let p = reply["petition"] as? [String: Any] ?? [:]
        let statusCode = p["status"] as? String ?? ""
        let deadline = (p["deadline"] as? String).flatMap(LocalDate.init)
        let today = LocalDate(containing: Date())
        var view: [String: Any] = [
            "petitionId": id, "status": PetitionStatus(rawValue: statusCode)?.vietnamese ?? statusCode,
            "kind": (p["kind"] as? String).flatMap(PetitionKind.init(rawValue:))?.vietnamese ?? "",
            "field": (p["category"] as? String).flatMap(PetitionCategory.init(rawValue:))?.vietnamese ?? "",
            "unit": p["unit"] as? String ?? "", "content": p["content"] as? String ?? "", "trackingCode": p["trackingCode"] as? String ?? "",
            "submittedAt": (p["submittedAt"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "",
        ]
        for key in ["department", "holder", "answer", "resolution"] { if let v = p[key] as? String, !v.isEmpty { view[key] = v } }
        if let deadline, PetitionStatus(rawValue: statusCode)?.isOutstanding == true || statusCode == "referred" {
            let left = deadline.dayNumber - today.dayNumber
            view["deadline"] = deadline.vietnamese
            view["deadlineText"] = left >= 0 ? "còn \(left) ngày" : "quá hạn \(-left) ngày"
            view["deadlineClass"] = left >= 0 ? (left <= 7 ? "warn" : "") : "danger"
        }
        let custody = (reply["custody"] as? [[String: Any]] ?? []).map { span -> [String: Any] in
            [
                "holder": span["holder"] as? String ?? "", "department": span["department"] as? String ?? "—",
                "from": (span["from"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "",
                "to": (span["to"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "đang giữ",
                "ended": (span["ended"] as? String).map { CustodyEnd(rawValue: $0)?.vietnamese ?? $0 } ?? "",
                "days": (span["days"] as? NSNumber).map { String(format: "%.1f", $0.doubleValue).replacingOccurrences(of: ".", with: ",") } ?? "",
            ]
        }
        let timeline = events.map { event -> [String: Any] in
            let type = event["type"] as? String ?? ""
            let base = type.split(separator: ".").dropLast().joined(separator: ".")
            let data = event["data"] as? [String: Any] ?? [:]
            var entry: [String: Any] = ["when": (event["time"] as? String).flatMap(Timestamp.parse).map(Self.dateTime) ?? "",
                                        "what": Self.timelineNames[base] ?? type]
            if let actor = event["actor"] as? String {
                let id = actor.split(separator: "/").last.map(String.init) ?? actor
                entry["who"] = actor.hasPrefix("system/") ? "hệ thống" : registry.officials[id]?.name ?? id
            }
            let detail: String? = switch base {
            case "petition.answered": data["answer"] as? String
            case "petition.referred": [data["department"] as? String, data["assignee"] as? String].compactMap { $0 }.joined(separator: ", ")
                + ((data["deadline"] as? String).flatMap(LocalDate.init).map { "; hạn \($0.vietnamese)" } ?? "")
            case "petition.extended": (data["decision"] as? String ?? "") + ((data["deadline"] as? String).flatMap(LocalDate.init).map { "; hạn mới \($0.vietnamese)" } ?? "")
            case "petition.reassigned": [data["department"] as? String, data["assignee"] as? String, data["reason"] as? String].compactMap { $0 }.joined(separator: ", ")
            case "petition.resolved": data["resolution"] as? String
            case "petition.feedback": (data["satisfied"] as? Bool == true ? "Đồng ý" : "Chưa đồng ý") + ((data["comment"] as? String).map { ": \($0)" } ?? "")
            case "petition.reopened", "petition.withdrawn", "petition.merged": data["reason"] as? String
            case "petition.note-added": data["text"] as? String
            case "petition.escalated": (data["level"] as? String).flatMap(EscalationLevel.init(rawValue:))?.vietnamese
            default: nil
            }
            if let detail, !detail.isEmpty { entry["detail"] = detail }
            return entry
        }
        let offered = actions(for: caller, petition: p, events: events, registry: registry)
        let version = events.count
        var context: [String: Any] = [
            "title": "Kiến nghị \(id)", "p": view, "custody": custody, "timeline": timeline, "hasActions": !offered.isEmpty,
            "actions": offered.map { a -> [String: Any] in
                ["action": a.action, "label": a.label, "version": version,
                 "fields": a.fields.map { f -> [String: Any] in
                     var out: [String: Any] = ["name": f.name, "label": f.label, "required": f.required]
                     if let options = f.options {
                         // A list of departments is narrowed by typing, diacritics ignored (app.js), like the conference's.
                         out["select"] = ["options": options.map { ["code": $0.code, "name": $0.name, "folded": SearchText.fold($0.name)] },
                                          "filterable": f.name == "department" && options.count > 1]
                     }
                     return out
                 }]
            },
        ]
        if let notice { context["notice"] = notice }
        if let error { context["error"] = error }
        var response = page("petition", context, caller: caller, request: request)
        response.status = status
        return response
    }

    static let timelineNames = [
        "petition.submitted": "Ghi nhận kiến nghị", "petition.answered": "Trả lời tại hội nghị", "petition.referred": "Chuyển cơ quan chuyên môn giải quyết",
        "petition.accepted": "Cơ quan chuyên môn tiếp nhận", "petition.extended": "Gia hạn", "petition.reassigned": "Giao lại",
        "petition.resolved": "Giải quyết xong", "petition.feedback": "Ý kiến của cử tri", "petition.reopened": "Mở lại",
        "petition.withdrawn": "Cử tri rút kiến nghị", "petition.merged": "Gộp vào kiến nghị cùng nội dung",
        "petition.duplicate-merged": "Nhận một kiến nghị trùng được gộp vào", "petition.escalated": "Cảnh báo thời hạn", "petition.note-added": "Ghi chú",
    ]
}
