import Foundation
import Messaging
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
        try system.start()
        let samples = try Samples()

        // Follow the event feed as a subscriber would.
        let context = try ZMQContext()
        defer { context.terminate() }
        let sub = try context.socket(.sub)
        defer { sub.close() }
        try sub.subscribe("")
        try sub.connect(system.endpoints.events)
        usleep(300_000)

        // Commands, as the demo (the CLI's own builder) writes them, and their replies.
        var demo = DemoData()
        let plan = demo.plan(sessionsPerCommune: 1, petitionsPerSession: 4)
        func send(_ body: [String: Any]) throws -> [String: Any] {
            try samples.add("messages/\(body["type"] as! String)", object: body)
            let reply = try #require(try system.request(system.endpoints.commands, body))
            try samples.add("messages/command-reply", object: reply)
            return reply
        }
        let sessions = try plan.sessions.prefix(3).map { try send($0)["id"] as! String }
        var petitions: [String] = []
        for p in plan.petitions where p.session < 3 {
            var body = p.body
            body["sessionId"] = sessions[p.session]
            petitions.append(try send(body)["id"] as! String)
        }
        for list in [plan.followUps, plan.resolutions] {
            for f in list where f.petition < petitions.count {
                var body = f.body
                body["petitionId"] = petitions[f.petition]
                _ = try send(body)
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

        // History, streams (with personal data), status of every endpoint.
        for body: [String: Any] in [["type": "history.read", "fromPosition": 1, "limit": 50],
                                    ["type": "stream.read", "stream": "petition-\(petitions[0])", "reveal": true]] {
            try samples.add("messages/\(body["type"] as! String)", object: body)
            let reply = try #require(try system.request(system.endpoints.history, body))
            try samples.add("messages/history-reply", object: reply)
            for event in reply["events"] as? [[String: Any]] ?? [] { try samples.add("cloudevent", object: event) }
        }
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

        // The feed: every committed event, and at least one heartbeat.
        var events = 0, heartbeats = 0
        let deadline = Date().addingTimeInterval(10)
        while (events < head || heartbeats == 0), Date() < deadline {
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
        #expect(events == head, "every committed event was published")
        #expect(heartbeats > 0)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repositoryRoot.appendingPathComponent("Schemas/validate.py").path, samples.folder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("validated \(samples.count) files"), "\(text)")
    }
}
