import Foundation
import Messaging
import Runtime
import Testing
import TestSupport
import ZeroMQ

/// The system across hosts: three network namespaces of the test's own, joined by veth pairs to a bridge,
/// every ZeroMQ link under CurveZMQ. Host 1: gateway and PostgreSQL; host 2: projector and escalator; host 3: the
/// HTTP API and the notifier; host 4: a stranger. Each host has its own data folder, given a copy of the keys as
/// an operator would copy them.
@Suite(.serialized)
struct SeparateHostsTests {
    @Test func theSystemWorksAcrossThreeHostsAStrangerWithoutARegisteredKeyGetsNothingAndALinkCutFor30SecondsLosesNothing() throws {
        let net = try TestNetwork(hosts: 4)
        let postgres = try PostgresServer.start(inNamespace: net.name(1))
        defer { postgres.stop() }
        let system = try TestSystem()
        system.store = try postgres.database() // 127.0.0.1 of host 1: only the gateway reaches it
        system.endpoints = Endpoints(host: net.address(1), basePort: system.basePort, projectorHost: net.address(2))
        let hostB = (system.dataDirectory as NSString).appendingPathComponent("host-2")
        let hostC = (system.dataDirectory as NSString).appendingPathComponent("host-3")
        system.namespaces = ["petition-gateway": net.name(1), "petition-projector": net.name(2), "petition-escalator": net.name(2),
                             "petition-api": net.name(3), "petition-notifier": net.name(3)]
        system.dataDirectories = ["petition-projector": hostB, "petition-escalator": hostB, "petition-api": hostC, "petition-notifier": hostC]
        system.apiHost = net.address(3)

        try system.startGateway()
        // What an operator copies to the other hosts: the servers' public keys and the processes' key files.
        let keys = CurveKeyFiles(dataDirectory: system.dataDirectory)
        for host in [hostB, hostC] {
            try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.copyItem(atPath: keys.keysFolder, toPath: CurveKeyFiles(dataDirectory: host).keysFolder)
            try FileManager.default.copyItem(atPath: keys.serversPath, toPath: CurveKeyFiles(dataDirectory: host).serversPath)
        }
        try system.startProjector()
        try system.startWorker("petition-escalator")
        try system.startWorker("petition-notifier", ["--alert-log", (hostC as NSString).appendingPathComponent("alerts.log")])
        try system.startAPI()

        // It works across the hosts: commands reach host 1, the projector on host 2 follows, the API on host 3 reaches both.
        let session = try #require(try system.request(system.endpoints.commands,
            TestSystem.command("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại", "chair": "Bùi Văn K"]))?["id"] as? String)
        let first = CrashRecoveryTests.Clerk(endpoint: system.endpoints.commands, curve: try system.pin(), session: session, count: 30)
        try first.run(until: Date().addingTimeInterval(30))
        #expect(first.acknowledgedCount == 30)
        var head = Int64(try system.history().count)
        var view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": head, "waitMs": 15_000], timeoutMs: 20_000)
        #expect(view?["count"] as? Int == 30, "the projector on host 2 applied what host 1 committed: \(String(describing: view))")
        let ready = try HTTPClient(base: system.apiBase).get("/health/ready")
        #expect(ready.status == 200 && ready.json["gateway"] as? Bool == true && ready.json["projector"] as? Bool == true, "\(ready.text)")

        // A stranger on host 4 with keys no one registered gets nothing; the administrator's keys from there get answers.
        let strangerFile = (system.dataDirectory as NSString).appendingPathComponent("stranger.json")
        try IdentityFiles.write(IdentityFile(officialId: "OFF-999", name: "Người lạ", keys: try CurveKeyPair.generate()), to: strangerFile)
        func fromHost4(_ identity: String, _ arguments: [String]) throws -> CommandOutput {
            try runProgram(URL(fileURLWithPath: "/usr/sbin/ip"), ["netns", "exec", net.name(4), TestProcess.binDirectory.appendingPathComponent("petitionctl").path]
                + arguments + ["--host", net.address(1), "--projector-host", net.address(2), "--base-port", String(system.basePort),
                               "--identity", identity, "--servers", keys.serversPath, "--json", "--timeout-ms", "3000"], timeout: 30)
        }
        let strangerReads = try fromHost4(strangerFile, ["outstanding"])
        // The port answers (it is reachable from host 4), the handshake is refused: no reply at all.
        #expect(strangerReads.status == 2 && strangerReads.stderr.contains("is not answering") && strangerReads.json["items"] == nil,
                "a stranger's query: \(strangerReads.stdout) \(strangerReads.stderr)")
        let strangerWrites = try fromHost4(strangerFile, ["session", "open", "--unit", "Xã Vũ Hội", "--title", "Giả mạo", "--chair", "Kẻ lạ", "--date", "19/03/2026"])
        #expect(strangerWrites.status == 2 && strangerWrites.stderr.contains("is not answering"), "a stranger's command: \(strangerWrites.stdout) \(strangerWrites.stderr)")
        let admin = try fromHost4(keys.administratorPath, ["outstanding"])
        #expect(admin.status == 0 && admin.json["ok"] as? Bool == true && (admin.json["position"] as? Int).map(Int64.init) == head,
                "a registered key from host 4 is answered: \(admin.stdout) \(admin.stderr)")
        #expect(Int64(try system.history().count) == head, "nothing the stranger sent was recorded")

        // Host 2's link is cut for 30 s while clerks go on submitting; restored, the projector catches up.
        try net.link(2, up: false)
        let during = CrashRecoveryTests.Clerk(endpoint: system.endpoints.commands, curve: try system.pin(), session: session, count: 60, prefix: "cut")
        let cutAt = Date()
        try during.run(until: Date().addingTimeInterval(25))
        #expect(during.acknowledgedCount == 60, "host 1 goes on committing while host 2 is cut off")
        let queryWhileCut = try system.request(system.endpoints.queries, ["type": "status"], timeoutMs: 1000)
        #expect(queryWhileCut == nil, "host 2 is unreachable while its link is down")
        Thread.sleep(forTimeInterval: max(0, 30 - Date().timeIntervalSince(cutAt)))
        try net.link(2, up: true)
        head = Int64(try system.history().count)
        view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": head, "waitMs": 30_000], timeoutMs: 35_000)
        #expect(view?["count"] as? Int == 90, "the projector converged after the link came back: \(String(describing: view))")
        let status = try system.request(system.endpoints.queries, ["type": "status"])
        #expect((status?["position"] as? NSNumber)?.int64Value == head)
    }
}
