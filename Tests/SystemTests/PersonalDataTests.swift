import EventSourcing
import EventStoreSQLite
import Foundation
import PetitionDomain
import Testing
import TestSupport

/// Erasing a person (crypto-shredding) and searching without diacritics, through the real gateway, projector and CLI.
@Suite("personal data and search on loopback", .serialized)
struct PersonalDataTests {
    static let citizen = ["name": "Hoàng Thị Lụa", "address": "xóm Đồng Chùa, Xã Vũ Hội", "phone": "0987 654 321"]

    /// Opens a session and records petitions; returns their ids.
    static func record(_ system: TestSystem, _ petitions: [(content: String, category: String, citizen: [String: String])]) throws -> [String] {
        let session = try system.send("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại quý I", "chair": "Nguyễn Văn Chủ"],
                                      occurredAt: "2026-03-02T08:00:00+07:00")["id"] as! String
        return try petitions.map { p in
            try system.send("petition.submit", ["sessionId": session, "kind": "complaint", "category": p.category, "content": p.content,
                                                "citizen": p.citizen], occurredAt: "2026-03-02T08:30:00+07:00")["id"] as! String
        }
    }

    /// Every file under `folder` whose bytes contain `needle`, as paths relative to it.
    ///
    /// Requires that the folder can be listed and that at least one file was read, so an empty
    /// result means "searched and not found", never "nothing searched".
    static func files(under folder: String, containing needle: Data) throws -> [String] {
        let root = URL(fileURLWithPath: folder)
        var found: [String] = []
        var scanned = 0
        let walker = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]),
                                  "cannot list \(folder)")
        while let url = walker.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let bytes = try? Data(contentsOf: url) else { continue }
            scanned += 1
            guard bytes.range(of: needle) != nil else { continue }
            found.append(url.path.replacingOccurrences(of: root.path + "/", with: ""))
        }
        try #require(scanned > 0, "no file could be read under \(folder)")
        return found.sorted()
    }

    @Test("a citizen recorded before names could be searched (a log from before search) is found by name once the gateway restarts")
    func citizensRecordedBeforeSearchAreFoundAfterARestart() throws {
        let system = try TestSystem()
        try system.start()
        let ids = try Self.record(system, [("Đề nghị cấp lại sổ đỏ bị thất lạc", "land", Self.citizen),
                                           ("Đường liên thôn xuống cấp", "transport", ["name": "Trần Văn Bình"])])
        #expect(system.gateway?.stop() == 0)
        // What the migration that added search left for people already recorded: a key, and no folded name.
        try LogFileSQL.write(system.eventLogPath) { try $0.execute(sql: "UPDATE secrets SET search_name = NULL") }
        try system.startGateway()
        let found = try system.ctl(["search", "--citizen", "hoang thi lua", "--json"])
        #expect((found.json["items"] as? [[String: Any]])?.compactMap { $0["petitionId"] as? String } == [ids[0]], "\(found.stdout)\(found.stderr)")
        let other = try system.ctl(["search", "--citizen", "tran van binh", "--json"])
        #expect((other.json["items"] as? [[String: Any]])?.compactMap { $0["petitionId"] as? String } == [ids[1]], "\(other.stdout)\(other.stderr)")
    }

    @Test("a forgotten person's name, address, phone and key are in no file of the data folder; every petition stays and the chain verifies")
    func forgettingAPersonErasesThemEverywhereButKeepsTheRecord() throws {
        let system = try TestSystem()
        try system.start()
        let ids = try Self.record(system, [("Đề nghị cấp lại sổ đỏ bị thất lạc", "land", Self.citizen),
                                           ("Đường liên thôn xuống cấp", "transport", ["name": "Trần Văn Bình"])])
        try system.send("petition.refer", ["petitionId": ids[0], "department": "Phòng Tài nguyên và Môi trường", "assignee": "Lê Văn C",
                                           "by": "Nguyễn Văn Chủ", "deadline": "2026-04-30"], occurredAt: "2026-03-02T09:00:00+07:00")
        let shown = try system.ctl(["show", ids[0], "--json"])
        let view = try #require(shown.json["petition"] as? [String: Any], "\(shown.stderr)")
        #expect((view["citizen"] as? [String: Any])?["name"] as? String == Self.citizen["name"], "readable before")
        let personId = try #require(view["personId"] as? String)
        let found = try system.ctl(["search", "--citizen", "hoang thi lua", "--json"])
        #expect((found.json["items"] as? [[String: Any]])?.compactMap { $0["petitionId"] as? String } == [ids[0]], "\(found.stdout)\(found.stderr)")

        // The key, read from the store before it is destroyed, to look for its bytes afterwards.
        let logPath = (system.dataDirectory as NSString).appendingPathComponent("events.sqlite")
        let key = try #require(try SQLiteEventStore(path: logPath, readOnly: true).secret(personId)?.key)
        // Positive control: before the forget, the scan does find the key and the folded name.
        let keyFilesBefore = try Self.files(under: system.dataDirectory, containing: key)
        #expect(!keyFilesBefore.isEmpty, "the key is in a file of the data folder before the forget")
        // Kept wrapped under the key-encryption key (keys/personal-data.key): the person's own key and folded name
        // are in no file in clear, even before the forget, so a copy of the log alone opens no one.
        let opened = try #require(try SQLiteEventStore(path: logPath, readOnly: true, kek: KeyEncryptionKey.load(forLogAt: logPath)).secret(personId))
        #expect(opened.key.count == 32 && opened.key != key, "the stored key is wrapped")
        #expect(opened.searchName == "hoang thi lua")
        #expect(try Self.files(under: system.dataDirectory, containing: opened.key).isEmpty, "the person's key is in no file in clear")
        let nameFilesBefore = try Self.files(under: system.dataDirectory, containing: Data("hoang thi lua".utf8))
        #expect(nameFilesBefore.isEmpty, "the folded name is in no file in clear: \(nameFilesBefore)")

        let clerk = try system.ctl(["person", "forget", "--petition", ids[0], "--reason", "Đơn đề nghị xóa dữ liệu ngày 05/3", "--by", "Nguyễn Văn Chủ",
                                    "--role", "clerk"])
        #expect(clerk.status != 0, "\(clerk.stderr)")
        let forgot = try system.ctl(["person", "forget", "--petition", ids[0], "--reason", "Đơn đề nghị xóa dữ liệu ngày 05/3", "--by", "Nguyễn Văn Chủ"])
        #expect(forgot.status == 0, "\(forgot.stderr)")
        let again = try system.ctl(["person", "forget", personId, "--reason", "lần hai", "--by", "Nguyễn Văn Chủ"])
        #expect(again.status != 0 && again.stderr.contains("already forgotten"), "\(again.stderr)")

        // Recorded as an event: who, when, why.
        let erasure = try #require(try system.events("person.forgotten.v1").first)
        #expect(erasure["subject"] as? String == "person-\(personId)")
        #expect((erasure["data"] as? [String: Any])?["reason"] as? String == "Đơn đề nghị xóa dữ liệu ngày 05/3")
        // The actor is the chair whose key sent it; the chair named in the minutes is in the event's data.
        #expect((erasure["actor"] as? String) == "chair/\(try system.official(.chair).id)")

        // Unreadable everywhere: show, search, and the bytes of every file under the data folder.
        let after = try system.ctl(["show", ids[0], "--json"])
        #expect(after.status == 0)
        let afterView = try #require(after.json["petition"] as? [String: Any], "\(after.stdout)\(after.stderr)")
        #expect((after.json["petition"] as? [String: Any])?["citizen"] == nil, "\(after.stdout)")
        #expect(afterView["citizen"] == nil, "\(after.stdout)")
        let text = try system.ctl(["show", ids[0]])
        #expect(text.stdout.contains("cử tri: đã xóa"), "\(text.stdout)")
        let search = try system.ctl(["search", "--citizen", "hoang thi lua", "--json"])
        #expect(search.json["total"] as? Int == 0, "\(search.stdout)")
        let other = try system.ctl(["search", "--citizen", "TRAN VAN BINH", "--json"])
        #expect(other.json["total"] as? Int == 1, "the other citizen is still found: \(other.stdout)")
        for text in [Self.citizen["name"]!, Self.citizen["address"]!, Self.citizen["phone"]!, "hoang thi lua", "xom dong chua"] {
            for form in [text, text.decomposedStringWithCanonicalMapping] {
                #expect(try Self.files(under: system.dataDirectory, containing: Data(form.utf8)).isEmpty, "\(form) left in a file")
            }
        }
        #expect(try Self.files(under: system.dataDirectory, containing: key).isEmpty, "the destroyed key left in a file")

        // A backup taken afterwards, while the system runs, holds neither, and verifies.
        let backups = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: backups) }
        let backup = (backups as NSString).appendingPathComponent("events.sqlite")
        let made = try runTool("petitionctl", ["audit", "backup", "--out", backup, "--data-dir", system.dataDirectory])
        #expect(made.status == 0, "\(made.stderr)")
        for needle in [Data(Self.citizen["name"]!.utf8), Data("hoang thi lua".utf8), key] {
            #expect(try Self.files(under: backups, containing: needle).isEmpty, "found in the backup")
        }
        let checked = try runTool("petitionctl", ["audit", "verify", "--log", backup])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let again2 = try runTool("petitionctl", ["audit", "backup", "--out", backup, "--data-dir", system.dataDirectory])
        #expect(again2.status == 2 && again2.stderr.contains("exists"), "\(again2.stderr)")

        // Every petition and what was done stays, and the chain still verifies.
        let history = try system.history()
        #expect(history.filter { $0["subject"] as? String == "petition-\(ids[0])" }.count == 2)
        var verifier = HashChain.Verifier()
        let store = try SQLiteEventStore(path: logPath, readOnly: true)
        for record in try store.read(from: 1, limit: 10_000) { #expect(verifier.check(record) == nil) }
        #expect(verifier.count == Int64(history.count))
    }

    @Test("search ignores diacritics and case, and filters by field, unit and department")
    func searchingWithoutDiacriticsFindsVietnameseText() throws {
        let system = try TestSystem()
        try system.start()
        let ids = try Self.record(system, [("Tranh chấp Đất Đai giữa hai hộ ở thôn Đông", "land", ["name": "Phạm Văn Đức"]),
                                           ("Ô nhiễm môi trường do lò gạch", "environment", ["name": "Vũ Thị Hồng"]),
                                           ("Đất đai bị lấn chiếm làm đường", "transport", ["name": "Lý Văn Nam"])])
        try system.send("petition.refer", ["petitionId": ids[2], "department": "Phòng Kinh tế - Hạ tầng", "assignee": "Ngô Văn D",
                                           "by": "Nguyễn Văn Chủ", "deadline": "2026-04-30"], occurredAt: "2026-03-02T09:00:00+07:00")
        func search(_ arguments: [String]) throws -> [String] {
            let out = try system.ctl(["search"] + arguments + ["--json"])
            #expect(out.status == 0, "\(out.stderr)")
            return (out.json["items"] as? [[String: Any]] ?? []).compactMap { $0["petitionId"] as? String }.sorted()
        }
        _ = try #require(try system.request(system.endpoints.queries, ["type": "status", "minPosition": Int64(try system.history().count)]))
        #expect(try search(["dat dai"]) == [ids[0], ids[2]].sorted())
        #expect(try search(["ĐẤT ĐAI"]) == [ids[0], ids[2]].sorted())
        #expect(try search(["dat dai", "--field", "land"]) == [ids[0]])
        #expect(try search(["o nhiem"]) == [ids[1]])
        #expect(try search(["kinh te ha tang"]) == [ids[2]], "the department is searched too")
        #expect(try search(["--department", "Phòng Kinh tế - Hạ tầng"]) == [ids[2]])
        #expect(try search(["dat", "--unit", "Xã Khác"]).isEmpty)
        #expect(try search(["--citizen", "duc"]) == [ids[0]])
        #expect(try search(["khong co gi"]).isEmpty)
        let bad = try system.ctl(["search", "x", "--field", "roads"])
        #expect(bad.status != 0 && bad.stderr.contains("--field must be one of"), "\(bad.stderr)")
    }

    @Test("a log whose citizens' keys are wrapped is not opened without its key-encryption key: the gateway says what is missing and starts again once it is back")
    func theGatewayRefusesToStartWithoutTheKeyEncryptionKey() throws {
        let system = try TestSystem()
        try system.startGateway()
        _ = try Self.record(system, [("Đề nghị cấp lại sổ đỏ bị thất lạc", "land", Self.citizen)])
        system.gateway?.stop()
        let file = KeyEncryptionKey.path(forLogAt: system.eventLogPath)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        let aside = file + ".aside"
        try FileManager.default.moveItem(atPath: file, toPath: aside)
        let refused = try runTool("petition-gateway", ["--data-dir", system.dataDirectory, "--base-port", String(FreePorts.base())], timeout: 20)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("personal-data.key is missing"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file), "no new key was made: it would open no one")
        try FileManager.default.moveItem(atPath: aside, toPath: file)
        try system.startGateway()
        let found = try #require(try system.request(system.endpoints.history, ["type": "people.find", "name": "hoang thi lua", "purpose": "Kiểm tra"]))
        #expect((found["personIds"] as? [String])?.count == 1, "\(found)")
    }
}
