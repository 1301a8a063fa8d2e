import EventSourcing
import Foundation
import GRDB
import Runtime
import Testing
import TestSupport
import ZeroMQ

/// `petitionctl audit rebuild`, the offline queries on a rebuilt file and `show --as-of`, on the real executables:
/// what a rebuild gives is what the live projector showed at that moment.
@Suite(.serialized)
struct AuditRebuildTests {
    static let land = "Phòng Tài nguyên và Môi trường"
    static let works = "Phòng Kinh tế - Hạ tầng"
    /// Every query is judged at this instant, live and offline.
    static let now = "2026-06-01T00:00:00+07:00"

    /// A running system with the demo data set and one followed petition, and what the projector showed at one moment.
    struct Scenario {
        let system: TestSystem
        let petition: String
        /// The position at which the views were captured, and when the log recorded it.
        let captured: Int64
        let capturedAt: String
        /// `petitionctl … --json --now` arguments and the live output of each, at `captured`.
        let replies: [(arguments: [String], json: String)]
        /// The projector's `petition.get` reply for `petition` at `captured`.
        let petitionReply: String
        /// The head after the later commands.
        let head: Int64

        var dataArguments: [String] { ["--data-dir", system.dataDirectory] }
        /// Runs `petitionctl audit …` (which reads the files, not the ports).
        func audit(_ arguments: [String]) throws -> CommandOutput { try runTool("petitionctl", ["audit"] + arguments) }
        func path(_ name: String) -> String { (system.dataDirectory as NSString).appendingPathComponent(name) }
    }

    /// Canonical JSON text (sorted keys), to compare replies whole.
    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Runs each query offline on the read model file `file` and expects exit status 0 and, canonically,
    /// the same reply as the live one paired with it in `expected`.
    static func expectOfflineReplies(_ s: Scenario, on file: String, equal expected: [(arguments: [String], json: String)], _ what: String,
                                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!expected.isEmpty, "queries to compare \(what)", sourceLocation: sourceLocation)
        for (arguments, live) in expected {
            let offline = try s.system.ctl(arguments + ["--read-model", file])
            #expect(offline.status == 0, "\(arguments): \(offline.stderr)", sourceLocation: sourceLocation)
            #expect(try Self.canonical(offline.json) == live, "\(arguments) \(what)", sourceLocation: sourceLocation)
        }
    }

    /// Checks `petitionctl audit rebuild --json` outputs against Schemas/messages/audit-rebuild-report.json.
    static func expectReportsMatchTheSchema(_ outputs: [CommandOutput], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let samples = try SchemaConformanceTests.Samples()
        for output in outputs { try samples.add("messages/audit-rebuild-report", Data(output.stdout.utf8)) }
        let (status, text) = try SchemaConformanceTests.validate(samples.folder)
        #expect(status == 0, "the reports match Schemas/messages/audit-rebuild-report.json: \(text)", sourceLocation: sourceLocation)
    }

    static func scenario(_ name: String = #function) throws -> Scenario {
        let system = try TestSystem(name: name)
        try system.start()
        // The demo data set: 60 sessions, 900 petitions answered, referred, accepted, reassigned, extended, resolved, withdrawn, merged.
        let context = try ZMQContext()
        try system.loadDemo(context: context)
        context.terminate()
        let session = try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Đối thoại ấp Tây Huề", "chair": "Trần Văn A"],
                                      occurredAt: "2026-03-19T08:00:00+07:00")
        let submit = try system.send("petition.submit", ["sessionId": session["id"] ?? "", "kind": "complaint", "category": "land",
                                                         "content": "Tranh chấp ranh giới đất", "citizen": ["name": "Nguyễn Thị B"]],
                                     occurredAt: "2026-03-19T09:00:00+07:00")
        let petition = try #require(submit["id"] as? String)
        try system.send("petition.refer", ["petitionId": petition, "department": land, "assignee": "Lê Văn C", "by": "Trần Văn A",
                                           "deadline": "2026-04-18"], occurredAt: "2026-03-19T10:00:00+07:00")
        try system.send("petition.accept", ["petitionId": petition], department: land, occurredAt: "2026-03-20T08:00:00+07:00")
        try system.send("petition.escalate", ["petitionId": petition, "level": "warning", "deadline": "2026-04-18", "due": "2026-04-15",
                                              "recipient": "Lê Văn C"])
        let alertId = try #require(try system.alertId(petition, "warning"))
        let last = try system.send("alert.record", ["alertId": alertId, "petitionId": petition, "sink": "webhook", "outcome": "failed",
                                                    "attempt": 1, "reason": "HTTP 503"])
        let captured = try #require((last["position"] as? NSNumber)?.int64Value)
        // The live views are compared with rebuilt files, which have no caller: read them unscoped, as a worker does.
        system.actingAs = try system.service("petition-escalator")

        // What the projector shows at this moment.
        var replies: [(arguments: [String], json: String)] = []
        for query in [["outstanding", "--limit", "10000"], ["outstanding", "--overdue", "--department", land], ["responsibility"],
                      ["alerts", "--limit", "10000"], ["sessions"], ["sessions", "--unit", "Xã Bình Thành", "--from", "2026-01-01"]] {
            let arguments = query + ["--json", "--now", now]
            let output = try system.ctl(arguments + ["--min-position", "\(captured)"])
            #expect(output.status == 0, "\(query): \(output.stderr)")
            #expect((output.json["position"] as? NSNumber)?.int64Value == captured)
            replies.append((arguments, try canonical(output.json)))
        }
        let get = try #require(try system.request(system.endpoints.queries, ["type": "petition.get", "petitionId": petition, "now": now,
                                                                             "minPosition": captured]))
        let record = try #require(try system.history().first { ($0["position"] as? NSNumber)?.int64Value == captured })
        let capturedAt = try #require(record["recordedat"] as? String)

        // Later commands are recorded after that instant.
        let instant = try #require(Timestamp.parse(capturedAt))
        while Date() <= instant.addingTimeInterval(0.002) { usleep(1000) }
        try system.send("petition.reassign", ["petitionId": petition, "department": works, "assignee": "Phạm Văn D",
                                              "reason": "Thuộc thẩm quyền phòng Kinh tế - Hạ tầng"], occurredAt: "2026-03-25T10:00:00+07:00")
        try system.send("alert.record", ["alertId": alertId, "petitionId": petition, "sink": "webhook", "outcome": "delivered", "attempts": 2,
                                         "detail": "HTTP 204"])
        let resolved = try system.send("petition.resolve", ["petitionId": petition, "by": "Phạm Văn D", "resolution": "Đã giải quyết"],
                                       department: works, occurredAt: "2026-04-01T10:00:00+07:00")
        let head = try #require((resolved["position"] as? NSNumber)?.int64Value)
        // The projector has applied the head before any comparison with it.
        _ = try #require(try system.request(system.endpoints.queries, ["type": "status", "minPosition": head]))
        return Scenario(system: system, petition: petition, captured: captured, capturedAt: capturedAt, replies: replies,
                        petitionReply: try canonical(get), head: head)
    }
}

extension AuditRebuildTests {
    @Test func aRebuildAtAPastPositionAnswersEveryQueryExactlyAsTheProjectorDidThenAndOneAtTheHeadEqualsTheLiveViews() throws {
        let s = try Self.scenario()
        let f1 = s.path("at-capture.sqlite")
        let rebuild = try s.audit(["rebuild", "--position", "\(s.captured)", "--out", f1, "--json"] + s.dataArguments)
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect((rebuild.json["position"] as? NSNumber)?.int64Value == s.captured)
        try Self.expectOfflineReplies(s, on: f1, equal: s.replies, "from the rebuilt file")
        let get = try s.system.ctl(["show", s.petition, "--read-model", f1, "--json", "--now", Self.now])
        #expect(try Self.canonical(get.json) == s.petitionReply)

        // As of the instant the captured position was recorded: the same position, said so.
        let f2 = s.path("as-of.sqlite")
        let asOf = try s.audit(["rebuild", "--as-of", s.capturedAt, "--out", f2] + s.dataArguments)
        #expect(asOf.status == 0, "\(asOf.stderr)")
        #expect(asOf.stdout.contains("the log had recorded through position \(s.captured)"), "\(asOf.stdout)")
        let again = try s.audit(["rebuild", "--as-of", s.capturedAt, "--out", f2] + s.dataArguments)
        #expect(again.status == 2 && again.stderr.contains("already exists") && again.stderr.contains("--force"), "\(again.stderr)")

        // At the head, against the running projector: identical, and so are the queries.
        let f3 = s.path("at-head.sqlite")
        let compare = try s.audit(["rebuild", "--compare", "--out", f3, "--json"] + s.dataArguments)
        #expect(compare.status == 0, "\(compare.stdout) \(compare.stderr)")
        #expect((compare.json["position"] as? NSNumber)?.int64Value == s.head)
        let result = compare.json["compare"] as? [String: Any] ?? [:]
        #expect(result["identical"] as? Bool == true && result["differenceCount"] as? Int == 0)
        #expect((result["logHead"] as? NSNumber)?.int64Value == s.head && (result["behindHead"] as? NSNumber)?.int64Value == 0, "\(result)")
        #expect(Set(result["tables"] as? [String] ?? []).isSuperset(of: ["petitions", "custody", "holders", "durations", "sessions",
                                                                         "session_tallies", "alerts", "alert_deliveries", "checkpoint"]))
        #expect((result["liveRows"] as? Int ?? 0) > 2000)
        var atHead: [(arguments: [String], json: String)] = []
        for (arguments, _) in s.replies {
            let live = try s.system.ctl(arguments)
            #expect(live.status == 0, "\(arguments): \(live.stderr)")
            atHead.append((arguments, try Self.canonical(live.json)))
        }
        try Self.expectOfflineReplies(s, on: f3, equal: atHead, "at the head")
        let text = try s.audit(["rebuild", "--compare"] + s.dataArguments)
        #expect(text.status == 0 && text.stdout.contains("identical to") && text.stdout.contains("through the log's head"), "\(text.stdout) \(text.stderr)")

        // Views that stopped applying (here: the past rebuild f1) compare identical only as far as they got, and say how far behind the head that is.
        let stale = try s.audit(["rebuild", "--compare", "--against", f1, "--json"] + s.dataArguments)
        let staleResult = stale.json["compare"] as? [String: Any] ?? [:]
        #expect(stale.status == 0 && staleResult["identical"] as? Bool == true, "\(stale.stdout) \(stale.stderr)")
        #expect((staleResult["behindHead"] as? NSNumber)?.int64Value == s.head - s.captured, "\(staleResult)")
        let staleText = try s.audit(["rebuild", "--compare", "--against", f1] + s.dataArguments)
        #expect(staleText.stdout.contains("behind the log's head (\(s.head))"), "\(staleText.stdout)")
        #expect(!text.stderr.contains("["), "no progress bar when standard error is not a terminal: \(text.stderr)")
        #expect(compare.json["inBatches"] as? Bool == false)

        // A log too long for the memory allowed is rebuilt a batch at a time: the same views, at the head and in the past.
        #expect(s.head > 1_300, "the scenario's log must exceed what 1 MiB allows (about 1,200 events)")
        let bounded = try s.audit(["rebuild", "--compare", "--memory-limit-mib", "1", "--json"] + s.dataArguments)
        #expect(bounded.status == 0 && bounded.json["inBatches"] as? Bool == true, "\(bounded.stdout) \(bounded.stderr)")
        #expect((bounded.json["compare"] as? [String: Any])?["identical"] as? Bool == true, "\(bounded.stdout)")
        let f4 = s.path("at-capture-in-batches.sqlite")
        let past = try s.audit(["rebuild", "--position", "\(s.captured)", "--out", f4, "--memory-limit-mib", "1"] + s.dataArguments)
        #expect(past.status == 0 && past.stdout.contains("20,000 events at a time"), "\(past.stdout) \(past.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f4 + "-wal"), "one self-contained file")
        try Self.expectOfflineReplies(s, on: f4, equal: s.replies, "from the file rebuilt in batches")
        let zero = try s.audit(["rebuild", "--out", s.path("none.sqlite"), "--memory-limit-mib", "0"] + s.dataArguments)
        #expect(zero.status == 64 && zero.stderr.contains("--memory-limit-mib must be a positive number"), "\(zero.stderr)")

        let asOfJSON = try s.audit(["rebuild", "--as-of", s.capturedAt, "--out", f2, "--force", "--json"] + s.dataArguments)
        #expect(asOfJSON.status == 0 && asOfJSON.json["asOf"] is String, "\(asOfJSON.stdout) \(asOfJSON.stderr)")
        try Self.expectReportsMatchTheSchema([rebuild, compare, bounded, asOfJSON, stale])
    }

    @Test func compareReportsEachChangedRowOfTheLiveReadModelByTableKeyAndColumnAndExitsOne() throws {
        let s = try Self.scenario()
        // A copy of the live read model, taken while the projector runs, with one value changed.
        let copy = s.path("tampered.sqlite")
        var config = Configuration()
        config.readonly = true
        try DatabaseQueue(path: s.path("projections.sqlite"), configuration: config).inDatabase { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [copy])
        }
        try DatabaseQueue(path: copy).write { db in
            try db.execute(sql: "UPDATE petitions SET assignee = 'Kẻ Gian' WHERE petition_id = ?", arguments: [s.petition])
        }
        let compare = try s.audit(["rebuild", "--compare", "--against", copy, "--json"] + s.dataArguments)
        #expect(compare.status == 1, "\(compare.stdout) \(compare.stderr)")
        let result = compare.json["compare"] as? [String: Any] ?? [:]
        #expect(result["identical"] as? Bool == false && result["differenceCount"] as? Int == 1)
        let difference = (result["differences"] as? [[String: Any]])?.first ?? [:]
        #expect(difference["table"] as? String == "petitions" && difference["column"] as? String == "assignee")
        #expect(difference["key"] as? [String: String] == ["petition_id": s.petition])
        #expect(difference["live"] as? String == "\"Kẻ Gian\"" && difference["rebuilt"] as? String == "\"Phạm Văn D\"")
        try Self.expectReportsMatchTheSchema([compare])
        let text = try s.audit(["rebuild", "--compare", "--against", copy] + s.dataArguments)
        #expect(text.status == 1)
        #expect(text.stdout.contains("petitions [petition_id=\(s.petition)] assignee: live \"Kẻ Gian\", rebuilt \"Phạm Văn D\""), "\(text.stdout)")
        let overwrite = try s.audit(["rebuild", "--compare", "--against", copy, "--out", copy, "--force"] + s.dataArguments)
        #expect(overwrite.status == 2 && overwrite.stderr.contains("the read model compared against"), "\(overwrite.stderr)")
        #expect(FileManager.default.fileExists(atPath: copy), "the file compared against is never replaced")

        // Comparing an older rebuild with the live views makes no sense, and says why: the rebuild cannot be done (2), not a difference (1).
        let older = try s.audit(["rebuild", "--compare", "--position", "\(s.captured)"] + s.dataArguments)
        #expect(older.status == 2 && older.stderr.contains("is at position \(s.head)"), "\(older.stderr)")
        // Never over the live read model, even with --force.
        let live = try s.audit(["rebuild", "--out", s.path("projections.sqlite"), "--force"] + s.dataArguments)
        #expect(live.status == 2 && live.stderr.contains("is the live read model"), "\(live.stderr)")
        // A folder without a log: the rebuild cannot be done (2), as for every audit.
        let missing = try s.audit(["rebuild", "--out", s.path("nowhere.sqlite"), "--data-dir", s.path("nowhere")])
        #expect(missing.status == 2 && missing.stderr.contains("no event log at"), "\(missing.stderr)")
    }

    @Test func showAsOfAPastTimeShowsThePetitionAndWhoHeldItThenAsTheProjectorDid() throws {
        let s = try Self.scenario()
        let json = try s.system.ctl(["show", s.petition, "--as-of", s.capturedAt, "--now", Self.now, "--json"] + s.dataArguments)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try Self.canonical(json.json) == s.petitionReply, "the same reply petition.get gave at that moment")
        let text = try s.system.ctl(["show", s.petition, "--as-of", s.capturedAt] + s.dataArguments)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("đang giữ: Lê Văn C") && !text.stdout.contains("Phạm Văn D"), "\(text.stdout)")
        #expect(text.stdout.contains("nhật ký đã ghi đến vị trí \(s.captured)"), "\(text.stdout)")

        let now = try s.system.ctl(["show", s.petition, "--json"])
        let custody = now.json["custody"] as? [[String: Any]] ?? []
        #expect(custody.compactMap { $0["holder"] as? String } == ["Trần Văn A", "Lê Văn C", "Phạm Văn D"])
        let before = try s.system.ctl(["show", s.petition, "--as-of", "2026-01-01", "--json"] + s.dataArguments)
        #expect(before.status == 1 && before.stderr.contains("recorded nothing"), "nothing recorded then: \(before.stderr)")
    }
}
