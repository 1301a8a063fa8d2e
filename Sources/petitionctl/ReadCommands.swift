import ArgumentParser
import Foundation
import Runtime

struct Outstanding: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every petition that still needs action: waiting for an answer or referral, or referred and unresolved.")

    @Option(help: "Only this unit.") var unit: String?
    @Option(help: "Only petitions held by this department.") var department: String?
    @Option(help: "Only petitions held by this official.") var assignee: String?
    @Flag(help: "Only referred petitions past their deadline.") var overdue = false
    @Option(help: "Wait until the projection has applied this log position (read your own writes).") var minPosition: Int?
    @Option(help: "List at most this many (1 to 10000).") var limit: Int = 1000
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            var body: [String: Any] = ["type": "outstanding", "overdue": overdue, "limit": limit]
            if let unit { body["unit"] = unit }
            if let department { body["department"] = department }
            if let assignee { body["assignee"] = assignee }
            if let minPosition { body["minPosition"] = minPosition; body["waitMs"] = options.timeoutMs }
            let reply = try client.query(body)
            let items = reply["items"] as? [[String: Any]] ?? []
            let total = reply["total"] as? Int ?? items.count
            var lines = ["\(total) outstanding (as of position \(reply["position"] ?? 0))" + (total > items.count ? ", first \(items.count) shown (--limit)" : "")]
            for item in items {
                let status = item["status"] as? String ?? ""
                var line = "\(item["petitionId"] ?? "")  \(item["unit"] ?? "")  \(item["category"] ?? "")  \(status)"
                if status == "referred" {
                    line += "  \(item["department"] ?? "") / \(item["assignee"] ?? "")  deadline \(item["deadline"] ?? "")"
                    if item["overdue"] as? Bool == true { line += "  OVERDUE \(item["daysOverdue"] ?? 0) d" }
                } else {
                    line += "  waiting for \(item["holder"] ?? "the chair") since \(item["heldSince"] ?? "")"
                }
                lines.append(line)
            }
            return (reply, lines.joined(separator: "\n"))
        }
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A petition's current state and its full event history.")

    @Argument(help: "The petition id.") var petition: String
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let history = try client.history(["type": "stream.read", "stream": "petition-\(petition)", "reveal": true])
            let events = history["events"] as? [[String: Any]] ?? []
            guard let last = events.last else {
                throw CLIError("petition \(petition) does not exist; check the id with `petitionctl outstanding`")
            }
            let state = try client.query(["type": "petition.get", "petitionId": petition,
                                          "minPosition": last["position"] ?? 0, "waitMs": options.timeoutMs])
            var result: [String: Any] = ["id": petition, "position": last["position"] ?? 0, "events": events]
            var view = state["petition"] as? [String: Any] ?? [:]
            if let people = history["personalData"] as? [String: Any], let personId = view["personId"] as? String,
               let person = people[personId] {
                view["citizen"] = person
            }
            result["petition"] = view
            let custody = state["custody"] as? [[String: Any]] ?? []
            result["custody"] = custody
            var lines = ["petition \(petition): \(view["status"] ?? "")  \(view["unit"] ?? "")  \(view["category"] ?? "")  \(view["kind"] ?? "")"]
            if let citizen = view["citizen"] as? [String: Any] { lines.append("citizen: \(citizen["name"] ?? "")") }
            lines.append("content: \(view["content"] ?? "")")
            if let holder = view["holder"] { lines.append("held by \(holder) since \(view["heldSince"] ?? "")") }
            if let deadline = view["deadline"] { lines.append("deadline \(deadline)\(view["overdue"] as? Bool == true ? " (OVERDUE)" : "")") }
            if !custody.isEmpty {
                lines.append("chain of hands:")
                lines += Self.custodyTable(custody).map { "  " + $0 }
            }
            lines.append("history:")
            for e in events {
                lines.append("  #\(e["position"] ?? "")  \(e["time"] ?? "")  \(e["type"] ?? "")  by \(e["actor"] ?? "")")
            }
            return (result, lines.joined(separator: "\n"))
        }
    }

    /// One line per holder: who, from when to when (local time), how it ended, the deadline they had, days held.
    static func custodyTable(_ spans: [[String: Any]]) -> [String] {
        var table = TextTable(["#", "HELD BY", "FROM", "TO", "ENDED", "DEADLINE", "DAYS"], rightAligned: [0, 6])
        for s in spans {
            let chair = s["holderKind"] as? String == "chair"
            let holder = chair ? "chair \(s["holder"] as? String ?? "?")" : "\(s["department"] as? String ?? "") / \(s["holder"] as? String ?? "")"
            var ended = s["ended"] as? String ?? "holding"
            if let onTime = s["onTime"] as? Bool { ended += onTime ? " on time" : " late" }
            if s["overdue"] as? Bool == true { ended += ", OVERDUE" }
            table.add([cell(s["seq"]), holder, LocalTime.minutes(s["from"]), s["to"] is String ? LocalTime.minutes(s["to"]) : "now",
                       ended, s["deadline"] as? String ?? "", cell(s["days"])])
        }
        return table.lines()
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Each process: alive, last position seen, lag.")

    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            var processes: [[String: Any]] = []
            var head: Int64 = 0
            let probes = [("petition-gateway", client.endpoints.commands), ("petition-projector", client.endpoints.queries)]
            for (name, endpoint) in probes {
                do {
                    let s = try client.call(endpoint, process: name, ["type": "status"], timeoutMs: min(options.timeoutMs, 2000))
                    let position = (s["position"] as? NSNumber)?.int64Value ?? 0
                    head = max(head, (s["head"] as? NSNumber)?.int64Value ?? 0, name == "petition-gateway" ? position : 0)
                    processes.append(["process": name, "endpoint": endpoint, "alive": true, "pid": s["pid"] ?? 0,
                                      "position": position, "startedAt": s["startedAt"] ?? ""])
                } catch let error as CLIError where error.code == "not_running" {
                    processes.append(["process": name, "endpoint": endpoint, "alive": false])
                }
            }
            for i in processes.indices {
                if let position = processes[i]["position"] as? Int64 { processes[i]["lag"] = max(0, head - position) }
            }
            let allAlive = processes.allSatisfy { $0["alive"] as? Bool == true }
            let lines = processes.map { p in
                p["alive"] as? Bool == true
                    ? "\(p["process"]!)  alive  pid \(p["pid"]!)  position \(p["position"]!)  lag \(p["lag"] ?? 0)"
                    : "\(p["process"]!)  NOT RESPONDING at \(p["endpoint"]!)"
            }
            let result: [String: Any] = ["ok": allAlive, "head": head, "processes": processes]
            if !allAlive {
                print(options.json ? CLIClient.json(result) : lines.joined(separator: "\n"))
                throw CLIError("not every process is running; start the system with `petitionctl up`", exitCode: 2)
            }
            return (result, lines.joined(separator: "\n"))
        }
    }
}
