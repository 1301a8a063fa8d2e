import Foundation
import Testing
import TestSupport

/// The restore drill an operator runs: scheduled copies of the log, then the log and the views lost, the newest copy
/// put back, and the system resuming from it.
@Suite(.serialized)
struct BackupRestoreTests {
    @Test("dated backups are verified and only the newest are kept; restoring the newest into the data folder, the gateway resumes from its head and the projector rebuilds the views")
    func aScheduledBackupRestoresAndTheSystemResumes() throws {
        let system = try TestSystem()
        try system.start()
        let session = try #require(try system.send("session.open", ["unit": "Xã An Bình", "title": "Đối thoại", "chair": "Trần Văn A"])["id"] as? String)
        func submit(_ content: String) throws -> [String: Any] {
            try system.send("petition.submit", ["sessionId": session, "kind": "recommendation", "category": "land", "content": content,
                                                "citizen": ["name": "Nguyễn Văn B"]])
        }
        let first = try #require(try submit("Đường ngập")["id"] as? String)
        try system.send("petition.refer", ["petitionId": first, "department": "Phòng Kinh tế", "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15])
        let kept = try #require(try submit("Đèn đường hỏng")["id"] as? String)

        let folder = (system.dataDirectory as NSString).appendingPathComponent("backups")
        var copies: [[String: Any]] = []
        for _ in 0..<3 {
            let run = try runTool("petitionctl", ["audit", "backup", "--into", folder, "--keep", "2", "--json", "--data-dir", system.dataDirectory])
            #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
            #expect(run.json["verified"] as? Bool == true, "\(run.stdout)")
            copies.append(run.json)
            Thread.sleep(forTimeInterval: 1.1) // one copy a second at most: the names are to the second
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names.count == 2 && names.allSatisfy { $0.hasPrefix("events-") && $0.hasSuffix(".sqlite") }, "\(names)")
        #expect((copies[2]["removed"] as? [String])?.count == 1, "the third run removed the oldest: \(copies[2])")
        let newest = try #require(copies.last?["file"] as? String)
        let backedUp = try #require((copies.last?["position"] as? NSNumber)?.int64Value)
        let attributes = try FileManager.default.attributesOfItem(atPath: newest)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "a backup holds sealed personal data: private to its owner")
        #expect(try runTool("petitionctl", ["audit", "backup", "--into", folder, "--keep", "0", "--data-dir", system.dataDirectory]).status != 0,
                "--keep 0 would remove every copy")

        // Recorded after the last backup: lost with the disk.
        _ = try submit("Sau bản sao lưu")
        system.gateway?.stop()
        system.projector?.stop()
        for name in try FileManager.default.contentsOfDirectory(atPath: system.dataDirectory)
        where name.hasPrefix("events.sqlite") || name.hasPrefix("projections.sqlite") {
            try FileManager.default.removeItem(atPath: (system.dataDirectory as NSString).appendingPathComponent(name))
        }
        // The restore: the newest copy becomes the log (the keys folder was kept apart, as the README says).
        try FileManager.default.copyItem(atPath: newest, toPath: system.eventLogPath)
        let verify = try runTool("petitionctl", ["audit", "verify", "--json", "--data-dir", system.dataDirectory])
        #expect(verify.status == 0 && verify.json["intact"] as? Bool == true, "\(verify.stdout) \(verify.stderr)")

        try system.start()
        let next = try submit("Sau khi khôi phục")
        #expect((next["position"] as? NSNumber)?.int64Value ?? 0 > backedUp, "the gateway continues after the copy's head: \(next)")
        #expect(next["id"] as? String == "P000003", "numbering continues from what the copy holds: \(next)")
        let head = try #require((next["position"] as? NSNumber)?.int64Value)
        let history = try system.history()
        let positions = history.compactMap { ($0["position"] as? NSNumber)?.int64Value }
        #expect(positions == Array(1...head), "gapless from 1 to the new head")
        system.actingAs = try system.official(.supervisor)
        let outstanding = try #require(try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": head]))
        let ids = Set((outstanding["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String })
        #expect(ids == [first, kept, "P000003"], "the views rebuilt from the restored log: \(outstanding)")
        let compare = try runTool("petitionctl", ["audit", "rebuild", "--compare", "--json", "--data-dir", system.dataDirectory])
        #expect((compare.json["compare"] as? [String: Any])?["identical"] as? Bool == true, "\(compare.stdout) \(compare.stderr)")
    }
}
