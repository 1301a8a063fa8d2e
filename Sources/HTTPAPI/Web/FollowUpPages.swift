import EventSourcing
import Foundation
import Hummingbird
import PetitionDomain

/// Who holds what (responsibility per department and official) and the search across petitions, within the
/// official's units: the projector's `responsibility` and `search`, as pages.
extension WebApp {
    func followUpRoutes(_ router: Router<APIRequestContext>) {
        router.get("trach-nhiem") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            let reply = try await api.query("responsibility", ["minPosition": api.lastPosition], caller: caller)
            func rows(_ key: String, assignee: Bool) -> [[String: Any]] {
                (reply[key] as? [[String: Any]] ?? []).map { r in
                    let department = r["department"] as? String ?? ""
                    return [
                        "unit": r["unit"] as? String ?? "", "department": department, "showAssignee": assignee, "assignee": r["assignee"] as? String ?? "",
                        "departmentQuery": department.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
                        "holding": Self.number(r["holding"] as? Int ?? 0), "overdue": Self.number(r["overdue"] as? Int ?? 0), "late": (r["overdue"] as? Int ?? 0) > 0,
                        "onTime": Self.number(r["resolvedOnTime"] as? Int ?? 0), "lateCount": Self.number(r["resolvedLate"] as? Int ?? 0),
                        "median": Self.days(r["medianDaysToResolve"]), "p90": Self.days(r["p90DaysToResolve"]),
                        "rate": (r["onTimeRate"] as? NSNumber).map { Self.percent($0.doubleValue) } ?? "—",
                    ]
                }
            }
            let departments = reply["departments"] as? [[String: Any]] ?? []
            let bars = departments.filter { ($0["holding"] as? Int ?? 0) > 0 }
                .sorted { ($0["holding"] as? Int ?? 0) > ($1["holding"] as? Int ?? 0) }.prefix(15)
                .map { SVGBars.Bar(label: $0["department"] as? String ?? "", value: $0["holding"] as? Int ?? 0, part: $0["overdue"] as? Int ?? 0) }
            return page("responsibility", [
                "title": "Trách nhiệm giải quyết",
                "today": (reply["today"] as? String).flatMap(LocalDate.init)?.vietnamese ?? "",
                "chart": SVGBars.chart(Array(bars), legend: ("đang giữ", "trong đó quá hạn"), title: "Kiến nghị đang giữ theo cơ quan"),
                "groups": [
                    ["heading": "Theo cơ quan chuyên môn", "id": "bang-co-quan", "officials": false, "rows": rows("departments", assignee: false)],
                    ["heading": "Theo cán bộ", "id": "bang-can-bo", "officials": true, "rows": rows("officials", assignee: true)],
                ],
            ], caller: caller, request: request)
        }
        router.get("tim-kiem") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            func value(_ name: String) -> String? { Self.formQuery(request, name) }
            let text = value("tu-khoa"), category = value("linh-vuc"), department = value("co-quan"), unit = value("don-vi")
            let registry = try await api.registry()
            let units = Self.unitChoices(caller, registry, selected: unit ?? "", includeRetired: true)
            // The departments that can hold the official's petitions: those of their units and of the units above.
            var codes = registry.subtree(caller.unit)
            var up = registry.units[caller.unit]?.parent
            while let c = up { codes.insert(c); up = registry.units[c]?.parent }
            let names = Set(codes.flatMap { (registry.departments[$0] ?? [:]).values.map(\.name) }).union(department.map { [$0] } ?? [])
            let departments = names.sorted().map { ["name": $0, "folded": SearchText.fold($0), "selected": $0 == department] as [String: Any] }
            var context: [String: Any] = [
                "title": "Tìm kiếm", "text": text ?? "", "department": department ?? "", "units": units, "departments": departments,
                "categories": PetitionCategory.allCases.map { ["code": $0.rawValue, "name": $0.vietnamese, "selected": $0.rawValue == category] as [String: Any] },
            ]
            if text != nil || category != nil || department != nil || unit != nil {
                var fields: [String: Any] = ["limit": 50, "minPosition": api.lastPosition]
                if let text { fields["text"] = text }
                if let category { fields["category"] = category }
                if let department { fields["department"] = department }
                if let unit { fields["unit"] = unit }
                if let cursor = value("trang") { fields["after"] = cursor }
                do {
                    let reply = try await api.query("search", fields, caller: caller)
                    var searched: [String: Any] = [
                        "count": Self.number(reply["total"] as? Int ?? 0),
                        "items": (reply["items"] as? [[String: Any]] ?? []).map { item -> [String: Any] in
                            [
                                "petitionId": item["petitionId"] as? String ?? "", "content": item["content"] as? String ?? "",
                                "field": (item["category"] as? String).flatMap(PetitionCategory.init(rawValue:))?.vietnamese ?? "",
                                "status": (item["status"] as? String).flatMap(PetitionStatus.init(rawValue:))?.vietnamese ?? "",
                                "unit": item["unit"] as? String ?? "", "department": item["department"] as? String ?? "",
                                "submitted": (item["submittedAt"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "",
                            ]
                        },
                    ]
                    if let next = reply["next"] as? String {
                        var unreserved = CharacterSet.alphanumerics
                        unreserved.insert(charactersIn: "-._~")
                        let keep = [("tu-khoa", text), ("linh-vuc", category), ("co-quan", department), ("don-vi", unit)].compactMap { k, v in
                            v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }
                        }
                        searched["next"] = "/tim-kiem?" + (keep + ["trang=\(next)"]).joined(separator: "&")
                    }
                    context["searched"] = searched
                } catch let problem as Problem {
                    context["error"] = "Chưa tìm được: \(Self.vietnamese(problem))"
                }
            }
            return page("search", context, caller: caller, request: request)
        }
    }

    /// Days with one decimal, the Vietnamese way (12,5), or "—".
    static func days(_ value: Any?) -> String {
        (value as? NSNumber).map { String(format: "%.1f", $0.doubleValue).replacingOccurrences(of: ".", with: ",") } ?? "—"
    }
}
