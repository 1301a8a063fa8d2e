import Foundation
import Messaging
import PetitionDomain
import Runtime
import Testing
import TestSupport
import ZeroMQ

/// What the real processes emit validates against Schemas/ (checked by Schemas/validate.py with Python's jsonschema).
@Suite(.serialized)
struct SchemaConformanceTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    final class Samples {
        let folder: URL
        var count = 0
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-samples-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        /// Saves `json` to be checked against `schema` (a path under Schemas/ without `.json`).
        func add(_ schema: String, _ json: Data) throws {
            count += 1
            try json.write(to: folder.appendingPathComponent("\(schema.replacingOccurrences(of: "/", with: "__"))--\(count).json"))
        }
        func add(_ schema: String, object: Any) throws {
            try add(schema, try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }
    }

    @Test func everyMessageAndEventTheProcessesEmitValidatesAgainstSchemas() throws {
        let system = try TestSystem()
        system.gatewayArguments = ["--checkpoint-every-records", "20"] // so that signed checkpoints are in the log too
        try system.start()
        let samples = try Samples()

        // Follow the event feed as a subscriber would.
        let context = try ZMQContext()
        defer { context.terminate() }
        let sub = try context.socket(.sub)
        defer { sub.close() }
        try sub.subscribe("")
        try sub.pin(try system.pin())
        try sub.connect(system.endpoints.events)
        usleep(300_000)
        // What the log held before this subscriber connected (the tests' own officials) was published before it listened.
        let before = Int64(try system.history().count)

        // Commands, as the demo (the CLI's own builder) writes them, and their replies.
        var demo = DemoData()
        let plan = demo.plan(sessionsPerCommune: 1, petitionsPerSession: 4)
        var sentTypes: Set<String> = []
        func send(_ body: [String: Any]) throws -> [String: Any] {
            sentTypes.insert(body["type"] as! String)
            try samples.add("messages/\(body["type"] as! String)", object: TestSystem.wire(body))
            let reply = try #require(try system.request(system.endpoints.commands, body))
            try samples.add("messages/command-reply", object: reply)
            return reply
        }
        /// Sends a command that must be accepted.
        @discardableResult
        func accepted(_ body: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let reply = try send(body)
            #expect(reply["ok"] as? Bool == true, "\(body["type"]!) as \(body["role"]!): \(reply)", sourceLocation: sourceLocation)
            return reply
        }
        /// Sends a command that must be refused with `code`.
        func refused(_ body: [String: Any], _ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let reply = try send(body)
            #expect((reply["error"] as? [String: Any])?["code"] as? String == code, "\(body["type"]!) as \(body["role"]!): \(reply)",
                    sourceLocation: sourceLocation)
        }
        /// A planned command's message, as the demo sends it (``CommandRequest/wireJSON``).
        func message(_ planned: DemoData.Planned, _ sessions: [String], _ petitions: [String]) throws -> [String: Any] {
            let text = planned.request(sessions: sessions, petitions: petitions).wireJSON
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        let sessions = try plan.sessions.prefix(3).map { try send(try message($0, [], []))["id"] as! String }
        var petitions: [String] = []
        for p in plan.petitions where p.session < 3 {
            petitions.append(try send(try message(p.command, sessions, petitions))["id"] as! String)
        }
        for list in [plan.followUps, plan.resolutions] {
            for f in list where f.petition < petitions.count {
                _ = try send(try message(f.command, sessions, petitions))
            }
        }
        // A referral by explicit date, and refusals.
        var refer = TestSystem.command("petition.refer", ["petitionId": petitions[0], "department": "Phòng Kinh tế - Hạ tầng",
                                                          "assignee": "Lê Văn C", "by": "Trần Văn A", "deadline": "2030-01-31"])
        _ = try send(refer)
        refer["commandId"] = UUID().uuidString
        refer["deadline"] = "2000-01-01"
        _ = try send(refer)
        for bad in [#"{"type":"petition.answer","commandId":"x","actor":"a","petitionId":"P1"}"#, "not json"] {
            let reply = try #require(try system.rawRequest(system.endpoints.commands, frames: [[], Array(bad.utf8)]))
            try samples.add("messages/command-reply", object: reply)
        }

        // The follow-up lifecycle, every command in its role, and refusals by role and department.
        let chair = "Trần Thị Bình", clerk = "Phạm Thu Hà", roadsOfficer = "Lê Văn C", landOfficer = "Ngô Văn D"
        let roads = "Phòng Kinh tế - Hạ tầng", land = "Phòng Tài nguyên và Môi trường"
        func submit(_ content: String) throws -> String {
            try #require(try accepted(TestSystem.command("petition.submit", [
                "sessionId": sessions[0], "kind": "denunciation", "category": "transport", "content": content,
                "citizen": ["name": "Đỗ Văn Nam", "address": "thôn Bắc", "phone": "0912 345 678"],
            ], actor: clerk))["id"] as? String)
        }
        let followed = try submit("Cống thoát nước đầu thôn bị tắc")
        func command(_ type: String, _ fields: [String: Any], actor: String, role: Role? = nil, department: String? = nil) -> [String: Any] {
            var body = fields
            body["petitionId"] = body["petitionId"] ?? followed
            return TestSystem.command(type, body, actor: actor, role: role, department: department)
        }
        let byPolicy: [String: Any] = ["department": roads, "assignee": roadsOfficer, "by": chair, "complexity": "complex"]
        let referral = try accepted(command("petition.refer", byPolicy, actor: chair))
        // A clerk records only a referral decided at the conference, while the petition is just recorded.
        try refused(command("petition.refer", byPolicy, actor: clerk, role: .clerk), "not_permitted")
        #expect(referral["events"] as? [String] == ["petition.referred.v3"])
        #expect(referral["deadline"] is String, "the unit's deadline policy set the deadline")
        try refused(command("petition.accept", [:], actor: landOfficer, department: land), "not_holder")
        try refused(command("petition.accept", [:], actor: chair, role: .chair), "not_permitted")
        try accepted(command("petition.accept", [:], actor: roadsOfficer, department: roads))
        try refused(command("petition.accept", [:], actor: roadsOfficer, department: roads), "already_accepted")
        let extended = try accepted(command("petition.extend", ["approver": chair, "decision": "Quyết định 12/QĐ-UBND"], actor: chair))
        let extendedTo = try #require(extended["deadline"] as? String)
        let escalate = command("petition.escalate", ["level": "warning", "deadline": extendedTo, "due": extendedTo, "recipient": roadsOfficer],
                               actor: "escalator")
        try accepted(escalate)
        var escalateAgain = escalate
        escalateAgain["commandId"] = UUID().uuidString
        try refused(escalateAgain, "already_escalated")
        try refused(command("petition.escalate", ["level": "overdue", "deadline": "2000-01-01", "due": "2000-01-01", "recipient": chair],
                            actor: "escalator"), "escalation_not_due")
        try accepted(command("petition.reassign", ["department": land, "assignee": landOfficer, "reason": "Thuộc lĩnh vực đất đai"], actor: chair))
        try refused(command("petition.resolve", ["by": roadsOfficer, "resolution": "Đã xử lý"], actor: roadsOfficer, department: roads), "not_holder")
        try accepted(command("petition.resolve", ["by": landOfficer, "resolution": "Đã nạo vét cống"], actor: landOfficer, department: land))
        try accepted(command("petition.feedback", ["satisfied": false, "comment": "Cống lại tắc sau một tuần"], actor: clerk))
        try refused(command("petition.feedback", ["satisfied": true], actor: clerk), "feedback_already_recorded")
        try accepted(command("petition.reopen", ["reason": "Công dân chưa hài lòng với kết quả"], actor: chair))
        try accepted(command("petition.note", ["text": "Đã gọi điện cho công dân, hẹn làm việc ngày 25/3"], actor: clerk))
        try refused(command("petition.withdraw", ["reason": "Rút đơn"], actor: "Mặt trận Tổ quốc xã", role: .supervisor), "not_permitted")
        try accepted(command("petition.withdraw", ["reason": "Công dân rút đơn"], actor: clerk))

        // Answered on-site, reopened by the citizen's feedback, and a duplicate merged into it.
        let answered = try submit("Đèn đường thôn Bắc không sáng")
        try accepted(command("petition.answer", ["petitionId": answered, "by": chair, "answer": "Sẽ thay bóng trong tuần"], actor: chair))
        try accepted(command("petition.feedback", ["petitionId": answered, "satisfied": false], actor: chair))
        let duplicate = try submit("Đèn đường thôn Bắc hỏng")
        let merge = try accepted(command("petition.merge", ["petitionId": duplicate, "into": answered, "reason": "Cùng nội dung"], actor: chair))
        #expect(merge["events"] as? [String] == ["petition.merged.v1", "petition.duplicate-merged.v1"])

        // The notifier's records of the escalation's alert.
        let alertId = try #require(try system.alertId(followed, "warning"))
        let alert: [String: Any] = ["alertId": alertId, "petitionId": followed]
        let delivered = try accepted(TestSystem.command("alert.record", alert.merging(["sink": "webhook", "outcome": "delivered", "attempts": 2,
                                                                                      "detail": "HTTP 204"]) { $1 }, actor: "notifier"))
        #expect(delivered["stream"] as? String == "alert-\(alertId)")
        try accepted(TestSystem.command("alert.record", alert.merging(["sink": "email", "outcome": "failed", "attempt": 1, "reason": "SMTP 451",
                                                                      "permanent": false]) { $1 }, actor: "notifier"))
        try refused(TestSystem.command("alert.record", alert.merging(["sink": "webhook", "outcome": "failed", "attempt": 3, "reason": "timeout"]) { $1 },
                                       actor: "notifier"), "already_delivered")
        // A delivery is recorded only for an alert that was raised: not for a guessed id, nor a petition never submitted.
        let guessed = alert.merging(["alertId": "\(followed).warning.\(extendedTo)", "sink": "webhook", "outcome": "delivered", "attempts": 1,
                                     "detail": "HTTP 204"]) { $1 }
        try refused(TestSystem.command("alert.record", guessed, actor: "notifier"), "alert_not_found")
        try refused(TestSystem.command("alert.record", guessed.merging(["petitionId": "P999999"]) { $1 }, actor: "notifier"), "petition_not_found")
        // Erasing the duplicate's citizen: refused to a clerk, done by the chair, refused the second time.
        let person = try #require(try system.request(system.endpoints.queries, ["type": "petition.get", "petitionId": duplicate, "minPosition": merge["position"]!])
            .flatMap { ($0["petition"] as? [String: Any])?["personId"] as? String })
        let forget = TestSystem.command("person.forget", ["personId": person, "by": chair, "reason": "Công dân đề nghị xóa dữ liệu"], actor: chair)
        try refused(TestSystem.command("person.forget", ["personId": person, "by": chair, "reason": "x"], actor: clerk, role: .clerk), "not_permitted")
        try accepted(forget)
        try refused(TestSystem.command("person.forget", ["personId": person, "by": chair, "reason": "lần hai"], actor: chair), "already_forgotten")
        try refused(TestSystem.command("person.forget", ["personId": "no-such-person", "by": chair, "reason": "x"], actor: chair), "person_not_found")
        // The registry: a province, a commune under it, a department; refusals by role, code and parent.
        let admin = "Quản trị viên"
        try accepted(TestSystem.command("unit.register", ["code": "34", "name": "Tỉnh Hưng Yên", "kind": "province"], actor: admin, role: .administrator))
        let commune = try accepted(TestSystem.command("unit.register", ["code": "26734", "name": "Xã Vũ Thư", "kind": "commune", "parent": "34"],
                                                      actor: admin, role: .administrator))
        #expect(commune["id"] as? String == "26734")
        #expect(commune["stream"] as? String == "registry-main")
        try refused(TestSystem.command("unit.register", ["code": "26735", "name": "Xã Khác", "kind": "commune", "parent": "99"],
                                       actor: admin, role: .administrator), "not_registered")
        try refused(TestSystem.command("unit.register", ["code": "34", "name": "Tỉnh Khác", "kind": "province"], actor: admin, role: .administrator),
                    "already_registered")
        try refused(TestSystem.command("unit.register", ["code": "35", "name": "Tỉnh Thái Bình", "kind": "province"], actor: chair, role: .chair),
                    "not_permitted")
        try accepted(TestSystem.command("department.register", ["unit": "26734", "code": "TNMT", "name": "Phòng Tài nguyên và Môi trường"],
                                        actor: admin, role: .administrator))
        try refused(TestSystem.command("department.register", ["unit": "xa-vu-thu", "code": "TNMT", "name": "Phòng Tài nguyên và Môi trường"],
                                       actor: admin, role: .administrator), "not_registered")
        let official = try accepted(TestSystem.command("official.appoint", ["name": "Lê Thị B", "unit": "26734", "department": "TNMT",
                                                                          "roles": ["department_officer"]], actor: admin, role: .administrator))
        let officialId = try #require(official["id"] as? String)
        try refused(TestSystem.command("official.appoint", ["name": "Ngô Văn C", "unit": "26734", "roles": ["department_officer"]],
                                       actor: admin, role: .administrator), "invalid_input")
        let officialKey = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
        try accepted(TestSystem.command("credential.issue", ["officialId": officialId, "publicKey": officialKey], actor: admin, role: .administrator))
        try refused(TestSystem.command("credential.issue", ["officialId": officialId, "publicKey": officialKey], actor: admin, role: .administrator),
                    "already_registered")
        try accepted(TestSystem.command("credential.revoke", ["publicKey": officialKey, "reason": "Máy tính bị mất"], actor: admin, role: .administrator))
        let asAdmin = try system.official(.administrator)
        for body: [String: Any] in [["type": "official.grant", "commandId": UUID().uuidString, "officialId": officialId, "role": "chair"],
                                    ["type": "official.revoke", "commandId": UUID().uuidString, "officialId": officialId, "role": "chair", "reason": "Chuyển công tác"],
                                    ["type": "department.register", "commandId": UUID().uuidString, "unit": "26734", "code": "KT", "name": "Phòng Kinh tế"],
                                    ["type": "official.transfer", "commandId": UUID().uuidString, "officialId": officialId, "unit": "26734", "department": "KT",
                                     "reason": "Quyết định điều động 15/QĐ-UBND"],
                                    ["type": "official.deactivate", "commandId": UUID().uuidString, "officialId": officialId, "reason": "Nghỉ hưu"],
                                    ["type": "unit.register", "commandId": UUID().uuidString, "code": "26791", "name": "Xã Hợp Nhất", "kind": "commune", "parent": "34"],
                                    ["type": "unit.register", "commandId": UUID().uuidString, "code": "26792", "name": "Xã Giải Thể", "kind": "commune", "parent": "34"],
                                    ["type": "unit.merge", "commandId": UUID().uuidString, "predecessors": ["26791"], "into": "26734"],
                                    ["type": "unit.retire", "commandId": UUID().uuidString, "code": "26792", "reason": "Giải thể"],
                                    ["type": "unit.rename", "commandId": UUID().uuidString, "code": "26734", "name": "Xã Vũ Thư mới"],
                                    ["type": "department.rename", "commandId": UUID().uuidString, "unit": "26734", "code": "KT", "name": "Phòng Kinh tế - Hạ tầng"]] {
            sentTypes.insert(body["type"] as! String)
            try samples.add("messages/\(body["type"] as! String)", object: body)
            let reply = try #require(try system.request(system.endpoints.commands, body, as: asAdmin))
            #expect(reply["ok"] as? Bool == true, "\(body["type"]!): \(reply)")
            try samples.add("messages/command-reply", object: reply)
        }
        // Only the gateway's own history endpoint records an access (this is what it sends, with its key).
        try accepted(TestSystem.command("access.record", ["officialId": officialId, "access": "reveal", "stream": "petition-\(answered)",
                                                          "personIds": ["person-1"], "purpose": "Kiểm tra lược đồ"]))
        for find: [String: Any] in [["type": "people.find", "name": "do van nam", "purpose": "Tìm đơn của công dân"],
                                    ["type": "people.find", "name": "Đỗ Văn", "limit": 3, "purpose": "Tìm đơn của công dân"]] {
            try samples.add("messages/people.find", object: find)
            let reply = try #require(try system.request(system.endpoints.history, find))
            #expect((reply["personIds"] as? [String])?.isEmpty == false, "\(reply)")
            try samples.add("messages/people-find-reply", object: reply)
        }
        // What a referral by the unit's policy would set, before anyone refers (the web app shows it at the conference).
        for ask: [String: Any] in [["type": "deadline.policy", "unit": "Xã Vũ Hội", "from": "2026-03-19"],
                                   ["type": "deadline.policy", "unit": "Xã Vũ Hội", "complexity": "complex"]] {
            try samples.add("messages/deadline.policy", object: ask)
            let reply = try #require(try system.request(system.endpoints.history, ask))
            let kinds = reply["kinds"] as? [[String: Any]] ?? []
            #expect(kinds.count == 4, "\(reply)")
            if ask["from"] != nil {
                #expect(kinds.first { $0["kind"] as? String == "recommendation" }?["deadline"] as? String == "2026-04-09", "15 working days: \(reply)")
            }
            try samples.add("messages/deadline-policy-reply", object: reply)
        }
        petitions += [followed, answered, duplicate]
        #expect(sentTypes.isSuperset(of: GatewayCommand.messageTypes), "every command type was sent: missing \(Set(GatewayCommand.messageTypes).subtracting(sentTypes))")

        // History, streams (with personal data), status of every endpoint.
        var recordedTypes: Set<String> = []
        for body: [String: Any] in [["type": "history.read", "fromPosition": 1, "limit": 2000],
                                    ["type": "stream.read", "stream": "petition-\(petitions[0])", "reveal": true, "purpose": "Xem hồ sơ"],
                                    ["type": "stream.read", "stream": "petition-\(answered)", "reveal": true, "purpose": "Xem hồ sơ"],
                                    ["type": "stream.read", "stream": "alert-\(alertId)"]] {
            try samples.add("messages/\(body["type"] as! String)", object: body)
            let reply = try #require(try system.request(system.endpoints.history, body))
            try samples.add("messages/history-reply", object: reply)
            for event in reply["events"] as? [[String: Any]] ?? [] {
                try samples.add("cloudevent", object: event)
                recordedTypes.insert(event["type"] as? String ?? "")
            }
        }
        let written = Set(EventCodec.logEventTypes)
        #expect(recordedTypes.isSuperset(of: written), "every event type was written: missing \(written.subtracting(recordedTypes))")
        try samples.add("messages/status", object: ["type": "status"])
        for endpoint in [system.endpoints.commands, system.endpoints.history, system.endpoints.queries] {
            try samples.add("messages/status-reply", object: try #require(try system.request(endpoint, ["type": "status"])))
        }
        try samples.add("messages/error-reply", object: try #require(try system.request(system.endpoints.history, ["type": "history.read", "fromPosition": -1])))

        // Queries.
        let head = Int64(try system.history().count)
        let outstanding: [String: Any] = ["type": "outstanding", "minPosition": head, "waitMs": 10_000]
        try samples.add("messages/outstanding", object: outstanding)
        try samples.add("messages/outstanding-reply", object: try #require(try system.request(system.endpoints.queries, outstanding, timeoutMs: 15_000)))
        for id in petitions {
            let get: [String: Any] = ["type": "petition.get", "petitionId": id]
            try samples.add("messages/petition.get", object: get)
            try samples.add("messages/petition-reply", object: try #require(try system.request(system.endpoints.queries, get)))
        }
        try samples.add("messages/error-reply", object: try #require(try system.request(system.endpoints.queries, ["type": "petition.get", "petitionId": "P999999"])))
        let unit = try #require(try system.request(system.endpoints.queries, ["type": "petition.get", "petitionId": followed])
            .flatMap { ($0["petition"] as? [String: Any])?["unit"] as? String })
        for query: [String: Any] in [["type": "responsibility"], ["type": "responsibility", "unit": unit, "department": land, "now": "2031-01-01T00:00:00Z"]] {
            try samples.add("messages/responsibility", object: query)
            let reply = try #require(try system.request(system.endpoints.queries, query))
            #expect((reply["officials"] as? [Any])?.isEmpty == false, "\(reply)")
            try samples.add("messages/responsibility-reply", object: reply)
        }
        for query: [String: Any] in [["type": "alerts"], ["type": "alerts", "unit": unit, "petitionId": followed, "state": "delivered",
                                                           "level": "warning", "limit": 5]] {
            try samples.add("messages/alerts", object: query)
            let reply = try #require(try system.request(system.endpoints.queries, query))
            let items = try #require(reply["items"] as? [[String: Any]], "\(reply)")
            #expect(items.contains { ($0["deliveries"] as? [Any])?.count == 2 }, "the alert shows its webhook delivery and its e-mail failure: \(reply)")
            try samples.add("messages/alerts-reply", object: reply)
        }
        try samples.add("messages/error-reply", object: try #require(try system.request(system.endpoints.queries, ["type": "alerts", "state": "lost"])))
        for query: [String: Any] in [["type": "search", "text": "cong thoat nuoc"], ["type": "search", "text": "đèn", "category": "transport", "unit": unit,
                                                                                     "department": land, "personIds": ["x"], "limit": 5]] {
            try samples.add("messages/search", object: query)
            try samples.add("messages/search-reply", object: try #require(try system.request(system.endpoints.queries, query)))
        }
        try samples.add("messages/error-reply", object: try #require(try system.request(system.endpoints.queries, ["type": "search"])))
        for query: [String: Any] in [["type": "sessions"], ["type": "sessions", "unit": unit, "from": "2020-01-01T00:00:00+07:00",
                                                             "to": "2031-01-01T00:00:00Z", "limit": 2, "now": "2031-01-01T00:00:00Z"]] {
            try samples.add("messages/sessions", object: query)
            let reply = try #require(try system.request(system.endpoints.queries, query))
            let items = try #require(reply["items"] as? [[String: Any]], "\(reply)")
            #expect(!items.isEmpty && (items.first?["byKind"] as? [String: Any])?.isEmpty == false, "\(reply)")
            try samples.add("messages/sessions-reply", object: reply)
        }
        try samples.add("messages/error-reply", object: try #require(try system.request(system.endpoints.queries, ["type": "sessions", "from": "yesterday"])))

        // The feed: every committed event, and at least one heartbeat.
        var events = 0, heartbeats = 0
        let deadline = Date().addingTimeInterval(10)
        while (events < head - before || heartbeats == 0), Date() < deadline {
            guard try ZMQPoll.readable([sub], timeoutMs: 500)[0], let frames = try sub.receive() else { continue }
            #expect(frames.count == 2)
            if frames[0] == Array("heartbeat".utf8) {
                heartbeats += 1
                try samples.add("messages/heartbeat", Data(frames[1]))
            } else {
                events += 1
                try samples.add("cloudevent", Data(frames[1]))
                let topic = String(decoding: frames[0], as: UTF8.self)
                let type = (try JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any])?["type"] as? String
                #expect(topic == type, "the topic is the event type")
            }
        }
        #expect(events == head - before, "every committed event was published")
        #expect(heartbeats > 0)

        // The audit report, verified on the live log (the gateway is running) against the checkpoint key.
        let key = try runTool("petitionctl", ["audit", "checkpoint-key", "--data-dir", system.dataDirectory])
        #expect(key.status == 0, "\(key.stderr)")
        let verify = try runTool("petitionctl", ["audit", "verify", "--json", "--data-dir", system.dataDirectory,
                                                 "--public-key", key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect((verify.json["checkpoints"] as? [String: Any])?["found"] as? Int ?? 0 > 0, "\(verify.stdout)")
        try samples.add("messages/audit-verify-report", Data(verify.stdout.utf8))

        let (status, text) = try Self.validate(samples.folder)
        #expect(status == 0, "\(text)")
        #expect(text.contains("validated \(samples.count) files"), "\(text)")
    }

    /// Runs Schemas/validate.py on a folder of `<schema>--<n>.json` samples: its exit status and what it said.
    static func validate(_ folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("Schemas/validate.py").path, folder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
