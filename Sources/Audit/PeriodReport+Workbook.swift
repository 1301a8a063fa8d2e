import EventSourcing
import Foundation
import PetitionDomain
import ZIPFoundation

extension PeriodReport {
    /// The report as an Excel workbook (.xlsx, Office Open XML SpreadsheetML), which is what Vietnamese offices open:
    /// in Vietnamese, one sheet per table (units with their total, fields, kinds, departments, officials), counts as
    /// numbers and on-time rates as percentages, dates dd/mm/yyyy. Built as the standard's XML parts in a ZIP
    /// (ZIPFoundation); cells are inline strings, so there is no shared-string table to keep in step.
    public func workbook() throws -> Data {
        let from = LocalDate(period.from)?.vietnamese ?? period.from, to = LocalDate(period.to)?.vietnamese ?? period.to
        let title = "Báo cáo kết quả đối thoại — \(unit), \(period.label) (\(from) – \(to))"
        let note = "Từ nhật ký sự kiện đến vị trí \(position). Ngày là ngày sự việc diễn ra (giờ Việt Nam). "
            + "Tỷ lệ đúng hạn = giải quyết đúng hạn ÷ (đúng hạn + trễ hạn + còn quá hạn cuối kỳ)."
        func unitCells(_ f: Figures) -> [Cell] {
            [f.conferences, f.petitions, f.answeredOnSite, f.referred, f.resolvedOnTime, f.resolvedLate, f.openOverdue].map { .number(Double($0)) }
                + [f.onTimeRate.map(Cell.percent) ?? .text("—")]
        }
        func holderCells(_ h: HolderLine) -> [Cell] {
            [h.received, h.resolvedOnTime, h.resolvedLate, h.holdingAtEnd, h.openOverdue].map { .number(Double($0)) }
                + [h.onTimeRate.map(Cell.percent) ?? .text("—")]
        }
        let holderHeader = ["Tiếp nhận", "Giải quyết đúng hạn", "Giải quyết trễ hạn", "Đang giữ cuối kỳ", "Còn quá hạn", "Tỷ lệ đúng hạn"]
        let sheets: [Sheet] = [
            Sheet(name: "Đơn vị", title: title, note: note,
                  header: ["Đơn vị", "Đơn vị cấp trên", "Hội nghị", "Kiến nghị", "Trả lời tại hội nghị", "Chuyển giải quyết",
                           "Giải quyết đúng hạn", "Giải quyết trễ hạn", "Còn quá hạn", "Tỷ lệ đúng hạn"],
                  rows: units.map { [.text($0.unit), .text($0.parent ?? "")] + unitCells($0.figures) }
                      + [[.bold("Tổng cộng"), .text("")] + unitCells(total)]),
            Sheet(name: "Lĩnh vực", title: title, note: nil, header: ["Lĩnh vực", "Mã", "Kiến nghị"],
                  rows: total.byField.sorted { $0.key < $1.key }.map { code, n in
                      [.text(PetitionCategory(rawValue: code)?.vietnamese ?? code), .text(code), .number(Double(n))]
                  }),
            Sheet(name: "Loại", title: title, note: nil, header: ["Loại", "Mã", "Kiến nghị"],
                  rows: total.byKind.sorted { $0.key < $1.key }.map { code, n in
                      [.text(PetitionKind(rawValue: code)?.vietnamese ?? code), .text(code), .number(Double(n))]
                  }),
            Sheet(name: "Cơ quan", title: title, note: nil, header: ["Đơn vị", "Cơ quan"] + holderHeader,
                  rows: departments.map { [.text($0.unit), .text($0.department)] + holderCells($0) }),
            Sheet(name: "Cán bộ", title: title, note: nil, header: ["Đơn vị", "Cơ quan", "Cán bộ"] + holderHeader,
                  rows: officials.map { [.text($0.unit), .text($0.department), .text($0.assignee ?? "")] + holderCells($0) }),
        ]
        return try Workbook.zip(sheets, title: title)
    }

    /// One cell: text, a number, a rate shown as a percentage, or bold text.
    enum Cell {
        case text(String), number(Double), percent(Double), bold(String)
    }

    struct Sheet {
        var name: String
        var title: String
        var note: String?
        var header: [String]
        var rows: [[Cell]]
    }

    /// The SpreadsheetML parts of a workbook.
    enum Workbook {
        static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

        static func zip(_ sheets: [Sheet], title: String) throws -> Data {
            var parts: [(String, String)] = []
            let overrides = sheets.indices.map {
                "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            }.joined()
            parts.append(("[Content_Types].xml", declaration + """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
                <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
                \(overrides)</Types>
                """))
            parts.append(("_rels/.rels", declaration + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
                </Relationships>
                """))
            parts.append(("docProps/core.xml", declaration + """
                <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
                xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(XMLText.escape(title))</dc:title>\
                <dc:creator>petition-followup</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>
                """))
            let entries = sheets.enumerated().map { i, s in "<sheet name=\"\(XMLText.escape(s.name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>" }.joined()
            parts.append(("xl/workbook.xml", declaration + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\"><sheets>\(entries)</sheets></workbook>"))
            let rels = sheets.indices.map {
                "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
            }.joined() + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(relationships)/styles\" Target=\"styles.xml\"/>"
            parts.append(("xl/_rels/workbook.xml.rels", declaration
                          + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(rels)</Relationships>"))
            // Styles: 0 plain, 1 bold, 2 percentage with one decimal, 3 bold title.
            parts.append(("xl/styles.xml", declaration + """
                <styleSheet xmlns="\(main)"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>\
                <fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>\
                <font><b/><sz val="14"/><name val="Calibri"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
                <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
                <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
                <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
                """))
            for (i, sheet) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", worksheet(sheet))) }

            let archive = try Archive(data: Data(), accessMode: .create)
            let stamp = Date(timeIntervalSince1970: 1_767_225_600) // parts carry a fixed time: the same report, the same bytes
            for (path, text) in parts {
                let bytes = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: stamp,
                                     compressionMethod: .deflate) { position, size in
                    bytes.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw AuditError("the workbook could not be assembled") }
            return data
        }

        static func worksheet(_ sheet: Sheet) -> String {
            var rows: [[Cell]] = [[.text(sheet.title)]]
            if let note = sheet.note { rows.append([.text(note)]) }
            rows.append([])
            let headerRow = rows.count
            rows.append(sheet.header.map(Cell.bold))
            rows += sheet.rows
            var xml = declaration + "<worksheet xmlns=\"\(main)\">"
            let widths = sheet.header.indices.map { c in
                max(10, min(60, ([sheet.header[c]] + sheet.rows.compactMap { c < $0.count ? $0[c].width : nil }).map { String($0).count }.max() ?? 10) + 2)
            }
            xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(headerRow + 1)\" topLeftCell=\"A\(headerRow + 2)\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            xml += "<cols>" + widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1)\" customWidth=\"1\"/>" }.joined() + "</cols>"
            xml += "<sheetData>"
            for (r, row) in rows.enumerated() {
                xml += "<row r=\"\(r + 1)\">"
                for (c, cell) in row.enumerated() {
                    let ref = column(c) + String(r + 1)
                    switch cell {
                    case .text(let s): xml += "<c r=\"\(ref)\" t=\"inlineStr\"\(r == 0 ? " s=\"3\"" : "")><is><t xml:space=\"preserve\">\(XMLText.escape(s))</t></is></c>"
                    case .bold(let s): xml += "<c r=\"\(ref)\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">\(XMLText.escape(s))</t></is></c>"
                    case .number(let n): xml += "<c r=\"\(ref)\"><v>\(number(n))</v></c>"
                    case .percent(let n): xml += "<c r=\"\(ref)\" s=\"2\"><v>\(number(n))</v></c>"
                    }
                }
                xml += "</row>"
            }
            return xml + "</sheetData></worksheet>"
        }

        /// A column's letters: 0 → A, 25 → Z, 26 → AA.
        static func column(_ index: Int) -> String {
            var n = index + 1, letters = ""
            while n > 0 {
                let r = (n - 1) % 26
                letters = String(UnicodeScalar(UInt8(65 + r))) + letters
                n = (n - 1) / 26
            }
            return letters
        }

        static func number(_ n: Double) -> String {
            n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        }

    }
}

extension PeriodReport.Cell {
    /// How wide the cell reads, in characters, for its column's width.
    var width: String {
        switch self {
        case .text(let s), .bold(let s): s
        case .number(let n): PeriodReport.Workbook.number(n)
        case .percent: "100.0%"
        }
    }
}
