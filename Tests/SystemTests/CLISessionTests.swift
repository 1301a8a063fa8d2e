import Foundation
import Testing
import TestSupport

/// The clerk's, chair's and department's session from the issue, against `petitionctl up`.
@Suite(.serialized)
struct CLISessionTests {
    @Test func theIssueSessionWorksAgainstUpAndCtrlCStopsEveryChild() throws {
        let system = try TestSystem()
        let upLog = (system.dataDirectory as NSString).appendingPathComponent("up.out")
        let up = try TestProcess("petitionctl", ["up", "--data-dir", system.dataDirectory + "/data", "--base-port", String(system.basePort), "--http-port", String(system.httpPort)], outputPath: upLog)
        defer { up.stop() }
        #expect(waitUntil(timeout: 30) { up.output.contains("ready\n") }, "up never printed ready: \(up.output)")
        #expect(up.output.contains("commands: tcp://127.0.0.1:\(system.basePort)"))
        #expect(up.output.contains("administrator: \(system.dataDirectory)/data/identities/administrator.json"), "up says where the first administrator's identity is")
        system.servedFrom = system.dataDirectory + "/data"
        _ = try system.official(.clerk)
        try system.registerCommune("Xã Bình Thành")
        try system.person("Trần Văn A")
        let head = try system.history().count

        let session = try system.ctl(["session", "open", "--unit", "Xã Bình Thành", "--title", "Đối thoại ấp Tây Huề",
                                      "--date", "2026-03-19T08:00:00+07:00", "--chair", "Trần Văn A", "--json"])
        #expect(session.status == 0, "\(session.stderr)")
        let sessionId = try #require(session.json["id"] as? String)
        #expect(session.json["position"] as? Int == head + 1)

        let submit = try system.ctl(["submit", "--session", sessionId, "--citizen", "Nguyễn Thị B", "--address", "ấp Tây Huề",
                                     "--phone", "0900000000", "--kind", "recommendation", "--category", "land",
                                     "--content", "Cấp giấy chứng nhận quyền sử dụng đất chậm",
                                     "--occurred-at", "2026-03-19T09:00:00+07:00", "--json"])
        #expect(submit.status == 0, "\(submit.stderr)")
        let petition = try #require(submit.json["id"] as? String)
        let second = try system.ctl(["submit", "--session", sessionId, "--citizen", "Lê Văn D", "--kind", "report",
                                     "--category", "environment", "--content", "Rác thải chưa được thu gom", "--json"])
        let answered = try #require(second.json["id"] as? String)

        var outstanding = try system.ctl(["outstanding", "--json", "--min-position", "\(second.json["position"] ?? 0)"])
        var ids = (outstanding.json["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String }
        #expect(Set(ids) == [petition, answered], "both wait for an answer or a referral")

        let answer = try system.ctl(["answer", answered, "--by", "Trần Văn A", "--answer", "Xã sẽ bố trí xe thu gom hằng tuần", "--json"])
        #expect(answer.status == 0, "\(answer.stderr)")
        let refer = try system.ctl(["refer", petition, "--to", "Phòng Tài nguyên và Môi trường", "--assignee", "Lê Văn C",
                                    "--by", "Trần Văn A", "--days", "30", "--occurred-at", "2026-03-19T10:00:00+07:00", "--json"])
        #expect(refer.status == 0, "\(refer.stderr)")
        #expect(refer.json["deadline"] as? String == "2026-04-18", "30 calendar days from 19 March")

        outstanding = try system.ctl(["outstanding", "--department", "Phòng Tài nguyên và Môi trường", "--json",
                                      "--min-position", "\(refer.json["position"] ?? 0)"])
        let items = outstanding.json["items"] as? [[String: Any]] ?? []
        ids = items.compactMap { $0["petitionId"] as? String }
        #expect(ids == [petition])
        #expect(items.first?["holder"] as? String == "Lê Văn C")
        #expect(items.first?["overdue"] as? Bool == true, "deadline 2026-04-18 has passed")
        let overdue = try system.ctl(["outstanding", "--overdue", "--unit", "Xã Bình Thành", "--json"])
        #expect((overdue.json["items"] as? [[String: Any]])?.count == 1)

        let resolve = try system.ctl(["resolve", petition, "--by", "Lê Văn C", "--resolution", "Đã cấp giấy chứng nhận", "--json",
                                      "--actor-department", "Phòng Tài nguyên và Môi trường"])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        outstanding = try system.ctl(["outstanding", "--json", "--min-position", "\(resolve.json["position"] ?? 0)"])
        #expect((outstanding.json["items"] as? [[String: Any]])?.isEmpty == true, "nothing is outstanding once resolved and answered")

        let show = try system.ctl(["show", petition, "--json"])
        #expect(show.status == 0, "\(show.stderr)")
        let events = show.json["events"] as? [[String: Any]] ?? []
        let types = events.compactMap { $0["type"] as? String }
        // The referral's deadline (2026-04-18) is long past: the escalator under `up` raised the ladder before it was resolved.
        #expect(types.filter { $0 != "petition.escalated.v2" } == ["petition.submitted.v3", "petition.referred.v3", "petition.resolved.v1"])
        let view = show.json["petition"] as? [String: Any] ?? [:]
        #expect(view["status"] as? String == "resolved")
        #expect((view["citizen"] as? [String: Any])?["name"] as? String == "Nguyễn Thị B")

        // A note (petition.note-added.v1) on the answered petition: in its history with its one line, the status unchanged.
        let note = try system.ctl(["note", answered, "--text", "Đã gọi điện cho công dân, hẹn ngày 25/3", "--actor", "Thư ký", "--json"])
        #expect(note.status == 0, "\(note.stderr)")
        let noted = try system.ctl(["show", answered])
        #expect(noted.status == 0, "\(noted.stderr)")
        // Who acted is the official whose key sent it; the chair the minutes name is shown beside.
        let clerk = try system.official(.clerk).id, chair = try system.official(.chair).id
        #expect(noted.stdout.contains("petition.note-added.v1  clerk/\(clerk)  ghi chú của \(clerk): Đã gọi điện cho công dân, hẹn ngày 25/3"), "\(noted.stdout)")
        #expect(noted.stdout.contains("petition.answered.v1  chair/\(chair)  Trần Văn A trả lời tại hội nghị"), "\(noted.stdout)")
        #expect(noted.stdout.hasPrefix("kiến nghị \(answered): đã trả lời"), "\(noted.stdout)")
        #expect(try system.ctl(["note", answered, "--text", " ", "--json"]).status != 0, "an empty note is refused")

        let status = try system.ctl(["status", "--json", "--data-dir", system.dataDirectory + "/data"])
        #expect(status.status == 0, "\(status.stderr)")
        let processes = status.json["processes"] as? [[String: Any]] ?? []
        #expect(processes.compactMap { $0["process"] as? String } == ["petition-gateway", "petition-projector", "petition-escalator", "petition-notifier", "petition-api"])
        #expect(processes.allSatisfy { $0["alive"] as? Bool == true })
        let pids = processes.compactMap { ($0["pid"] as? NSNumber)?.int32Value }

        // Ctrl-C: up stops exactly its children, and exits cleanly.
        #expect(up.stop(SIGINT) == 0)
        for pid in pids { #expect(kill(pid, 0) != 0, "child \(pid) still running after up stopped") }
        let after = try system.ctl(["status", "--timeout-ms", "500"])
        #expect(after.status == 2)
    }

    @Test func upRestartsAChildKilledWithSigkill() throws {
        let system = try TestSystem()
        let up = try TestProcess("petitionctl", ["up", "--data-dir", system.dataDirectory + "/data", "--base-port", String(system.basePort), "--http-port", String(system.httpPort)],
                                 outputPath: system.dataDirectory + "/up.out")
        defer { up.stop() }
        #expect(waitUntil(timeout: 30) { up.output.contains("ready\n") })
        system.servedFrom = system.dataDirectory + "/data"
        let before = try system.ctl(["status", "--json"]).json["processes"] as? [[String: Any]] ?? []
        let gatewayPid = try #require((before.first { $0["process"] as? String == "petition-gateway" }?["pid"] as? NSNumber)?.int32Value)
        kill(gatewayPid, SIGKILL)
        let restarted = waitUntil(timeout: 20) {
            let s = (try? system.ctl(["status", "--json", "--timeout-ms", "500"]))?.json["processes"] as? [[String: Any]] ?? []
            let pid = (s.first { $0["process"] as? String == "petition-gateway" }?["pid"] as? NSNumber)?.int32Value
            return pid != nil && pid != gatewayPid
        }
        #expect(restarted, "up did not restart the gateway: \(up.output)")
        let open = try system.ctl(["session", "open", "--unit", "Phường 4", "--title", "Đối thoại tháng Năm", "--date", "2026-05-10", "--chair", "Phạm Văn E", "--json"])
        #expect(open.status == 0, "the restarted gateway serves: \(open.stderr)")
    }

    @Test func aSecondGatewayOnTheSameDataFolderRefusesToStart() throws {
        let system = try TestSystem()
        try system.startGateway()
        let second = try runTool("petition-gateway", ["--data-dir", system.dataDirectory, "--base-port", String(FreePorts.base())], timeout: 20)
        #expect(second.status != 0)
        #expect(second.stderr.contains("another petition-gateway is already writing to"), "\(second.stderr)")
        let clerk = try system.official(.clerk)
        try system.registerCommune("Xã Duy Nhất")
        try system.person("C")
        let head = try system.history().count
        let open = try system.ctl(["session", "open", "--unit", "Xã Duy Nhất", "--title", "T", "--date", "2026-06-01", "--chair", "C", "--json"], as: clerk)
        #expect(open.json["position"] as? Int == head + 1, "the first gateway still writes alone")
    }

    @Test func aSecondUpOnTheSamePortsFailsWithAMessage() throws {
        let system = try TestSystem()
        try system.start()
        let up = try runTool("petitionctl", ["up", "--data-dir", system.dataDirectory + "/other", "--base-port", String(system.basePort), "--http-port", String(system.httpPort)], timeout: 40)
        #expect(up.status == 2)
        #expect(up.stderr.contains("exited while starting"), "\(up.stderr)")
    }
}
