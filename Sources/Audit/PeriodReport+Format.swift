import Foundation
import PetitionDomain

extension PeriodReport {
    /// Output formats of the report (`petitionctl report --format`, the API's `?format=`).
    public enum Format: String, CaseIterable, Sendable {
        case md, csv, json, xlsx

        /// The media type of a file in this format.
        public var mediaType: String {
            switch self {
            case .md: "text/markdown; charset=utf-8"
            case .csv: "text/csv; charset=utf-16le"
            case .json: "application/json; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    /// The report in `format`: Markdown tables, CSV for Excel under any regional settings (``ExcelText``), JSON, or an
    /// Excel workbook.
    public func data(_ format: Format) throws -> Data {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(self) + Data("\n".utf8)
        case .md: return Data(markdown().utf8)
        case .csv: return csv()
        case .xlsx: return try workbook()
        }
    }

    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        return String(format: "%.1f%%", rate * 100).replacingOccurrences(of: ".", with: ",")
    }

    private static let unitColumns = ["Hội nghị", "Kiến nghị", "Trả lời tại hội nghị", "Chuyển giải quyết", "Giải quyết đúng hạn", "Giải quyết trễ hạn",
                                      "Còn quá hạn", "Tỷ lệ đúng hạn"]

    private static func unitCells(_ f: Figures) -> [String] {
        [f.conferences, f.petitions, f.answeredOnSite, f.referred, f.resolvedOnTime, f.resolvedLate, f.openOverdue].map(String.init) + [percent(f.onTimeRate)]
    }

    private static func holderCells(_ h: HolderLine) -> [String] {
        [h.received, h.resolvedOnTime, h.resolvedLate, h.holdingAtEnd, h.openOverdue].map(String.init) + [percent(h.onTimeRate)]
    }

    private static let holderColumns = ["Tiếp nhận", "Giải quyết đúng hạn", "Giải quyết trễ hạn", "Đang giữ cuối kỳ", "Còn quá hạn", "Tỷ lệ đúng hạn"]

    private func markdown() -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            let escape = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
            var t = "| " + header.map(escape).joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: header.count) + "\n"
            for r in rows { t += "| " + r.map(escape).joined(separator: " | ") + " |\n" }
            return t
        }
        let from = LocalDate(period.from)?.vietnamese ?? period.from, to = LocalDate(period.to)?.vietnamese ?? period.to
        var s = "# Báo cáo kết quả đối thoại — \(unit), \(period.label) (\(from) – \(to))\n\n"
        s += "Tính từ nhật ký sự kiện đến vị trí \(position). Ngày là ngày sự việc diễn ra (giờ Việt Nam). "
        s += "Tỷ lệ đúng hạn = giải quyết đúng hạn ÷ (đúng hạn + trễ hạn + còn quá hạn cuối kỳ).\n\n"
        s += "## Đơn vị\n\n"
        s += table(["Đơn vị"] + Self.unitColumns, units.map { [$0.unit] + Self.unitCells($0.figures) } + [["**Tổng cộng**"] + Self.unitCells(total)])
        s += "\n## Theo lĩnh vực\n\n"
        s += table(["Lĩnh vực", "Kiến nghị"], total.byField.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { [PetitionCategory(rawValue: $0.key)?.vietnamese ?? $0.key, String($0.value)] })
        s += "\n## Theo loại\n\n"
        s += table(["Loại", "Kiến nghị"], total.byKind.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { [PetitionKind(rawValue: $0.key)?.vietnamese ?? $0.key, String($0.value)] })
        s += "\n## Cơ quan chuyên môn\n\n"
        s += table(["Đơn vị", "Cơ quan"] + Self.holderColumns, departments.map { [$0.unit, $0.department] + Self.holderCells($0) })
        s += "\n## Cán bộ\n\n"
        s += table(["Đơn vị", "Cơ quan", "Cán bộ"] + Self.holderColumns, officials.map { [$0.unit, $0.department, $0.assignee ?? ""] + Self.holderCells($0) })
        return s
    }

    /// The report as one table for Excel whatever its regional settings: Vietnamese Windows separates a CSV's fields
    /// with ";" and reads "83.3" as text, English Windows separates with "," and reads "83,3" as text, so a UTF-8
    /// comma file opens as one column per row under Vietnamese settings. A UTF-16LE file with a byte order mark and
    /// tabs between fields is what Excel opens as a table under both, with Vietnamese letters intact; every figure is a
    /// whole number (the on-time rate a whole percentage, "83%", which both read as a number), so none depends on
    /// the decimal separator. Headers and names in Vietnamese; one row per unit, the total, then each department
    /// and official. The exact rates are in the JSON and the workbook.
    private func csv() -> Data {
        let fields = total.byField.keys.sorted(), kinds = total.byKind.keys.sorted()
        let header = ["Phạm vi", "Đơn vị", "Cơ quan", "Cán bộ", "Hội nghị", "Kiến nghị", "Trả lời tại hội nghị", "Chuyển giải quyết",
                      "Giải quyết đúng hạn", "Giải quyết trễ hạn", "Còn quá hạn", "Tỷ lệ đúng hạn", "Tiếp nhận", "Đang giữ cuối kỳ"]
            + fields.map { "Lĩnh vực: " + (PetitionCategory(rawValue: $0)?.vietnamese ?? $0) }
            + kinds.map { "Loại: " + (PetitionKind(rawValue: $0)?.vietnamese ?? $0) }
        func rate(_ r: Double?) -> String { r.map { "\(Int(($0 * 100).rounded()))%" } ?? "" }
        var rows = [header]
        func unitRow(_ scope: String, _ name: String, _ f: Figures) -> [String] {
            [scope, name, "", ""] + [f.conferences, f.petitions, f.answeredOnSite, f.referred, f.resolvedOnTime, f.resolvedLate, f.openOverdue].map(String.init)
                + [rate(f.onTimeRate), "", ""] + fields.map { String(f.byField[$0] ?? 0) } + kinds.map { String(f.byKind[$0] ?? 0) }
        }
        rows += units.map { unitRow($0.parent == nil ? "Đơn vị" : "Đơn vị trực thuộc", $0.unit, $0.figures) }
        rows.append(unitRow("Tổng cộng", unit, total))
        for (scope, lines) in [("Cơ quan", departments), ("Cán bộ", officials)] {
            for h in lines {
                rows.append([scope, h.unit, h.department, h.assignee ?? "", "", "", "", "", String(h.resolvedOnTime), String(h.resolvedLate), String(h.openOverdue),
                             rate(h.onTimeRate), String(h.received), String(h.holdingAtEnd)]
                            + Array(repeating: "", count: fields.count + kinds.count))
            }
        }
        return ExcelText.data(rows)
    }
}

/// A table as text that Excel opens the same under any regional settings: UTF-16LE with a byte order mark, fields
/// separated by tabs, rows by CRLF; a field holding a tab, quote or line break is quoted (quotes doubled), and a text
/// a spreadsheet would take for a formula (= + - @ first) is prefixed with an apostrophe, so opening it runs nothing.
public enum ExcelText {
    public static func data(_ rows: [[String]]) -> Data {
        let text = rows.map { $0.map(field).joined(separator: "\t") }.joined(separator: "\r\n") + "\r\n"
        var out = Data([0xFF, 0xFE])
        for unit in text.utf16 { out.append(UInt8(unit & 0xFF)); out.append(UInt8(unit >> 8)) }
        return out
    }

    static func field(_ text: String) -> String { LogExport.csvField(text, separator: "\t") }
}
