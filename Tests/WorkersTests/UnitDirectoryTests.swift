import Foundation
import Testing
import Workers

@Suite("UnitDirectory: per-unit settings from units.json")
struct UnitDirectoryTests {
    @Test("units inherit the defaults and override what they set")
    func inheritance() throws {
        let json = #"{"defaults":{"warningDaysBefore":2,"graceDays":7},"units":{"Xã Vũ Hội":{"parent":"Huyện Vũ Thư","chair":"Nguyễn Văn A","graceDays":3,"remote":true}}}"#
        let d = try UnitDirectory.parse(Data(json.utf8))
        let unit = d.settings("Xã Vũ Hội")
        #expect(unit.warningDaysBefore == 2)
        #expect(unit.graceDays == 3)
        #expect(unit.remote)
        #expect(unit.parent == "Huyện Vũ Thư")
        #expect(d.settings("Xã Khác").graceDays == 7)
        #expect(d.settings("Xã Khác").parent == nil)
    }

    @Test("the shipped template parses")
    func templateParses() throws {
        let d = try UnitDirectory.parse(Data(ConfigDirectory.unitsTemplate.utf8))
        #expect(d.defaults.warningDaysBefore == 3)
        #expect(d.defaults.graceDays == 5)
    }

    @Test("mistakes are refused naming the file, the unit and the key", arguments: [
        (#"{"units":{"X":{"graceDays":-1}}}"#, "units.X.graceDays"),
        (#"{"units":{"X":{"grace":1}}}"#, "unknown key \"grace\""),
        (#"{"unit":{}}"#, "unknown key \"unit\""),
        (#"[1]"#, "not a JSON object"),
        (#"{"units":{"X":{"alertEmails":["not-an-address"]}}}"#, "alertEmails"),
    ])
    func mistakesRefused(json: String, expected: String) {
        #expect {
            _ = try UnitDirectory.parse(Data(json.utf8), file: "units.json")
        } throws: { error in
            "\(error)".contains(expected) && "\(error)".contains("units.json")
        }
    }
}
