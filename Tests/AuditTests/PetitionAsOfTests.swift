@testable import Audit
import EventSourcing
import EventStoreSQLite
import Foundation
import PetitionDomain
import Testing

/// A petition as it stood at a past moment, from a log file written by the real store.
struct PetitionAsOfTests {
    @Test func theQueryItAsksRoundTripsThroughJSONWhateverThePetitionIdHolds() throws {
        for id in ["P000001", #"P"1\2"#, "Đơn số 7/2026", "a\nb\u{1}"] {
            let query = PetitionAsOf.Query(petitionId: id)
            let bytes = try JSONEncoder().encode(query)
            #expect(try JSONDecoder().decode(PetitionAsOf.Query.self, from: bytes) == query)
            #expect(try JSONSerialization.jsonObject(with: bytes) as? [String: String] == ["type": "petition.get", "petitionId": id])
        }
    }

    @Test func theReplyIsThePetitionAsTheLogHadRecordedItByThen() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("as-of-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("events.sqlite").path
        let store = try SQLiteEventStore(path: path)
        let t0 = Timestamp.parse("2026-03-19T08:00:00+07:00")!
        func append(_ stream: StreamName, _ event: DomainEvent, minutes: Double) throws {
            let (type, data) = EventCodec.encode(event)
            let e = NewEvent(id: UUID().uuidString, type: type, occurredAt: t0, data: data, metadata: EventMetadata(actor: "clerk", commandId: UUID().uuidString))
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: stream, expectedVersion: .any, events: [e])]),
                                 recordedAt: t0.addingTimeInterval(minutes * 60))
        }
        try append(StreamName(category: "session", id: "S1"), .session(.opened(.init(sessionId: "S1", unit: "Xã Bình Thành", title: "Đối thoại", chair: "Trần Văn A"))), minutes: 0)
        try append(StreamName(category: "petition", id: "P1"), .petition(.submitted(.init(
            petitionId: "P1", sessionId: "S1", unit: "Xã Bình Thành", kind: .complaint, category: .land, content: "Tranh chấp ranh giới đất",
            citizen: SealedPersonalData(personId: "person-1", sealed: "AAAA")))), minutes: 1)
        try append(StreamName(category: "petition", id: "P1"), .petition(.answered(.init(petitionId: "P1", by: "Trần Văn A", answer: "Đã trả lời"))), minutes: 2)
        try store.close()

        let asOf = Timestamp.millis(t0.addingTimeInterval(90))
        let (position, bytes) = try PetitionAsOf.reply("P1", logPath: path, asOf: asOf, now: t0)
        #expect(position == 2, "the answer was recorded later")
        let reply = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
        #expect(reply["ok"] as? Bool == true, "\(reply)")
        let petition = reply["petition"] as? [String: Any] ?? [:]
        #expect(petition["petitionId"] as? String == "P1" && petition["status"] as? String == "submitted", "\(petition)")

        #expect(throws: AuditError.self) { try PetitionAsOf.reply("P1", logPath: path, asOf: Timestamp.millis(t0) - 1, now: t0) }
        #expect(throws: AuditError.self) { try PetitionAsOf.reply("P9", logPath: path, asOf: asOf, now: t0) }
        #expect(throws: AuditError.self) { try PetitionAsOf.reply("P1", logPath: folder.appendingPathComponent("none.sqlite").path, asOf: asOf, now: t0) }
    }
}
