import ArgumentParser
import Audit
import EventSourcing
import Foundation
import PetitionDomain
import Projections
import Runtime

struct Outstanding: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every petition that still needs action: waiting for an answer or referral, or referred and unresolved.")

    @Option(help: "Only this unit.") var unit: String?
    @Option(help: "Only petitions of this department: those it holds, and those reopened after it held them.") var department: String?
    @Option(help: "Only petitions held by this official.") var assignee: String?
    @Flag(help: "Only referred petitions past their deadline.") var overdue = false
    @Option(help: "Wait until the projection has applied this log position (read your own writes).") var minPosition: Int?
    @Option(help: "List at most this many (1 to 10000).") var limit: Int = 1000
    @OptionGroup var read: ReadOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try performRead(options, read) { client in
            var body: [String: Any] = ["type": "outstanding", "overdue": overdue, "limit": limit]
            if let unit { body["unit"] = unit }
            if let department { body["department"] = department }
            if let assignee { body["assignee"] = assignee }
            if let minPosition { body["minPosition"] = minPosition; body["waitMs"] = options.timeoutMs }
            let reply = try client.query(body)
            let items = reply["items"] as? [[String: Any]] ?? []
            let total = reply["total"] as? Int ?? items.count
            var lines = ["\(Words.number(total)) kiến nghị còn phải xử lý (nhật ký đến vị trí \(reply["position"] ?? 0))"
                         + (total > items.count ? ", hiện \(items.count) kiến nghị đầu (--limit)" : "")]
            for item in items {
                let status = item["status"] as? String ?? ""
                var line = "\(item["petitionId"] ?? "")  \(item["unit"] ?? "")  \(Words.field(item["category"]))  \(Words.status(status))"
                if status == "referred" {
                    line += "  \(item["department"] ?? "") / \(item["assignee"] ?? "")  hạn \(Words.date(item["deadline"]))"
                    if item["overdue"] as? Bool == true { line += "  QUÁ HẠN \(item["daysOverdue"] ?? 0) ngày" }
                } else {
                    line += "  chờ \(item["holder"] ?? "chủ tịch") từ \(LocalTime.minutes(item["heldSince"]))"
                }
                lines.append(line)
            }
            return (reply, lines.joined(separator: "\n"))
        }
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A petition's current state and its full event history; or as it stood at a past time (--as-of), or in a read model file (--read-model).")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "The petition as it stood at this time (RFC 3339 or YYYY-MM-DD) and who held it then, rebuilt from the log file in --data-dir (the system may be down).")
    var asOf: String?
    @Option(help: "With --as-of: the system's data folder (the one `up --data-dir` uses).") var dataDir: String = "data"
    @Option(help: "Why you look at the citizen's personal data: recorded with every look (access.recorded.v1); only a clerk or chair sees it.")
    var purpose: String = "Xem hồ sơ kiến nghị"
    @OptionGroup var read: ReadOptions
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if asOf != nil && read.readModel != nil { throw ValidationError("give --as-of or --read-model, not both") }
    }

    func run() throws {
        if let asOf { return try showAsOf(asOf) }
        if read.readModel != nil {
            return try performRead(options, read) { target in
                let reply = try target.query(["type": "petition.get", "petitionId": petition])
                let lines = Self.lines(petition, view: reply["petition"] as? [String: Any] ?? [:], custody: reply["custody"] as? [[String: Any]] ?? [])
                return (reply, (lines + ["(theo tệp bảng đọc \(read.readModel!), đến vị trí \(reply["position"] ?? 0))"]).joined(separator: "\n"))
            }
        }
        try perform(options) { client in
            // The citizen's data is opened for a clerk or chair, and the look recorded; anyone else sees the rest.
            var hidden = false
            let history: [String: Any]
            do {
                history = try client.history(["type": "stream.read", "stream": "petition-\(petition)", "reveal": true, "purpose": purpose])
            } catch let error as CLIError where error.code == .notPermitted {
                history = try client.history(["type": "stream.read", "stream": "petition-\(petition)"])
                hidden = true
            }
            let events = history["events"] as? [[String: Any]] ?? []
            guard let last = events.last else {
                throw CLIError("petition \(petition) does not exist; check the id with `petitionctl outstanding`")
            }
            var query: [String: Any] = ["type": "petition.get", "petitionId": petition, "minPosition": last["position"] ?? 0, "waitMs": options.timeoutMs]
            if let now = try read.nowMember() { query["now"] = now }
            let state = try client.query(query)
            var result: [String: Any] = ["id": petition, "position": last["position"] ?? 0, "events": events]
            var view = state["petition"] as? [String: Any] ?? [:]
            var erased = false
            if let people = history["personalData"] as? [String: Any], let personId = view["personId"] as? String {
                // The gateway opens every citizen whose key exists: one it leaves out was forgotten (person.forgotten.v1).
                if let person = people[personId] { view["citizen"] = person } else { erased = true }
            }
            result["petition"] = view
            let custody = state["custody"] as? [[String: Any]] ?? []
            result["custody"] = custody
            var lines = Self.lines(petition, view: view, custody: custody)
            if erased { lines.insert("cử tri: đã xóa (dữ liệu cá nhân đã được xóa vĩnh viễn)", at: 1) }
            if hidden { lines.insert("cử tri: không hiện (chỉ thư ký và chủ tịch xem được dữ liệu cá nhân của cử tri)", at: 1) }
            // Each event as the log names it (its type, who, and its one line, in the log's own words).
            lines.append("diễn biến:")
            for e in events {
                lines.append("  #\(e["position"] ?? "")  \(LocalTime.minutes(e["time"]))  \(e["type"] ?? "")  \(e["actor"] ?? "")  \(Self.summary(e))")
            }
            return (result, lines.joined(separator: "\n"))
        }
    }

    /// The petition as the log stood at `asOf`: its reply is the projector's `petition.get` reply for that moment.
    private func showAsOf(_ asOf: String) throws {
        do {
            let instant = try TimeInput.parse(asOf, option: "--as-of")
            let millis = Timestamp.parseMillis(instant)!
            let now = try read.nowMember().flatMap(Timestamp.parse) ?? Timestamp.date(millis: millis)
            let (position, bytes) = try PetitionAsOf.reply(petition, logPath: AuditFiles(dataDirectory: dataDir).eventLog, asOf: millis, now: now)
            let reply = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
            guard reply["ok"] as? Bool == true else {
                throw CLIError(((reply["error"] as? [String: Any])?["message"] as? String) ?? "the petition could not be rebuilt")
            }
            if options.json { return print(CLIClient.json(reply)) }
            var lines = ["tại \(LocalTime.minutes(instant)): nhật ký đã ghi đến vị trí \(position)"]
            lines += Self.lines(petition, view: reply["petition"] as? [String: Any] ?? [:], custody: reply["custody"] as? [[String: Any]] ?? [])
            print(lines.joined(separator: "\n"))
        } catch let error as AuditError {
            // Like `show` of a petition the projector does not know: refused (1), the message says why.
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        } catch let error as CLIError {
            throw failed(error, json: options.json)
        }
    }

    /// What a history event says, in the one line its registration gives (`DomainEvent.summary`).
    static func summary(_ event: [String: Any]) -> String {
        guard let type = event["type"] as? String, let data = event["data"],
              let bytes = try? JSONSerialization.data(withJSONObject: data) else { return "" }
        switch try? EventCodec.read(type: type, utf8: Array(bytes)) {
        case .event(let e)?: return e.summary
        case .unknown?: return "(an event type this version of petitionctl does not know)"
        case .checkpoint?, nil: return ""
        }
    }

    /// The petition's state and its chain of hands, as lines.
    static func lines(_ petition: String, view: [String: Any], custody: [[String: Any]]) -> [String] {
        var lines = ["kiến nghị \(petition): \(Words.status(view["status"]))  \(view["unit"] ?? "")  \(Words.field(view["category"]))  \(Words.kind(view["kind"]))"]
        if let citizen = view["citizen"] as? [String: Any] { lines.append("cử tri: \(citizen["name"] ?? "")") }
        lines.append("nội dung: \(view["content"] ?? "")")
        if let code = view["trackingCode"] as? String { lines.append("mã tra cứu \(code)") }
        if let holder = view["holder"] as? String { lines.append("đang giữ: \(holder) từ \(LocalTime.minutes(view["heldSince"]))") }
        if let deadline = view["deadline"] as? String {
            lines.append("hạn \(Words.date(deadline))\(view["overdue"] as? Bool == true ? " (QUÁ HẠN \(view["daysOverdue"] ?? 0) ngày)" : "")")
        }
        if !custody.isEmpty {
            lines.append("chuỗi người giữ:")
            lines += custodyTable(custody).map { "  " + $0 }
        }
        return lines
    }

    /// One line per holder: who, from when to when (local time), how it ended, the deadline they had, days held.
    static func custodyTable(_ spans: [[String: Any]]) -> [String] {
        var table = TextTable(["#", "NGƯỜI GIỮ", "TỪ", "ĐẾN", "KẾT THÚC", "HẠN", "SỐ NGÀY"], rightAligned: [0, 6])
        for s in spans {
            let chair = s["holderKind"] as? String == "chair"
            let holder = chair ? "chủ tịch \(s["holder"] as? String ?? "?")" : "\(s["department"] as? String ?? "") / \(s["holder"] as? String ?? "")"
            var ended = s["ended"] is String ? Words.ended(s["ended"]) : "đang giữ"
            if let onTime = s["onTime"] as? Bool { ended += onTime ? " đúng hạn" : " trễ hạn" }
            if s["overdue"] as? Bool == true { ended += ", QUÁ HẠN" }
            table.add([cell(s["seq"]), holder, LocalTime.minutes(s["from"]), s["to"] is String ? LocalTime.minutes(s["to"]) : "nay",
                       ended, Words.date(s["deadline"]), cell(s["days"])])
        }
        return table.lines()
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Each process: alive, last position seen, lag.")

    @OptionGroup var options: ClientOptions

    @Option(help: "The folder `petitionctl up` was given: the escalator's and notifier's PID files are under its logs/.")
    var dataDir: String = "data"

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
                } catch let error as CLIError where error.code == .notRunning {
                    processes.append(["process": name, "endpoint": endpoint, "alive": false])
                }
            }
            for i in processes.indices {
                if let position = processes[i]["position"] as? Int64 { processes[i]["lag"] = max(0, head - position) }
            }
            // The workers serve no ZeroMQ socket: `up` records their PIDs.
            for name in ["petition-escalator", "petition-notifier", "petition-api"] {
                let pid = Supervisor.runningPid(name, dataDirectory: dataDir)
                processes.append(["process": name, "pidFile": Supervisor.pidPath(name, dataDirectory: dataDir), "alive": pid != nil, "pid": pid ?? 0])
            }
            let allAlive = processes.allSatisfy { $0["alive"] as? Bool == true }
            let lines = processes.map { p in
                switch (p["alive"] as? Bool == true, p["position"] != nil) {
                case (true, true): "\(p["process"]!)  alive  pid \(p["pid"]!)  position \(p["position"]!)  lag \(p["lag"] ?? 0)"
                case (true, false): "\(p["process"]!)  alive  pid \(p["pid"]!)"
                case (false, _): p["endpoint"] != nil ? "\(p["process"]!)  NOT RESPONDING at \(p["endpoint"]!)"
                                                      : "\(p["process"]!)  NOT RUNNING (no live PID in \(p["pidFile"]!))"
                }
            }
            let result: [String: Any] = ["ok": allAlive, "head": head, "processes": processes]
            if !allAlive {
                print(options.json ? CLIClient.json(result) : lines.joined(separator: "\n"))
                FileHandle.standardError.write(Data("error: not every process is running; start the system with `petitionctl up`\n".utf8))
                throw ExitCode(2)
            }
            return (result, lines.joined(separator: "\n"))
        }
    }
}
