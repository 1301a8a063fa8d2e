import Audit
import EventSourcing
import EventStoreSQLite
import Foundation
import PetitionDomain
import Testing

/// An event type this version does not read is an explicit outcome (`EventCodec.read` → `.unknown`), never skipped silently.
struct PeriodReportUnknownEventTests {
    @Test("a period report over a log holding an event type this version does not know is refused, naming the type and its position")
    func unknownEventIsReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unknown-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("events.sqlite").path
        let store = try SQLiteEventStore(path: path)
        let at = Timestamp.parse("2026-03-19T08:00:00+07:00")!
        let (type, data) = EventCodec.encode(.session(.opened(.init(sessionId: "S1", unit: "Xã Bình Thành", title: "Đối thoại", chair: "Trần Văn A"))))
        for (stream, type, data) in [("S1", type, data), ("P1", "petition.teleported.v1", "{}")] {
            let e = NewEvent(id: UUID().uuidString, type: type, occurredAt: at, data: data, metadata: EventMetadata(actor: "clerk", commandId: UUID().uuidString))
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: stream == "S1" ? "session" : "petition", id: stream),
                                                                    expectedVersion: .any, events: [e])]), recordedAt: at)
        }
        try store.close()
        let error = #expect(throws: AuditError.self) {
            try PeriodReport.make(unit: "Xã Bình Thành", period: try ReportPeriod("2026-03"), logPath: path, parentOf: { _ in nil })
        }
        #expect(error?.message == AuditError.unknownEvent(type: "petition.teleported.v1", position: 2).message)
        #expect(error?.message.contains("petition.teleported.v1 at position 2") == true)
    }
}
