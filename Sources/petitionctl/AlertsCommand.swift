import ArgumentParser
import Foundation
import Runtime

struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Alerts raised by escalations, newest first, and whether each sink delivered them.")

    @Option(help: "Only this unit.") var unit: String?
    @Option(help: "Only alerts about this petition.") var petition: String?
    @Option(help: "Only alerts in this state: pending, delivered or failed.") var state: String?
    @Option(help: "Only this rung: warning, overdue or escalated.") var level: String?
    @Option(help: "List at most this many (1 to 10000).") var limit: Int = 100
    @Option(help: "Wait until the projection has applied this log position (read your own writes).") var minPosition: Int?
    @OptionGroup var read: ReadOptions
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if let state, !["pending", "delivered", "failed"].contains(state) {
            throw ValidationError("--state must be pending, delivered or failed, got \"\(state)\"")
        }
        if let level, !["warning", "overdue", "escalated"].contains(level) {
            throw ValidationError("--level must be warning, overdue or escalated, got \"\(level)\"")
        }
    }

    func run() throws {
        try performRead(options, read) { client in
            var body: [String: Any] = ["type": "alerts", "limit": limit]
            if let unit { body["unit"] = unit }
            if let petition { body["petitionId"] = petition }
            if let state { body["state"] = state }
            if let level { body["level"] = level }
            if let minPosition { body["minPosition"] = minPosition; body["waitMs"] = options.timeoutMs }
            let reply = try client.query(body)
            let items = reply["items"] as? [[String: Any]] ?? []
            let total = reply["total"] as? Int ?? items.count
            var lines = ["\(Words.number(total)) cảnh báo (nhật ký đến vị trí \(reply["position"] ?? 0))"
                         + (total > items.count ? ", hiện \(items.count) cảnh báo mới nhất (--limit)" : "")]
            guard !items.isEmpty else { return (reply, lines.joined(separator: "\n")) }
            var table = TextTable(["CẢNH BÁO", "MỨC", "ĐƠN VỊ", "NGƯỜI GIỮ", "GỬI ĐẾN", "TÍNH TỪ", "PHÁT RA", "TRẠNG THÁI"])
            var sinks: [[String]] = []
            for a in items {
                table.add(["\(a["alertId"] ?? "")", Words.level(a["level"]), "\(a["unit"] ?? "")", "\(a["department"] ?? "") / \(a["assignee"] ?? "")",
                           "\(a["recipient"] ?? "")", Words.date(a["due"]), LocalTime.minutes(a["raisedAt"]), Words.delivery(a["state"])])
                sinks.append((a["deliveries"] as? [[String: Any]] ?? []).map(Self.describe))
            }
            let rendered = table.lines()
            lines.append(rendered[0])
            for (line, deliveries) in zip(rendered.dropFirst(), sinks) {
                lines.append(line)
                lines += deliveries.map { "    " + $0 }
            }
            return (reply, lines.joined(separator: "\n"))
        }
    }

    /// `webhook: đã gửi 19/04/2026 08:01 sau 2 lần (HTTP 204)`.
    static func describe(_ d: [String: Any]) -> String {
        let attempts = (d["attempts"] as? Int) ?? 0
        let tries = "\(attempts) lần"
        let sink = "\(d["sink"] ?? "")"
        switch d["state"] as? String {
        case "delivered":
            let detail = (d["detail"] as? String).map { $0.isEmpty ? "" : " (\($0))" } ?? ""
            return "\(sink): đã gửi \(LocalTime.minutes(d["deliveredAt"])) sau \(tries)\(detail)"
        case "failed":
            return "\(sink): không gửi được, đã thôi sau \(tries): \(d["lastError"] ?? "")"
        default:
            return "\(sink): đang thử lại sau \(tries), lần lỗi gần nhất \(LocalTime.minutes(d["lastFailedAt"])): \(d["lastError"] ?? "")"
        }
    }
}
