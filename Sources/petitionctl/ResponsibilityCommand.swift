import ArgumentParser
import Foundation
import Runtime

struct ResponsibilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responsibility",
        abstract: "Who holds what, per department and per official, and how they did: overdue, on time, days to resolve.")

    @Option(help: "Only this unit.") var unit: String?
    @Option(help: "Only this department and its officials.") var department: String?
    @Option(help: "Wait until the projection has applied this log position (read your own writes).") var minPosition: Int?
    @OptionGroup var read: ReadOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try performRead(options, read) { client in
            var body: [String: Any] = ["type": "responsibility"]
            if let unit { body["unit"] = unit }
            if let department { body["department"] = department }
            if let minPosition { body["minPosition"] = minPosition; body["waitMs"] = options.timeoutMs }
            let reply = try client.query(body)
            let departments = reply["departments"] as? [[String: Any]] ?? []
            let officials = reply["officials"] as? [[String: Any]] ?? []
            var lines = ["Trách nhiệm ngày \(Words.date(reply["today"])) (nhật ký đến vị trí \(reply["position"] ?? 0))"]
            if departments.isEmpty {
                lines.append("chưa cơ quan nào giữ kiến nghị")
                return (reply, lines.joined(separator: "\n"))
            }
            lines += ["", "Cơ quan"] + Self.table(departments, official: false)
            lines += ["", "Cán bộ"] + Self.table(officials, official: true)
            lines += ["", "Tỷ lệ đúng hạn = đúng hạn ÷ (đã giải quyết + đang giữ quá hạn). Số ngày tính từ khi nhận đến khi giải quyết."]
            return (reply, lines.joined(separator: "\n"))
        }
    }

    /// One aligned table of holder records.
    static func table(_ records: [[String: Any]], official: Bool) -> [String] {
        let names = official ? ["ĐƠN VỊ", "CƠ QUAN", "CÁN BỘ"] : ["ĐƠN VỊ", "CƠ QUAN"]
        let figures = ["ĐANG GIỮ", "TỪ", "QUÁ HẠN", "ĐÚNG HẠN", "TRỄ HẠN", "ĐÃ CHUYỂN", "TRUNG VỊ NGÀY", "P90 NGÀY", "TỶ LỆ ĐÚNG HẠN"]
        var table = TextTable(names + figures, rightAligned: Set(names.count..<(names.count + figures.count)))
        for r in records {
            var row = [r["unit"] as? String ?? "", r["department"] as? String ?? ""]
            if official { row.append(r["assignee"] as? String ?? "") }
            row += [cell(r["holding"]), r["heldSince"] is String ? LocalTime.day(r["heldSince"]) : "—", cell(r["overdue"]),
                    cell(r["resolvedOnTime"]), cell(r["resolvedLate"]), cell(r["handedOver"]),
                    cell(r["medianDaysToResolve"]), cell(r["p90DaysToResolve"]), percent(r["onTimeRate"])]
            table.add(row)
        }
        return table.lines()
    }

    /// 0.6667 as `66,7%` (the Vietnamese decimal comma); `—` for null.
    static func percent(_ value: Any?) -> String {
        guard let n = value as? NSNumber else { return "—" }
        return String(format: "%.1f%%", n.doubleValue * 100).replacingOccurrences(of: ".", with: ",")
    }
}
