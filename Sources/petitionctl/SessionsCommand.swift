import ArgumentParser
import Foundation
import Runtime

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "Dialogue sessions and where their petitions stand: recorded, answered on-site, referred, resolved, withdrawn, merged.")

    @Option(help: "Only this unit.") var unit: String?
    @Option(help: "Only sessions held at or after this time (RFC 3339 or YYYY-MM-DD).") var from: String?
    @Option(help: "Only sessions held before this time (RFC 3339 or YYYY-MM-DD: --to 2026-04-01 ends with March).") var to: String?
    @Option(help: "List at most this many (1 to 10000); the totals count every match.") var limit: Int = 1000
    @Option(help: "Wait until the projection has applied this log position (read your own writes).") var minPosition: Int?
    @OptionGroup var read: ReadOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try performRead(options, read) { client in
            var body: [String: Any] = ["type": "sessions", "limit": limit]
            if let unit { body["unit"] = unit }
            if let from { body["from"] = try TimeInput.parse(from, option: "--from") }
            if let to { body["to"] = try TimeInput.parse(to, option: "--to") }
            if let minPosition { body["minPosition"] = minPosition; body["waitMs"] = options.timeoutMs }
            let reply = try client.query(body)
            let items = reply["items"] as? [[String: Any]] ?? []
            let total = reply["total"] as? Int ?? items.count
            var lines = ["\(Words.number(total)) hội nghị (nhật ký đến vị trí \(reply["position"] ?? 0))"
                         + (total > items.count ? ", hiện \(items.count) hội nghị đầu (--limit)" : "")]
            guard !items.isEmpty else { return (reply, lines.joined(separator: "\n")) }
            var table = TextTable(["HỘI NGHỊ", "NGÀY", "ĐƠN VỊ", "CHỦ TRÌ", "KIẾN NGHỊ", "ĐANG CHỜ", "ĐÃ TRẢ LỜI", "ĐÃ CHUYỂN", "ĐÃ GIẢI QUYẾT",
                                   "ĐÃ RÚT", "ĐÃ GỘP"], rightAligned: Set(4...10))
            func add(_ first: [String], _ counts: [String: Any]) {
                let status = counts["byStatus"] as? [String: Any] ?? [:]
                let waiting = ((status["submitted"] as? Int) ?? 0) + ((status["reopened"] as? Int) ?? 0)
                table.add(first + [cell(counts["petitions"]), "\(waiting)", cell(status["answered"]), cell(status["referred"]),
                                   cell(status["resolved"]), cell(status["withdrawn"]), cell(status["merged"])])
            }
            for s in items {
                add(["\(s["sessionId"] ?? "")", LocalTime.minutes(s["heldAt"]), "\(s["unit"] ?? "")", "\(s["chair"] ?? "")"], s)
            }
            let totals = reply["totals"] as? [String: Any] ?? [:]
            add(["tất cả \(total)", "", "", ""], totals)
            lines += table.lines()
            for (name, key, word) in [("theo loại", "byKind", Words.kind), ("theo lĩnh vực", "byCategory", Words.field)] as [(String, String, (Any?) -> String)] {
                let counts = (totals[key] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { "\(word($0.key)) \($0.value)" }
                if !counts.isEmpty { lines.append("\(name): " + counts.joined(separator: ", ")) }
            }
            lines.append("Mỗi kiến nghị được đếm một lần, theo trạng thái hiện nay; đang chờ = chờ trả lời hoặc đang xem xét lại.")
            return (reply, lines.joined(separator: "\n"))
        }
    }
}
