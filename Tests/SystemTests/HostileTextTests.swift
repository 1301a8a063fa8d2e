import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import Messaging
import PetitionDomain
import Testing
import TestSupport

/// Hostile text (combining marks, joiners, invisible and bidi characters, emoji, long runs) never freezes a view:
/// an id outside the identifier set is refused at decode, and whatever the gateway accepts, history returns,
/// the projector applies and a rebuild reproduces.
@Suite(.serialized)
struct HostileTextTests {
    /// The independent client's input that froze every view: stream `alert-\u{0301}` could not be read back.
    static var combiningAlertId: [String: Any] { [
        "alertId": "\u{0301}", "petitionId": "P000001", "sink": "file", "outcome": "delivered", "attempts": 1,
    ] }

    private func projectorPosition(_ system: TestSystem) throws -> Int64? {
        let status = try system.request(system.endpoints.queries, ["type": "status"], timeoutMs: 2000)
        return (status?["position"] as? NSNumber)?.int64Value
    }

    private func head(_ system: TestSystem) throws -> Int64 {
        let page = try system.request(system.endpoints.history, ["type": "history.read", "fromPosition": 1, "limit": 1])
        return (page?["head"] as? NSNumber)?.int64Value ?? -1
    }

    @Test func anAlertIdOfCombiningMarksIsRefusedNamingTheFieldAndTheViewsKeepUp() throws {
        let system = try TestSystem()
        try system.start()
        let body = TestSystem.command("alert.record", Self.combiningAlertId)
        let reply = try #require(try system.request(system.endpoints.commands, body))
        let error = reply["error"] as? [String: Any]
        #expect(reply["ok"] as? Bool == false)
        #expect(error?["code"] as? String == "invalid_value")
        #expect((error?["message"] as? String)?.contains("field \"alertId\"") == true, "\(reply)")

        try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Tiếp công dân", "chair": "Nguyễn Văn A"])
        let head = try head(system)
        #expect(try waitUntil(timeout: 10) { try projectorPosition(system) == head })
    }

    @Test func aStoredStreamNameWhoseDashStartsAGraphemeClusterReadsBackAndIsApplied() throws {
        let system = try TestSystem()
        // A log written before ids were checked: the record that froze history and the projector.
        do {
            let store = try SQLiteEventStore(path: system.eventLogPath)
            let data = #"{"alertId":"\u0301","petitionId":"P000001","sink":"file","attempts":1,"detail":"ok"}"#
            let event = NewEvent(id: "\u{0301}", type: "alert.delivered.v1", occurredAt: Date(), data: data,
                                 metadata: EventMetadata(actor: "notifier", commandId: "dlv:x:file"))
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: "alert", id: "\u{0301}"),
                                                                    expectedVersion: .noStream, events: [event])]), recordedAt: Date())
        }
        try system.start()
        try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Tiếp công dân", "chair": "Nguyễn Văn A"])
        let history = try system.history()
        let head = try head(system)
        #expect(Int64(history.count) == head, "every record, the old one first")
        #expect(history.first?["subject"] as? String == "alert-\u{0301}" || history.first?["stream"] as? String == "alert-\u{0301}", "\(history.first ?? [:])")
        let stream = try system.request(system.endpoints.history, ["type": "stream.read", "stream": "alert-\u{0301}"])
        #expect((stream?["events"] as? [Any])?.count == 1, "\(stream ?? [:])")
        #expect(try waitUntil(timeout: 10) { try projectorPosition(system) == head })
    }

    @Test func aRecordThatCannotBeReadIsReportedByHistoryAndSkippedByTheProjectorNeverAStall() throws {
        let system = try TestSystem()
        // Three records; then the second's stream name is made unreadable and the third's data undecodable.
        do {
            let store = try SQLiteEventStore(path: system.eventLogPath)
            for i in 1...3 {
                let data = #"{"alertId":"A\#(i)","petitionId":"P000001","sink":"file","attempts":1,"detail":"ok"}"#
                let event = NewEvent(id: "A\(i)", type: "alert.delivered.v1", occurredAt: Date(), data: data,
                                     metadata: EventMetadata(actor: "notifier", commandId: "dlv:A\(i):file"))
                _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: "alert", id: "A\(i)"),
                                                                        expectedVersion: .noStream, events: [event])]), recordedAt: Date())
            }
        }
        let queue = try DatabaseQueue(path: system.eventLogPath)
        try queue.write { db in
            try db.execute(sql: "UPDATE events SET stream = 'nodash' WHERE position = 2")
            try db.execute(sql: #"UPDATE events SET data = '{"alertId":5}' WHERE position = 3"#)
        }
        try queue.close()
        try system.start()
        try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Tiếp công dân", "chair": "Nguyễn Văn A"])

        let page = try #require(try system.request(system.endpoints.history, ["type": "history.read", "fromPosition": 1]))
        #expect(page["ok"] as? Bool == true, "\(page)")
        let positions = (page["events"] as? [[String: Any]] ?? []).compactMap { ($0["position"] as? NSNumber)?.int64Value }
        let head = try head(system)
        #expect(positions == [1] + Array(3...head), "every record but the unreadable one")
        let undecodable = (page["undecodable"] as? [[String: Any]] ?? []).compactMap { ($0["position"] as? NSNumber)?.int64Value }
        #expect(undecodable == [2])

        #expect(try waitUntil(timeout: 10) { try projectorPosition(system) == head }, "the projector goes past both: \((try? String(contentsOfFile: system.projector?.outputPath ?? "", encoding: .utf8))?.suffix(1500) ?? "")")
        let status = try system.request(system.endpoints.queries, ["type": "status"])
        #expect((status?["undecodable"] as? [NSNumber])?.map(\.int64Value) == [2, 3], "\(status ?? [:])")
    }

    @Test func anEventTypeThisVersionDoesNotKnowIsSkippedByTheProjectorAndSaidNeverSilently() throws {
        let system = try TestSystem()
        do {
            let store = try SQLiteEventStore(path: system.eventLogPath)
            let event = NewEvent(id: "future-1", type: "petition.teleported.v9", occurredAt: Date(), data: #"{"petitionId":"P000001"}"#,
                                 metadata: EventMetadata(actor: "chair/Trần Văn A", commandId: "future-1"))
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: "petition", id: "P000001"),
                                                                    expectedVersion: .noStream, events: [event])]), recordedAt: Date())
        }
        try system.start()
        try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Tiếp công dân", "chair": "Nguyễn Văn A"])
        let head = try head(system)
        #expect(try waitUntil(timeout: 10) { try projectorPosition(system) == head }, "the projector goes past it")
        let status = try system.request(system.endpoints.queries, ["type": "status"])
        #expect((status?["undecodable"] as? [NSNumber])?.map(\.int64Value) == [1], "\(status ?? [:])")
        let log = (try? String(contentsOfFile: system.projector?.outputPath ?? "", encoding: .utf8)) ?? ""
        #expect(log.contains("petition.teleported.v9"), "the projector says which type it skipped: \(log.suffix(1500))")
    }

    @Test func randomUnicodeInEveryTextFieldOfEveryCommandIsReadAppliedAndRebuiltAlike() throws {
        let system = try TestSystem()
        try system.start()
        let generator = SplitMix64(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        let seed = generator.state
        let fuzz = HostileCommands(generator: generator)
        var accepted = 0
        for _ in 0..<15 {
            for body in fuzz.scenario() {
                let reply = try #require(try system.request(system.endpoints.commands, body), "no reply (seed \(seed)) to \(body)")
                if reply["ok"] as? Bool == true {
                    accepted += 1
                    fuzz.accepted(body, reply)
                    if body["type"] as? String == "petition.escalate", let petition = reply["id"] as? String,
                       let alert = try system.alertId(petition, "overdue") {
                        fuzz.alerts.append((petition, alert))
                    }
                } else {
                    let code = (reply["error"] as? [String: Any])?["code"] as? String
                    #expect(code != "unavailable" && code != "internal", "seed \(seed): \(reply)")
                }
            }
        }
        #expect(accepted > 10, "the generator must mostly make acceptable commands (seed \(seed))")

        let history = try system.history()
        let head = try head(system)
        #expect(Int64(history.count) == head, "history returns every record (seed \(seed))")
        #expect(history.compactMap { ($0["position"] as? NSNumber)?.int64Value } == Array(1...head))
        #expect(try waitUntil(timeout: 15) { try projectorPosition(system) == head }, "the projector applies every record (seed \(seed))")

        let out = (system.dataDirectory as NSString).appendingPathComponent("rebuilt.sqlite")
        let compare = try runTool("petitionctl", ["audit", "rebuild", "--compare", "--out", out, "--json", "--data-dir", system.dataDirectory])
        #expect(compare.status == 0, "\(compare.stdout) \(compare.stderr)")
        #expect((compare.json["position"] as? NSNumber)?.int64Value == head)
        #expect((compare.json["compare"] as? [String: Any])?["identical"] as? Bool == true, "seed \(seed): \(compare.stdout)")
    }
}

/// A small seeded generator, so a failing run can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Commands of every type whose text fields are random Unicode, and now and then a hostile id.
final class HostileCommands {
    private var generator: SplitMix64
    private var sessions: [String] = []
    private var petitions: [String] = []
    private var people: [String] = []
    /// Each referred petition's deadline, from the refer's reply: what an escalation must name.
    private var deadlines: [String: String] = [:]
    /// The alerts raised (their ids are drawn by the gateway, read back from the log).
    var alerts: [(petitionId: String, alertId: String)] = []

    init(generator: SplitMix64) { self.generator = generator }

    /// Pieces text is made of: letters, Vietnamese, combining marks, joiners, invisible and bidi marks, emoji, white space.
    private static let pieces: [String] = [
        "a", "Z", "7", "đ", "Nguyễn", "Phòng", "Kinh tế - Hạ tầng", "-", ".", " ", "\t", "\n", "\u{0301}", "\u{031B}\u{031B}\u{0323}\u{0306}",
        "-\u{0301}", "-\u{200D}", "\u{200D}", "\u{200C}", "\u{200B}", "\u{FEFF}", "\u{200E}", "\u{200F}",
        "\u{061C}", "\u{00AD}", "\u{2060}", "👨\u{200D}👩\u{200D}👧", "🇻🇳", "🇻", "e\u{0301}", "\u{1100}\u{1161}", "\u{D7FF}\u{E000}",
        "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}", "\u{3000}", "\u{00A0}", "中文", "مرحبا", "\u{0E01}\u{0E31}",
    ]
    /// Pieces the gateway refuses (control and bidi override characters): seldom, so most commands are accepted.
    private static let refused: [String] = ["\u{0085}", "\u{0007}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{202A}"]

    private func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }

    /// Random text: usually a handful of pieces, sometimes a long run of one mark.
    func text() -> String {
        switch generator.next() % 10 {
        case 0: return "a" + String(repeating: pick(["\u{0301}", "\u{200D}", "\u{200B}", "\u{031B}"]), count: 50 + Int(generator.next() % 300))
        case 1: return pick(Self.pieces)
        default: return (0..<(1 + Int(generator.next() % 8))).map { _ in generator.next() % 40 == 0 ? pick(Self.refused) : pick(Self.pieces) }.joined()
        }
    }

    /// A known id, or now and then one of random text.
    private func id(_ known: [String], fallback: String) -> String {
        if generator.next() % 8 == 0 { return text() }
        return known.isEmpty ? fallback : pick(known)
    }

    private func command(_ type: String, _ fields: [String: Any], role: Role? = nil, department: String? = nil, actor: String? = nil) -> [String: Any] {
        var body = TestSystem.command(type, fields, actor: actor ?? (generator.next() % 3 == 0 ? text() : "clerk"), role: role, department: department)
        if generator.next() % 10 == 0 { body["commandId"] = text() }
        return body
    }

    /// One petition's life with random text everywhere.
    func scenario() -> [[String: Any]] {
        let session = id(sessions, fallback: "S000001")
        let petition = id(petitions, fallback: "P000001")
        let department = text()
        return [
            command("session.open", ["unit": text(), "title": text(), "chair": text()]),
            command("petition.submit", ["sessionId": session, "kind": "recommendation", "category": "land", "content": text(),
                                        "citizen": ["name": text(), "address": text()]]),
            command("petition.answer", ["petitionId": petition, "by": text(), "answer": text()]),
            command("petition.refer", ["petitionId": petition, "department": department, "assignee": text(), "by": text(), "days": 15]),
            command("petition.accept", ["petitionId": petition], role: .departmentOfficer, department: department),
            command("petition.extend", ["petitionId": petition, "approver": text(), "decision": text()]),
            command("petition.reassign", ["petitionId": petition, "department": text(), "assignee": text(), "reason": text()]),
            command("petition.escalate", ["petitionId": petition, "level": "overdue", "deadline": deadlines[petition] ?? "2026-04-01", "due": "2026-04-02",
                                          "recipient": text()]),
            command("petition.resolve", ["petitionId": petition, "by": text(), "resolution": text()]),
            command("petition.feedback", ["petitionId": petition, "satisfied": false, "comment": text()]),
            command("petition.reopen", ["petitionId": petition, "reason": text()]),
            command("petition.merge", ["petitionId": petition, "into": id(petitions, fallback: "P000002"), "reason": text()]),
            command("petition.withdraw", ["petitionId": id(petitions, fallback: "P000001"), "reason": text()]),
            command("alert.record", ["alertId": id(alerts.map(\.alertId), fallback: "\(petition).overdue.2026-04-01"),
                                     "petitionId": alerts.isEmpty ? petition : pick(alerts).petitionId, "sink": text(),
                                     "outcome": "failed", "attempt": 1, "reason": text()], actor: "notifier"),
            command("person.forget", ["personId": id(people, fallback: "00000000-0000-4000-8000-000000000000"), "by": text(), "reason": text()]),
        ]
    }

    /// Remembers the ids an accepted command made.
    func accepted(_ body: [String: Any], _ reply: [String: Any]) {
        guard let id = reply["id"] as? String else { return }
        switch body["type"] as? String {
        case "session.open": sessions.append(id)
        case "petition.submit": petitions.append(id)
        case "petition.refer": if let deadline = reply["deadline"] as? String { deadlines[id] = deadline }
        default: break
        }
        if let person = reply["personId"] as? String { people.append(person) }
    }
}
