import Foundation

extension PeriodReport {
    /// Output formats of the report (`petitionctl report --format`, the API's `?format=`).
    public enum Format: String, CaseIterable, Sendable {
        case md, csv, json, xlsx

        /// The media type of a file in this format.
        public var mediaType: String {
            switch self {
            case .md: "text/markdown; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            case .json: "application/json; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    /// The report in `format`: Markdown tables, CSV for Excel (UTF-8 with BOM, CRLF), JSON, or an Excel workbook.
    public func data(_ format: Format) throws -> Data {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(self) + Data("\n".utf8)
        case .md: return Data(markdown().utf8)
        case .csv: return Data(csv().utf8)
        case .xlsx: return try workbook()
        }
    }

    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        return String(format: "%.1f%%", rate * 100)
    }

    private static let unitColumns = ["conferences", "petitions", "answered on-site", "referred", "resolved on time", "resolved late",
                                      "open overdue", "on-time rate"]

    private static func unitCells(_ f: Figures) -> [String] {
        [f.conferences, f.petitions, f.answeredOnSite, f.referred, f.resolvedOnTime, f.resolvedLate, f.openOverdue].map(String.init) + [percent(f.onTimeRate)]
    }

    private static func holderCells(_ h: HolderLine) -> [String] {
        [h.received, h.resolvedOnTime, h.resolvedLate, h.holdingAtEnd, h.openOverdue].map(String.init) + [percent(h.onTimeRate)]
    }

    private static let holderColumns = ["received", "resolved on time", "resolved late", "holding at end", "open overdue", "on-time rate"]

    private func markdown() -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            let escape = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
            var t = "| " + header.map(escape).joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: header.count) + "\n"
            for r in rows { t += "| " + r.map(escape).joined(separator: " | ") + " |\n" }
            return t
        }
        var s = "# Báo cáo kết quả đối thoại — \(unit), \(period.label) (\(period.from) – \(period.to))\n\n"
        s += "From the event log up to position \(position). Dates are when things happened (Asia/Ho_Chi_Minh). "
        s += "On-time rate = resolved on time ÷ (resolved on time + resolved late + open overdue at the end of the period).\n\n"
        s += "## Units\n\n"
        s += table(["unit"] + Self.unitColumns, units.map { [$0.unit] + Self.unitCells($0.figures) } + [["**total**"] + Self.unitCells(total)])
        s += "\n## Petitions by field\n\n"
        s += table(["field", "petitions"], total.byField.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        s += "\n## Petitions by kind\n\n"
        s += table(["kind", "petitions"], total.byKind.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        s += "\n## Departments\n\n"
        s += table(["unit", "department"] + Self.holderColumns, departments.map { [$0.unit, $0.department] + Self.holderCells($0) })
        s += "\n## Officials\n\n"
        s += table(["unit", "department", "official"] + Self.holderColumns, officials.map { [$0.unit, $0.department, $0.assignee ?? ""] + Self.holderCells($0) })
        return s
    }

    private func csv() -> String {
        let fields = total.byField.keys.sorted(), kinds = total.byKind.keys.sorted()
        let header = ["scope", "unit", "department", "official"] + Self.unitColumns + Self.holderColumns.filter { !Self.unitColumns.contains($0) }
            + fields.map { "field:\($0)" } + kinds.map { "kind:\($0)" }
        var rows = [header]
        let blankHolder = Array(repeating: "", count: 2) // received, holding at end
        func unitRow(_ scope: String, _ name: String, _ f: Figures) -> [String] {
            [scope, name, "", ""] + Self.unitCells(f) + blankHolder + fields.map { String(f.byField[$0] ?? 0) } + kinds.map { String(f.byKind[$0] ?? 0) }
        }
        rows += units.map { unitRow($0.parent == nil ? "unit" : "unit below", $0.unit, $0.figures) }
        rows.append(unitRow("total", unit, total))
        for (scope, lines) in [("department", departments), ("official", officials)] {
            for h in lines {
                rows.append([scope, h.unit, h.department, h.assignee ?? "", "", "", "", "", String(h.resolvedOnTime), String(h.resolvedLate), String(h.openOverdue),
                             Self.percent(h.onTimeRate), String(h.received), String(h.holdingAtEnd)]
                            + Array(repeating: "", count: fields.count + kinds.count))
            }
        }
        return "\u{FEFF}" + rows.map { $0.map(LogExport.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
