import Foundation
import Testing
import TestSupport

/// With `--json`, an audit or a report that cannot be done prints the typed error reply on standard output
/// (Schemas/messages/error-reply.json), as every other command does, besides the one line on standard error.
@Suite(.serialized)
final class AuditJSONErrorTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("audit-json-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Expects `output` to be a failure with exit status `status`, its stdout the error reply with `code` (checked
    /// against the schema), its message naming `fragment`, and the same message on standard error.
    static func expectJSONError(_ output: CommandOutput, code: String, status: Int32 = 2, naming fragment: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(output.status == status, "exit status: \(output.stdout) \(output.stderr)", sourceLocation: sourceLocation)
        let error = output.json["error"] as? [String: Any]
        #expect(output.json["ok"] as? Bool == false, "stdout is the error reply: \(output.stdout)", sourceLocation: sourceLocation)
        #expect(error?["code"] as? String == code, "\(output.stdout)", sourceLocation: sourceLocation)
        let message = error?["message"] as? String ?? ""
        #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
        #expect(output.stderr == "error: \(message)\n", "one line on standard error too: \(output.stderr)", sourceLocation: sourceLocation)
        let samples = try SchemaConformanceTests.Samples()
        try samples.add("messages/error-reply", Data(output.stdout.utf8))
        let (valid, text) = try SchemaConformanceTests.validate(samples.folder)
        #expect(valid == 0, "matches Schemas/messages/error-reply.json: \(text)", sourceLocation: sourceLocation)
    }

    @Test func everyAuditAndTheReportSayAMissingLogAsJSON() throws {
        let missing = (folder as NSString).appendingPathComponent("no-system")
        let data = ["--data-dir", missing]
        let commands: [[String]] = [
            ["audit", "verify", "--json"] + data,
            ["audit", "rebuild", "--out", folder + "/views.sqlite", "--json"] + data,
            ["audit", "rebuild", "--compare", "--json"] + data,
            ["audit", "export", "--format", "jsonl", "--json"] + data,
            ["audit", "backup", "--out", folder + "/backup.sqlite", "--json"] + data,
            ["report", "--unit", "Xã A", "--period", "2026-Q1", "--json"] + data,
            ["report", "--unit", "Xã A", "--period", "2026-Q1", "--format", "json"] + data,
        ]
        for arguments in commands {
            let output = try runTool("petitionctl", arguments)
            try Self.expectJSONError(output, code: "unavailable", naming: missing)
        }
        // Without --json, the same failure is the one line on standard error alone.
        let plain = try runTool("petitionctl", ["audit", "verify"] + data)
        #expect(plain.status == 2 && plain.stdout.isEmpty && plain.stderr.contains(missing), "\(plain.stdout) \(plain.stderr)")
    }

    @Test func aFileThatIsNotAnEventLogIsAJSONError() throws {
        let garbage = folder + "/events.sqlite"
        try Data("this is not a database, but the clerk's notes".utf8).write(to: URL(fileURLWithPath: garbage))
        try Self.expectJSONError(try runTool("petitionctl", ["audit", "verify", "--json", "--log", garbage]), code: "unavailable", naming: garbage)
        try Self.expectJSONError(try runTool("petitionctl", ["audit", "export", "--format", "csv", "--json", "--data-dir", folder]),
                                 code: "unavailable", naming: garbage)
        try Self.expectJSONError(try runTool("petitionctl", ["audit", "backup", "--out", folder + "/b.sqlite", "--json", "--data-dir", folder]),
                                 code: "unavailable", naming: garbage)
    }

    @Test func anOutThatExistsIsRefusedAsInvalidInputInJSON() throws {
        let existing = folder + "/kept.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        for arguments in [["audit", "rebuild", "--out", existing, "--json"], ["audit", "export", "--format", "jsonl", "--out", existing, "--json"],
                          ["audit", "backup", "--out", existing, "--json"], ["report", "--unit", "Xã A", "--period", "2026", "--out", existing, "--json"]] {
            try Self.expectJSONError(try runTool("petitionctl", arguments + ["--data-dir", folder]), code: "invalid_input", naming: existing)
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me", "nothing written")
    }

    @Test func onARealLogATamperedRecordIsTheJSONReportAndAPositionBeyondTheHeadAJSONError() throws {
        let system = try EarlierDataFolderTests.system() // a real log: the previous version's demo, 5,287 records
        let copy = try TamperedLog(copying: system.eventLogPath)
        try copy.execute("UPDATE events SET data = replace(data, '\"P000100\"', '\"P000101\"') WHERE position = 160")
        let verify = try runTool("petitionctl", ["audit", "verify", "--json", "--log", copy.path])
        #expect(verify.status == 1, "\(verify.stdout) \(verify.stderr)")
        let problem = verify.json["problem"] as? [String: Any]
        #expect(verify.json["intact"] as? Bool == false && problem?["kind"] as? String == "altered", "\(verify.stdout)")
        #expect((problem?["position"] as? NSNumber)?.int64Value == 160, "\(verify.stdout)")
        #expect(verify.stderr.isEmpty, "what verify finds is its report, not an error: \(verify.stderr)")

        let data = ["--data-dir", system.dataDirectory]
        try Self.expectJSONError(try runTool("petitionctl", ["audit", "rebuild", "--position", "999999", "--out", folder + "/v.sqlite", "--json"] + data),
                                 code: "unavailable", naming: "the log ends at position 5287")
        try Self.expectJSONError(try runTool("petitionctl", ["audit", "rebuild", "--compare", "--against", folder + "/none.sqlite", "--json"] + data),
                                 code: "unavailable", naming: folder + "/none.sqlite")
        let config = folder + "/config"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try Data("{\"Xã A\": ".utf8).write(to: URL(fileURLWithPath: config + "/units.json"))
        try Self.expectJSONError(try runTool("petitionctl", ["report", "--unit", "Huyện Vũ Thư", "--period", "2026", "--config-dir", config, "--json"] + data),
                                 code: "unavailable", naming: "units.json")
    }
}
