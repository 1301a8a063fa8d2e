import Audit
import EventSourcing
import EventStoreSQLite
import Foundation
import PetitionDomain
import Projections
import Testing

/// One on-time rule (`Petition.resolvedOnTime`) for the period report and the chain of hands.
struct OnTimeRuleTests {
    @Test("the period report and the chain of hands agree on a petition resolved with no deadline in force: late in both")
    func reportAndChainOfHandsAgreeWithoutDeadline() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("on-time-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("events.sqlite").path
        let store = try SQLiteEventStore(path: path)
        let t0 = Timestamp.parse("2026-03-19T08:00:00+07:00")!
        func append(_ stream: StreamName, _ event: DomainEvent, minutes: Double) throws {
            let (type, data) = EventCodec.encode(event)
            let at = t0.addingTimeInterval(minutes * 60)
            let e = NewEvent(id: UUID().uuidString, type: type, occurredAt: at, data: data, metadata: EventMetadata(actor: "clerk", commandId: UUID().uuidString))
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: stream, expectedVersion: .any, events: [e])]), recordedAt: at)
        }
        let unit = "Xã Bình Thành", p1 = StreamName(category: "petition", id: "P1")
        try append(StreamName(category: "session", id: "S1"), .session(.opened(.init(sessionId: "S1", unit: unit, title: "Đối thoại", chair: "Trần Văn A"))), minutes: 0)
        try append(p1, .petition(.submitted(.init(petitionId: "P1", sessionId: "S1", unit: unit, kind: .complaint, category: .land,
                                                  content: "Tranh chấp ranh giới đất", citizen: SealedPersonalData(personId: "person-1", sealed: "AAAA")))), minutes: 1)
        // Resolved while no referral had set a deadline (an older writer, or a record typed in from paper minutes).
        try append(p1, .petition(.resolved(.init(petitionId: "P1", by: "Trần Văn A", resolution: "Đã giải quyết"))), minutes: 2)
        try store.close()

        let report = try PeriodReport.make(unit: unit, period: try ReportPeriod("2026-03"), logPath: path, parentOf: { _ in nil })
        #expect(report.total.resolvedOnTime == 0)
        #expect(report.total.resolvedLate == 1)

        let readModel = folder.appendingPathComponent("projections.sqlite").path
        _ = try ProjectionRebuild.rebuild(try EventLogFile(path: path), through: 3, into: readModel)
        let spans = try OutstandingReadModel(readingFrom: readModel).custody(of: "P1", now: t0.addingTimeInterval(3600))
        #expect(spans.map(\.ended) == [.resolved])
        #expect(spans.map(\.onTime) == [false])
        #expect(Petition.resolvedOnTime(on: LocalDate("2026-03-19")!, deadline: nil) == false)
        #expect(Petition.resolvedOnTime(on: LocalDate("2026-03-19")!, deadline: LocalDate("2026-03-19")!))
        #expect(!Petition.resolvedOnTime(on: LocalDate("2026-03-20")!, deadline: LocalDate("2026-03-19")!))
    }
}
