import Foundation
import Testing
import TestSupport

/// Refused commands exit non-zero with one line that says what to do, and append nothing.
@Suite(.serialized)
struct CLIErrorTests {
    let system: TestSystem
    let session: String

    init() throws {
        system = try TestSystem()
        try system.start()
        let open = try system.ctl(["session", "open", "--unit", "Xã Khuất Xá", "--title", "Đối thoại 31/8", "--date", "2023-08-31T08:00:00+07:00", "--chair", "Hoàng Văn F", "--json"])
        session = open.json["id"] as? String ?? "?"
    }

    private func submit() throws -> String {
        let out = try system.ctl(["submit", "--session", session, "--citizen", "Đỗ Thị G", "--kind", "complaint", "--category", "infrastructure",
                                  "--content", "Nhà văn hóa xuống cấp", "--occurred-at", "2023-08-31T09:00:00+07:00", "--json"])
        return try #require(out.json["id"] as? String)
    }

    private func expectRefused(_ out: CommandOutput, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(out.status == 1, "exit status", sourceLocation: sourceLocation)
        #expect(out.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
        #expect(out.stderr.split(separator: "\n").count == 1, "one line: \(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stderr.contains(fragment), "\(out.stderr)", sourceLocation: sourceLocation)
    }

    @Test func resolvingAPetitionThatWasNeverReferredIsRefused() throws {
        let p = try submit()
        let officer = try system.official(.departmentOfficer, department: "D")
        try system.person("X")
        let head = try system.history().count
        expectRefused(try system.ctl(["resolve", p, "--by", "X", "--resolution", "Y"], as: officer), "waits for an on-site answer or a referral")
        #expect(try system.history().count == head, "nothing appended")
    }

    @Test func resolvingTwiceIsRefused() throws {
        let p = try submit()
        #expect(try system.ctl(["refer", p, "--to", "Phòng Kinh tế - Hạ tầng", "--assignee", "A", "--by", "B", "--days", "15"]).status == 0)
        #expect(try system.ctl(["resolve", p, "--by", "A", "--resolution", "Đã sửa", "--actor-department", "Phòng Kinh tế - Hạ tầng"]).status == 0)
        expectRefused(try system.ctl(["resolve", p, "--by", "A", "--resolution", "Đã sửa", "--actor-department", "Phòng Kinh tế - Hạ tầng"]), "already resolved")
        expectRefused(try system.ctl(["answer", p, "--by", "A", "--answer", "x"]), "it is closed")
        expectRefused(try system.ctl(["refer", p, "--to", "D", "--assignee", "A", "--by", "B", "--days", "5"]), "it is closed")
    }

    @Test func aDeadlineBeforeTheReferralIsRefused() throws {
        let p = try submit()
        expectRefused(try system.ctl(["refer", p, "--to", "Phòng Kinh tế - Hạ tầng", "--assignee", "A", "--by", "B",
                                      "--deadline", "2023-08-01", "--occurred-at", "2023-09-01T08:00:00+07:00"]), "before the referral date")
    }

    @Test func submittingToASessionThatDoesNotExistIsRefused() throws {
        expectRefused(try system.ctl(["submit", "--session", "S999999", "--citizen", "A", "--kind", "report", "--category", "land", "--content", "x"]),
                      "session S999999 does not exist")
    }

    @Test func badInputNamesTheProblem() throws {
        expectRefused(try system.ctl(["submit", "--session", session, "--citizen", "A", "--kind", "wish", "--category", "land", "--content", "x"]),
                      "\"kind\" must be one of recommendation (Kiến nghị), report (Phản ánh), complaint (Khiếu nại), denunciation (Tố cáo)")
        expectRefused(try system.ctl(["submit", "--session", session, "--citizen", "A", "--kind", "report", "--category", "land", "--content", "x", "--phone", "abc"]),
                      "phone")
        expectRefused(try system.ctl(["answer", "P424242", "--by", "A", "--answer", "x"]), "petition P424242 does not exist")
        let badTime = try system.ctl(["answer", "P000001", "--by", "A", "--answer", "x", "--occurred-at", "yesterday"])
        #expect(badTime.status == 1)
        #expect(badTime.stderr.contains("--occurred-at must be a time"))
        let both = try system.ctl(["refer", "P000001", "--to", "D", "--assignee", "A", "--by", "B", "--days", "3", "--deadline", "2030-01-01"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("give --days or --deadline, not both"))
    }

    @Test func theSameCommandIdTwiceAppendsOnceAndRepliesTheSame() throws {
        let args = ["submit", "--session", session, "--citizen", "Vũ Văn H", "--kind", "recommendation", "--category", "transport",
                    "--content", "Đường nội đồng xuống cấp", "--command-id", "clerk-laptop-0001", "--json"]
        let first = try system.ctl(args)
        let head = try system.history().count
        let second = try system.ctl(args)
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stdout == second.stdout, "the same reply, byte for byte")
        #expect(try system.history().count == head, "appended once")
        var changed = args
        changed[changed.firstIndex(of: "Đường nội đồng xuống cấp")!] = "Cầu dân sinh hư hỏng"
        expectRefused(try system.ctl(changed), "was already used for a different command")
    }

    @Test func aSystemThatIsNotRunningGivesExitTwoAndSaysHowToStartIt() throws {
        let out = try runTool("petitionctl", ["outstanding", "--base-port", String(FreePorts.base()), "--timeout-ms", "300"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("petitionctl up"))
    }

    @Test func aCommandThatGetsNoReplyNamesTheCommandIdToRetryWith() throws {
        let out = try runTool("petitionctl", ["answer", "P000001", "--by", "A", "--answer", "x", "--command-id", "clerk-7",
                                              "--base-port", String(FreePorts.base()), "--timeout-ms", "200"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("--command-id clerk-7"), "\(out.stderr)")
    }

    @Test func aSystemThatIsDownIsReportedWithinASecondAndAsJSONWithJson() throws {
        let port = String(FreePorts.base())
        for args in [["outstanding", "--json"], ["submit", "--session", "S000001", "--citizen", "A", "--kind", "recommendation",
                                                 "--category", "land", "--content", "x", "--json"]] {
            let started = Date()
            let out = try runTool("petitionctl", args + ["--base-port", port])
            #expect(Date().timeIntervalSince(started) < 3, "\(args[0]) took \(Date().timeIntervalSince(started)) s to say the system is down")
            #expect(out.status == 2)
            #expect(out.stderr.contains("petitionctl up"))
            let error = out.json["error"] as? [String: Any]
            #expect(out.json["ok"] as? Bool == false && error?["code"] as? String == "unavailable", "\(out.stdout)")
            #expect((error?["message"] as? String)?.contains("not running") == true)
        }
    }

    @Test func everyOutRefusesAnExistingFileUnlessForced() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/report.md"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
        let out = try runTool("petitionctl", ["report", "--unit", "Xã A", "--period", "2026-Q1", "--out", file, "--data-dir", folder])
        #expect(out.status == 2)
        #expect(out.stderr.contains("exists") && out.stderr.contains("--force"), "\(out.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
        for args in [["audit", "export", "--format", "csv"], ["audit", "backup"]] {
            let refused = try runTool("petitionctl", args + ["--out", file, "--data-dir", folder])
            #expect(refused.status == 2 && refused.stderr.contains("--force"), "\(args): \(refused.stderr)")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
        }
    }
}
