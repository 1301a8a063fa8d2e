import Foundation
import Testing
import TestSupport

/// `petitionctl audit export` on the store file of a real system.
@Suite("audit export", .serialized)
struct AuditExportTests {
    /// A system with two citizens' petitions, one of them forgotten; returns it and the petition ids.
    static func system() throws -> (TestSystem, [String]) {
        let system = try TestSystem()
        try system.start()
        let session = try system.send("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại, quý I", "chair": "Nguyễn Văn Chủ"],
                                      occurredAt: "2026-03-02T08:00:00+07:00")["id"] as! String
        var ids: [String] = []
        for (name, content) in [("Đặng Thị Ngân", "Đường \"liên thôn\", đoạn qua xóm Trại,\nbị sụt lún"), ("Bùi Văn Khoa", "=Kiến nghị về thủy lợi")] {
            ids.append(try system.send("petition.submit", ["sessionId": session, "kind": "recommendation", "category": "transport", "content": content,
                                                           "citizen": ["name": name, "address": "xóm Trại", "phone": "0912 000 111"]],
                                       occurredAt: "2026-03-02T08:30:00+07:00")["id"] as! String)
        }
        let forgot = try system.ctl(["person", "forget", "--petition", ids[1], "--by", "Nguyễn Văn Chủ", "--reason", "Đơn đề nghị"])
        guard forgot.status == 0 else { throw TestSystemError("forget failed: \(forgot.stderr)") }
        return (system, ids)
    }

    /// RFC 4180 rows of a CSV text (quoted fields may hold commas, quotes and line breaks).
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r\n" || c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
            i += 1
        }
        chars = []
        return rows
    }

    @Test("CSV opens in Excel with Vietnamese text: BOM, CRLF, quoted fields; personal data only with the flag and only for people not erased")
    func csvExportForExcel() throws {
        let (system, ids) = try Self.system()
        let out = (system.dataDirectory as NSString).appendingPathComponent("../export-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(atPath: out) }
        // Revealing every citizen needs the administrator, a purpose and the running system, which records it first.
        let anonymous = try runTool("petitionctl", ["audit", "export", "--format", "csv", "--reveal-personal-data", "--purpose", "Thanh tra",
                                                    "--data-dir", system.dataDirectory, "--base-port", String(system.basePort)])
        #expect(anonymous.status == 2 && anonymous.stderr.contains("administrator's identity") && !anonymous.stdout.contains("Đặng Thị Ngân"), "\(anonymous.stderr)")
        let clerk = try runTool("petitionctl", ["audit", "export", "--format", "csv", "--reveal-personal-data", "--purpose", "Thanh tra",
                                                "--identity", try system.official(.clerk).path, "--data-dir", system.dataDirectory, "--base-port", String(system.basePort)])
        #expect(clerk.status == 2 && clerk.stderr.contains("not the identity of an administrator"), "\(clerk.stderr)")
        let head = try system.history().count
        let run = try runTool("petitionctl", ["audit", "export", "--format", "csv", "--reveal-personal-data", "--out", out, "--data-dir", system.dataDirectory,
                                              "--identity", system.keyFiles.administratorPath, "--purpose", "Thanh tra theo Quyết định 12/QĐ-TTr",
                                              "--base-port", String(system.basePort)])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("exported \(head + 1) records"), "the export holds its own recorded reveal: \(run.stderr)")
        let recorded = try #require(try system.events("access.recorded.v1").last)
        #expect(recorded["subject"] as? String == "access-O000001")
        #expect(((recorded["data"] as? [String: Any])?["purpose"] as? String ?? "").hasPrefix("Thanh tra theo Quyết định 12/QĐ-TTr"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte order mark first")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        let rows = Self.rows(text)
        let header = try #require(rows.first)
        #expect(header.prefix(4) == ["position", "time", "recordedat", "type"])
        #expect(rows.count == head + 2, "one row per record")
        func column(_ name: String, _ row: [String]) -> String { row[header.firstIndex(of: name)!] }
        let submitted = rows.dropFirst().filter { column("type", $0) == "petition.submitted.v3" }
        try #require(submitted.count == 2, "\(text)")
        #expect(submitted.map { column("petitionid", $0) } == ids)
        #expect(column("citizenname", submitted[0]) == "Đặng Thị Ngân")
        #expect(column("personaldata", submitted[0]) == "revealed")
        #expect(column("personaldata", submitted[1]) == "erased")
        #expect(column("citizenname", submitted[1]).isEmpty)
        #expect(column("data", submitted[0]).contains(#"\"liên thôn\", đoạn qua xóm Trại,\n"#), "the JSON data survives quoting")
        #expect(!text.contains("Bùi Văn Khoa"), "a forgotten person is not exported")

        let plain = try runTool("petitionctl", ["audit", "export", "--format", "csv", "--data-dir", system.dataDirectory])
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("Đặng Thị Ngân") && !plain.stdout.contains("citizenname"), "no personal data without the flag")
        let again = try runTool("petitionctl", ["audit", "export", "--format", "csv", "--out", out, "--data-dir", system.dataDirectory])
        #expect(again.status != 0 && again.stderr.contains("exists"), "an existing file is not overwritten: \(again.stderr)")
    }

    @Test("JSON Lines are the log's CloudEvents, from a position; a missing log is a clear error")
    func jsonLinesFromAPosition() throws {
        let (system, _) = try Self.system()
        let run = try runTool("petitionctl", ["audit", "export", "--format", "jsonl", "--from-position", "2", "--reveal-personal-data",
                                              "--data-dir", system.dataDirectory, "--identity", system.keyFiles.administratorPath,
                                              "--purpose", "Thanh tra", "--base-port", String(system.basePort)])
        #expect(run.status == 0, "\(run.stderr)")
        let history = try system.history()
        let lines = run.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.count == history.count - 1)
        for (line, event) in zip(lines, history.dropFirst()) {
            #expect(line["hash"] as? String == event["hash"] as? String)
            #expect(line["position"] as? Int == event["position"] as? Int)
        }
        let submitted = lines.filter { $0["type"] as? String == "petition.submitted.v3" }
        try #require(submitted.count == 2, "\(run.stdout)")
        #expect(submitted.map { $0["personaldata"] as? String } == ["revealed", "erased"])
        #expect(submitted[0]["citizenphone"] as? String == "0912 000 111")
        // Each line validates against Schemas/cloudevent.json.
        let samples = FileManager.default.temporaryDirectory.appendingPathComponent("export-samples-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: samples) }
        for (i, line) in run.stdout.split(separator: "\n").enumerated() {
            try Data(line.utf8).write(to: samples.appendingPathComponent("cloudevent--\(i).json"))
        }
        let (status, said) = try SchemaConformanceTests.validate(samples)
        #expect(status == 0 && said.contains("validated \(lines.count) files"), "\(said)")
        let missing = try runTool("petitionctl", ["audit", "export", "--format", "jsonl", "--data-dir", system.dataDirectory + "/nowhere"])
        #expect(missing.status == 2 && missing.stderr.contains("no event log at"), "\(missing.stderr)")
    }
}
