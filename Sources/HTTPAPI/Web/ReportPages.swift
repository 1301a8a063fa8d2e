import Audit
import Foundation
import Hummingbird
import PetitionDomain

/// The period report on screen, as `petitionctl report` and `GET /api/v1/reports` compute it: the figures the
/// articles quote, the units below, the fields ranked with a chart, and the workbook and CSV to download.
extension WebApp {
    func reportRoutes(_ router: Router<APIRequestContext>) {
        router.get("bao-cao") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            return try await reportPage(request, caller: caller)
        }
    }

    /// The periods a report is asked for, this year and the last: months, quarters (quý), 6 and 9 months, the year.
    static func periods(around today: LocalDate) -> [(code: String, name: String)] {
        let year = Int(today.description.prefix(4)) ?? 2026
        var out: [(String, String)] = []
        for y in [year, year - 1] {
            out.append(("\(y)", "Năm \(y)"))
            out.append(("\(y)-9M", "9 tháng đầu năm \(y)"))
            out.append(("\(y)-H1", "6 tháng đầu năm \(y)"))
            for (q, roman) in [(4, "IV"), (3, "III"), (2, "II"), (1, "I")] { out.append(("\(y)-Q\(q)", "Quý \(roman) năm \(y)")) }
            for m in (1...12).reversed() { out.append(("\(y)-\(m < 10 ? "0" : "")\(m)", "Tháng \(m)/\(y)")) }
        }
        return out
    }

    func reportPage(_ request: Request, caller: Caller) async throws -> Response {
        let registry = try await api.registry()
        let unitCode = Self.formQuery(request, "don-vi") ?? caller.unit
        let periodCode = Self.formQuery(request, "ky") ?? "\(LocalDate(containing: Date()).description.prefix(4))"
        let units = Self.unitChoices(caller, registry, selected: unitCode, includeRetired: true)
        var context: [String: Any] = [
            "title": "Báo cáo", "units": units,
            "periods": Self.periods(around: LocalDate(containing: Date())).map { ["code": $0.code, "name": $0.name, "selected": $0.code == periodCode] as [String: Any] },
        ]
        do {
            let (report, unit, period) = try await Reports.make(api, caller: caller, unit: unitCode, period: periodCode)
            let periodName = Self.periods(around: LocalDate(containing: Date())).first { $0.code == periodCode }?.name ?? period.label
            func row(_ name: String, _ f: PeriodReport.Figures, total: Bool) -> [String: Any] {
                ["unit": name, "conferences": Self.number(f.conferences), "petitions": Self.number(f.petitions),
                 "answeredOnSite": Self.number(f.answeredOnSite), "referred": Self.number(f.referred),
                 "resolvedOnTime": Self.number(f.resolvedOnTime), "resolvedLate": Self.number(f.resolvedLate), "openOverdue": Self.number(f.openOverdue),
                 "rate": f.onTimeRate.map { Self.percent($0) } ?? "—", "total": total]
            }
            let below = report.units.filter { $0.parent != nil }
            let held = below.filter { $0.figures.conferences > 0 }.count
            let fields = report.total.byField.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            let top = fields.prefix(3).map { (PetitionCategory(rawValue: $0.key)?.vietnamese ?? $0.key).lowercased() }
            var summary = "\(Self.number(report.total.conferences)) hội nghị đối thoại, \(Self.number(report.total.petitions)) lượt ý kiến, kiến nghị"
            if !top.isEmpty { summary += ", tập trung về \(top.joined(separator: ", "))" }
            summary += "; \(Self.number(report.total.answeredOnSite)) được trả lời tại hội nghị, \(Self.number(report.total.referred)) chuyển cơ quan chuyên môn giải quyết"
            if !below.isEmpty { summary += "; \(held)/\(below.count) đơn vị trực thuộc đã tổ chức đối thoại" }
            let query = "unit=\(unit.code)&period=\(period.label)"
            context["report"] = [
                "heading": "\(unit.name), \(periodName) (\(LocalDate(report.period.from)?.vietnamese ?? report.period.from) – \(LocalDate(report.period.to)?.vietnamese ?? report.period.to))",
                "summary": summary + ".", "position": Self.number(Int(report.position)),
                "rows": report.units.map { row($0.unit, $0.figures, total: false) } + [row("Tổng cộng", report.total, total: true)],
                "xlsx": "/api/v1/reports?\(query)&format=xlsx", "csv": "/api/v1/reports?\(query)&format=csv",
                "fieldChart": SVGBars.chart(fields.map { SVGBars.Bar(label: PetitionCategory(rawValue: $0.key)?.vietnamese ?? $0.key, value: $0.value, part: 0) },
                                            legend: ("kiến nghị", nil), title: "Kiến nghị theo lĩnh vực"),
            ] as [String: Any]
        } catch let problem as Problem {
            context["error"] = "Chưa lập được báo cáo: \(Self.vietnamese(problem))"
        }
        return page("report", context, caller: caller, request: request)
    }

    /// 0.5833 → "58,3%".
    static func percent(_ rate: Double) -> String {
        String(format: "%.1f", rate * 100).replacingOccurrences(of: ".", with: ",") + "%"
    }
}
