import ArgumentParser
import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import Messaging
import PetitionDomain
import Projections
import Runtime

/// Writes a realistic log of N events (sessions, petitions, answers, referrals, resolutions).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate an event log for the replay scenario.")

    @Option(help: "Events to write.") var events = 1_000_000
    @Option(help: "The event log file to create.") var out: String

    func run() throws {
        let store = try SQLiteEventStore(path: out)
        var written = 0
        var petition = 0
        var session = ""
        let occurred = Timestamp.date(millis: Timestamp.parseMillis("2026-03-19T08:00:00+07:00")!)
        var batch = AppendBatch()
        func add(_ stream: StreamName, _ expected: ExpectedVersion, _ events: [DomainEvent]) {
            batch.appends.append(StreamAppend(stream: stream, expectedVersion: expected, events: events.map { e in
                let (type, data) = EventCodec.encode(e)
                return NewEvent(id: UUID().uuidString, type: type, occurredAt: occurred, data: data,
                                metadata: EventMetadata(actor: "clerk", commandId: UUID().uuidString))
            }))
            written += events.count
        }
        let key = Data(repeating: 1, count: 32)
        while written < events {
            if petition % 15 == 0 {
                session = "S\(petition / 15 + 1)"
                add(StreamName(category: "session", id: session), .noStream,
                    [.session(.opened(SessionOpened(sessionId: session, unit: "Xã \(petition % 30)", title: "Đối thoại", chair: "Trần Văn A")))])
            }
            petition += 1
            let id = "P\(petition)"
            let unit = "Xã \(petition % 30)", land = "Phòng Tài nguyên và Môi trường", roads = "Phòng Kinh tế - Hạ tầng"
            let citizen = PersonalDataVault.seal(PersonalData(name: "Nguyễn Thị B", address: "ấp Tây Huề", phone: "0900000000"), personId: "person-\(petition)", key: key)
            var history: [DomainEvent] = [.petition(.submitted(.init(petitionId: id, sessionId: session, unit: unit, kind: .recommendation,
                                                                     category: PetitionCategory.allCases[petition % 12], content: "Cấp giấy chứng nhận quyền sử dụng đất chậm", citizen: citizen)))]
            var alerts: [(id: String, event: AlertEvent)] = []
            switch petition % 10 {
            case 0..<4:
                history.append(.petition(.answered(.init(petitionId: id, by: "Trần Văn A", answer: "Đã trả lời tại hội nghị"))))
                if petition % 10 == 0 {
                    history.append(.petition(.feedback(.init(petitionId: id, on: .answer, satisfied: true, comment: "", by: "Trần Văn A"))))
                }
            case 4..<9:
                // Referred and accepted; some reassigned, extended, warned (with the alert delivered), overdue; half resolved.
                var department = land, assignee = "Lê Văn C", deadline = LocalDate("2026-04-18")!
                history.append(.petition(.referred(.init(petitionId: id, department: department, assignee: assignee, by: "Trần Văn A", deadline: deadline))))
                history.append(.petition(.accepted(.init(petitionId: id, department: department, by: assignee))))
                if petition % 10 == 5 {
                    history.append(.petition(.reassigned(.init(petitionId: id, fromDepartment: department, fromAssignee: assignee, department: roads,
                                                               assignee: "Ngô Văn D", by: "Trần Văn A", reason: "Thuộc lĩnh vực giao thông"))))
                    (department, assignee) = (roads, "Ngô Văn D")
                }
                if petition % 10 == 6 {
                    let extended = LocalDate("2026-05-09")!
                    history.append(.petition(.extended(.init(petitionId: id, by: "Trần Văn A", approver: "Trần Văn A", decision: "Quyết định 12/QĐ-UBND",
                                                             previousDeadline: deadline, deadline: extended, extensionNumber: 1))))
                    deadline = extended
                }
                for level in petition % 10 >= 7 ? [EscalationLevel.warning, .overdue] : [.warning] {
                    let e = PetitionEscalated(petitionId: id, level: level, deadline: deadline, due: deadline, unit: unit, department: department,
                                              assignee: assignee, recipient: level == .warning ? assignee : "Chủ tịch UBND \(unit)")
                    history.append(.petition(.escalated(e)))
                    alerts.append((e.alertId, .delivered(.init(alertId: e.alertId, petitionId: id, sink: "webhook", attempts: 1, detail: "HTTP 204"))))
                }
                if petition % 2 == 0 { history.append(.petition(.resolved(.init(petitionId: id, by: assignee, resolution: "Đã giải quyết")))) }
            default: break
            }
            add(StreamName(category: "petition", id: id), .noStream, history)
            for (alertId, event) in alerts { add(StreamName(category: "alert", id: alertId), .noStream, [.alert(event)]) }
            if batch.appends.count >= 5000 {
                _ = try store.append(batch, recordedAt: Date())
                batch = AppendBatch()
            }
        }
        if !batch.isEmpty { _ = try store.append(batch, recordedAt: Date()) }
    }
}

/// Rebuilds the projections from N events in the log, vs reading and writing SQLite raw.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Events/s and peak memory rebuilding the projections from the log.")

    @Option(help: "Events in the generated log.") var events = 1_000_000
    @Option(help: "Reuse this event log instead of generating one.") var log: String?

    func run() throws {
        let folder = try temporaryFolder("replay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let logPath = log ?? folder.appendingPathComponent("events.sqlite").path
        if log == nil { try generateLog(events: events, into: logPath) }
        let log = try SQLiteEventLog(path: logPath)
        let reader = try log.connect()
        let total = try reader.head()
        let memoryBefore = Stats.peakMemoryMiB()

        // Ceiling 1: scanning every record of the log through the store's reader, its data as stored.
        var start = Stats.now()
        var scanned = 0
        let cursor = try reader.cursor()
        try cursor.seek(1)
        while try cursor.step() { scanned += cursor.bytes(.data).count > 0 ? 1 : 0 }
        let scanRate = Double(scanned) / Stats.seconds(since: start)

        // Ceiling 2: inserting the same number of rows raw, batched, into a fresh file.
        let raw = try DatabaseQueue(path: folder.appendingPathComponent("raw.sqlite").path)
        try raw.write { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        try raw.write { try $0.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER) WITHOUT ROWID") }
        start = Stats.now()
        var inserted = 0
        while inserted < total {
            try raw.write { db in
                let s = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?)")
                for _ in 0..<min(10_000, Int(total) - inserted) {
                    inserted += 1
                    try s.execute(arguments: ["P\(inserted)", "Phòng Tài nguyên và Môi trường", "Cấp giấy chứng nhận", inserted])
                }
            }
        }
        let insertRate = Double(inserted) / Stats.seconds(since: start)

        // Ours: the real projection code, from the log into a fresh read model.
        let model = try OutstandingReadModel(path: folder.appendingPathComponent("projections.sqlite").path)
        start = Stats.now()
        try ProjectionRebuild.run(from: log, into: model)
        let elapsed = Stats.seconds(since: start)
        let applied = try model.checkpoint()
        guard applied == total else { throw ValidationError("replay applied \(applied) of \(total)") }
        let rate = Double(total) / elapsed

        emit([
            "scenario": "replay",
            "events": total,
            "eventsPerSecond": Stats.round(rate, 0),
            "seconds": Stats.round(elapsed, 2),
            "peakMemoryMiB": Stats.round(Stats.peakMemoryMiB(), 1),
            "peakMemoryBeforeReplayMiB": Stats.round(memoryBefore, 1),
            "ceilings": ["rawSQLiteScanRecordsPerSecond": Stats.round(scanRate, 0), "rawSQLiteBatchedInsertRowsPerSecond": Stats.round(insertRate, 0)],
            "ratios": ["ofRawScan": Stats.round(rate / scanRate, 3), "ofRawInsert": Stats.round(rate / insertRate, 3)],
            "target": ["eventsPerSecond": 300_000, "met": rate >= 300_000],
        ])
    }
}
