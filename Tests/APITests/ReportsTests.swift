import Foundation
import Testing
import TestSupport

/// `GET /api/v1/reports`: the periodic report over HTTP, in JSON, CSV and an Excel workbook, within the caller's units.
@Suite("petition-api: the periodic report as JSON, CSV and an Excel workbook", .serialized)
struct ReportsTests {
    /// Runs python3 with `script` on standard input's place (a file), returning its output.
    static func python(_ script: String, in folder: String) throws -> CommandOutput {
        let path = (folder as NSString).appendingPathComponent("check-\(UUID().uuidString).py")
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        var env = ProcessInfo.processInfo.environment
        env["PYTHONIOENCODING"] = "utf-8"
        return try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", path], environment: env, currentDirectory: folder, timeout: 60)
    }

    @Test func aChairGetsTheCommunesReportAsJSONCSVAndAWorkbookExcelOpens() throws {
        let w = try APIBasicsTests.world()
        let code = try #require(try w.system.registerCommune(w.commune))
        let submitted = try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session))
        #expect(submitted.status == 201, "\(submitted.text)")
        let chair = try w.system.login(try w.system.official(.chair, unit: w.commune))

        // JSON (the default): the figures the CLI computes, from the log, with the write just made.
        let json = try chair.get("/api/v1/reports?unit=\(code)&period=2026-Q1")
        #expect(json.status == 200 && json.header("Content-Type")?.hasPrefix("application/json") == true, "\(json.text)")
        let total = try #require(json.json["total"] as? [String: Any], "\(json.text)")
        #expect(total["conferences"] as? Int == 1 && total["petitions"] as? Int == 1, "\(total)")
        #expect((total["byKind"] as? [String: Int]) == ["complaint": 1] && (total["byField"] as? [String: Int]) == ["transport": 1])
        #expect(json.json["unit"] as? String == w.commune && (json.json["period"] as? [String: Any])?["from"] as? String == "2026-01-01")
        // By the commune's name without diacritics, the same report; the next quarter has nothing.
        #expect((try chair.get("/api/v1/reports?unit=xa%20thu%20api&period=2026-Q1").json["total"] as? [String: Any])?["petitions"] as? Int == 1)
        #expect((try chair.get("/api/v1/reports?unit=\(code)&period=2026-Q2").json["total"] as? [String: Any])?["petitions"] as? Int == 0)

        // CSV for Excel under Vietnamese and English regional settings: UTF-16LE with its byte order mark, tabs, CRLF,
        // Vietnamese headers, and no figure that depends on the decimal separator; an attachment named for the unit and period.
        let csv = try chair.get("/api/v1/reports?unit=\(code)&period=2026-Q1&format=csv")
        #expect(csv.status == 200 && csv.header("Content-Type") == "text/csv; charset=utf-16le")
        #expect(csv.header("Content-Disposition") == "attachment; filename=\"bao-cao-\(code)-2026-Q1.csv\"")
        #expect(csv.body.starts(with: [0xFF, 0xFE]), "UTF-16LE's byte order mark")
        let text = try #require(String(data: Data(csv.body.dropFirst(2)), encoding: .utf16LittleEndian))
        let rows = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: "\t") }
        #expect(rows.first?.prefix(6) == ["Phạm vi", "Đơn vị", "Cơ quan", "Cán bộ", "Hội nghị", "Kiến nghị"], "\(rows.first ?? [])")
        #expect(rows.allSatisfy { $0.count == rows[0].count }, "one table: every row as wide as the header")
        let totalRow = try #require(rows.first { $0.first == "Tổng cộng" }, "\(rows)")
        #expect(totalRow[5] == "1", "the total row holds the petition: \(totalRow)")
        let figures = rows.dropFirst().flatMap { $0.dropFirst(4) }.filter { !$0.isEmpty }
        #expect(figures.allSatisfy { $0.range(of: #"^[0-9]+%?$"#, options: .regularExpression) != nil }, "whole numbers only: \(figures)")

        // The workbook: an .xlsx that openpyxl (what Python reads Excel files with) opens, in Vietnamese, counts as numbers.
        let xlsx = try chair.get("/api/v1/reports?unit=\(code)&period=2026-Q1&format=xlsx")
        #expect(xlsx.status == 200 && xlsx.header("Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(xlsx.header("Content-Disposition") == "attachment; filename=\"bao-cao-\(code)-2026-Q1.xlsx\"")
        #expect(xlsx.body.starts(with: [0x50, 0x4B, 0x03, 0x04]), "not a ZIP")
        let file = (w.system.dataDirectory as NSString).appendingPathComponent("report.xlsx")
        try Data(xlsx.body).write(to: URL(fileURLWithPath: file))
        let read = try Self.python("""
            import json, openpyxl
            wb = openpyxl.load_workbook(\(String(reflecting: file)))
            units = wb["Đơn vị"]
            rows = [[c for c in r] for r in units.iter_rows(values_only=True)]
            header = next(i for i, r in enumerate(rows) if r[0] == "Đơn vị")
            total = next(r for r in rows if r[0] == "Tổng cộng")
            fields = [r for r in wb["Lĩnh vực"].iter_rows(values_only=True)]
            print(json.dumps({"sheets": wb.sheetnames, "title": rows[0][0], "header": rows[header], "total": total,
                              "fields": [list(r) for r in fields if r and r[1] == "transport"]}, ensure_ascii=False))
            """, in: w.system.dataDirectory)
        #expect(read.status == 0, "openpyxl could not read the workbook: \(read.stderr)")
        let sheet = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any], "\(read.stdout)")
        #expect(sheet["sheets"] as? [String] == ["Đơn vị", "Lĩnh vực", "Loại", "Cơ quan", "Cán bộ"])
        #expect((sheet["title"] as? String)?.contains("\(w.commune), 2026-Q1 (01/01/2026 – 31/03/2026)") == true, "\(sheet)")
        #expect((sheet["header"] as? [Any])?.prefix(4).compactMap { $0 as? String } == ["Đơn vị", "Đơn vị cấp trên", "Hội nghị", "Kiến nghị"])
        let totals = try #require(sheet["total"] as? [Any])
        #expect(totals.count >= 4 && totals[2] as? Int == 1 && totals[3] as? Int == 1, "counts are numbers: \(totals)")
        #expect((sheet["fields"] as? [[Any]])?.first?.first as? String == "Giao thông vận tải")
    }

    @Test func aReportOutsideTheCallersUnitsOrWithABadParameterIsRefusedSayingWhy() throws {
        let w = try APIBasicsTests.world()
        let code = try #require(try w.system.registerCommune(w.commune))
        let neighbour = try w.system.login(try w.system.official(.chair, unit: "Xã Bên Cạnh"))
        let outside = try neighbour.get("/api/v1/reports?unit=\(code)&period=2026")
        #expect(outside.status == 403 && outside.json["code"] as? String == "out_of_scope" && (outside.json["detail"] as? String)?.contains("Xã Bên Cạnh") == true,
                "\(outside.text)")
        let unknown = try w.clerk.get("/api/v1/reports?unit=Xa%20Thu%20APl&period=2026")
        #expect(unknown.status == 422 && unknown.json["code"] as? String == "not_registered" && (unknown.json["detail"] as? String)?.contains(w.commune) == true,
                "the closest registered unit is named: \(unknown.text)")
        for (query, member) in [("unit=\(code)&period=2026-Q5", "period"), ("unit=\(code)&period=2026&format=pdf", "format"), ("period=2026", "unit")] {
            let bad = try w.clerk.get("/api/v1/reports?\(query)")
            #expect(bad.status == 422 && bad.header("Content-Type") == "application/problem+json" && (bad.json["detail"] as? String)?.contains(member) == true,
                    "\(query): \(bad.text)")
        }
        #expect(try w.clerk.get("/api/v1/reports?unit=\(code)&period=2026&colour=red").status == 400)
        #expect(try HTTPClient(base: w.system.apiBase).get("/api/v1/reports?unit=\(code)&period=2026").status == 401)
    }
}
