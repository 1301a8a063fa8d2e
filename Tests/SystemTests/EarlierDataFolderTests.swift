import Foundation
import GRDB
import Testing
import TestSupport

/// A data folder written by the previous version (commit 618a55e, before the lean writes: a `streams` row per stream)
/// opens with the current code: the log migrates and verifies with its old signed checkpoints, the gateway continues
/// its numbering and its chain, and the projector brings the old read model up to date.
///
/// The folder is Tests/Fixtures/earlier-data-folder/data.tar.xz, made by that version's `petitionctl up --demo`
/// (Tests/Fixtures/earlier-data-folder/README.md says how); its public key and its last checkpoint are kept beside it,
/// outside the folder, as an inspector keeps them.
@Suite(.serialized)
struct EarlierDataFolderTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/earlier-data-folder")

    /// A test system whose data folder is a fresh copy of the earlier version's.
    static func system(name: String = #function) throws -> TestSystem {
        let system = try TestSystem(name: name)
        // Python's tarfile (the schema test needs python3 already) reads xz without the xz tool.
        let unpack = Process()
        unpack.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        unpack.arguments = ["python3", "-c", "import sys, tarfile; tarfile.open(sys.argv[1], 'r:xz').extractall(sys.argv[2])",
                            fixture.appendingPathComponent("data.tar.xz").path, system.dataDirectory]
        try unpack.run()
        unpack.waitUntilExit()
        guard unpack.terminationStatus == 0 else { throw TestSystemError("cannot unpack the fixture (python3 exited \(unpack.terminationStatus))") }
        return system
    }

    /// `petitionctl audit verify --json` of the system's folder, with the key and the checkpoint kept outside it when
    /// the earlier version wrote the folder.
    static func verify(_ system: TestSystem, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let output = try runTool("petitionctl", ["audit", "verify", "--json", "--data-dir", system.dataDirectory,
                                                 "--public-key", "@" + fixture.appendingPathComponent("checkpoint-signing.pub").path,
                                                 "--checkpoint", "@" + fixture.appendingPathComponent("last-checkpoint.json").path])
        #expect(output.status == 0, "\(output.stdout) \(output.stderr)", sourceLocation: sourceLocation)
        #expect(output.json["intact"] as? Bool == true, "\(output.stdout)", sourceLocation: sourceLocation)
        return output.json
    }

    static func int(_ value: Any?) -> Int64 { (value as? NSNumber)?.int64Value ?? -1 }

    /// Reads the store file on a read-only connection of its own (the gateway may be running).
    static func read<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    @Test func theEarlierFolderMigratesVerifiesAndTheGatewayContinuesItsNumberingAndChain() throws {
        let system = try Self.system()
        let before = try Self.verify(system) // read-only: the earlier schema as it is
        let head = Self.int((before["head"] as? [String: Any])?["position"])
        let checkpoints = before["checkpoints"] as? [String: Any] ?? [:]
        #expect(head > 2000, "the demo's log: \(head) records")
        #expect(Self.int(checkpoints["found"]) >= 1 && Self.int(checkpoints["outside"]) == 1, "\(checkpoints)")

        try system.startGateway() // migrates: v3-lean-writes
        try Self.read(system.eventLogPath) { db in
            #expect(try db.tableExists("categories") && !(try db.tableExists("streams")), "migrated to the lean schema")
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            #expect(migrations.contains("v3-lean-writes"), "\(migrations)")
        }
        let session = try system.ctl(["session", "open", "--unit", "Xã Bình Thành", "--title", "Đối thoại sau nâng cấp",
                                      "--date", "2026-11-20T08:00:00+07:00", "--chair", "Trần Văn A", "--json"])
        #expect(session.json["id"] as? String == "S000061", "numbering continues after the demo's 60 sessions: \(session.stdout) \(session.stderr)")
        let submit = try system.ctl(["submit", "--session", "S000061", "--citizen", "Nguyễn Thị Mới", "--kind", "complaint", "--category", "land",
                                     "--content", "Đơn sau khi nâng cấp", "--json"])
        #expect(submit.json["id"] as? String == "P000901", "numbering continues after the demo's 900 petitions: \(submit.stdout) \(submit.stderr)")
        let position = Self.int(submit.json["position"])
        #expect(position > head, "appended after the earlier head \(head): \(position)")
        // The earlier version's streams keep their versions: a petition of the demo takes its next event.
        let note = try system.ctl(["note", "P000001", "--text", "Ghi chú sau nâng cấp", "--json"])
        #expect(note.status == 0, "\(note.stdout) \(note.stderr)")

        #expect(system.gateway!.stop() == 0)
        let after = try Self.verify(system) // the old checkpoints and records, and the new ones chained on them
        let afterHead = Self.int((after["head"] as? [String: Any])?["position"])
        #expect(afterHead > position, "\(after)")
        #expect(Self.int((after["checkpoints"] as? [String: Any])?["found"]) >= Self.int(checkpoints["found"]), "\(after)")
        #expect((after["checkpoints"] as? [String: Any])?["signers"] as? [String] == checkpoints["signers"] as? [String],
                "the gateway signs with the earlier version's key")
        try Self.read(system.eventLogPath) { db in
            let versions = try Int64.fetchAll(db, sql: "SELECT stream_version FROM events WHERE stream = 'petition-P000001' ORDER BY position")
            #expect(versions == Array(1...Int64(versions.count)), "P000001's versions run on without a gap: \(versions)")
            // The earlier version kept citizens' keys and folded names in clear: the gateway wrapped them all.
            let clear = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM secrets WHERE length(key) = 32 OR (search_name != '' AND search_name NOT LIKE 'k1:%')")
            let kept = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM secrets")
            #expect(clear == 0 && (kept ?? 0) > 0, "\(clear ?? -1) of \(kept ?? 0) keys still in clear")
        }
    }

    @Test func theProjectorBringsTheEarlierReadModelUpToDateAndShowGivesAnOldPetitionsHistory() throws {
        let system = try Self.system()
        try system.start()
        // Upgrading, the operator registers the units the earlier version's data names (as free text): their officials
        // then see those petitions, as officials see only their own units'.
        for unit in Set(try system.events("session.opened.v1").compactMap { ($0["data"] as? [String: Any])?["unit"] as? String }) {
            try system.registerCommune(unit)
        }
        let shown = try system.ctl(["show", "P000001", "--json"])
        #expect(shown.status == 0, "\(shown.stdout) \(shown.stderr)")
        let events = shown.json["events"] as? [[String: Any]] ?? []
        #expect(events.first?["type"] as? String == "petition.submitted.v1", "\(events.first ?? [:])")
        #expect((shown.json["petition"] as? [String: Any])?["citizen"] is [String: Any], "the earlier version's key still opens the citizen")
        let forgotten = try system.ctl(["show", "P000002"]) // its citizen was forgotten by the earlier version
        #expect(forgotten.status == 0 && forgotten.stdout.contains("cử tri: đã xóa"), "\(forgotten.stdout) \(forgotten.stderr)")
        let submit = try system.ctl(["submit", "--session", "S000001", "--citizen", "Lê Thị Sau", "--kind", "report", "--category", "land",
                                     "--content", "Báo cáo sau nâng cấp", "--json"])
        let created = try #require(submit.json["id"] as? String, "\(submit.stdout) \(submit.stderr)")
        let outstanding = try system.ctl(["outstanding", "--min-position", String(Self.int(submit.json["position"])), "--limit", "2000", "--json"])
        #expect(outstanding.status == 0, "\(outstanding.stderr)")
        #expect(outstanding.stdout.contains("\"\(created)\""), "the projector applies the new petition on the old read model")

        // The read model the projector kept from the earlier version equals one rebuilt from the whole log now.
        let compare = try runTool("petitionctl", ["audit", "rebuild", "--compare", "--json", "--data-dir", system.dataDirectory])
        #expect(compare.status == 0, "\(compare.stdout.prefix(2000)) \(compare.stderr)")
        #expect((compare.json["compare"] as? [String: Any])?["identical"] as? Bool == true, "\(compare.stdout.prefix(2000))")
    }
}
