import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Projections
import Testing

/// The read model gives the same views however the log is cut into batches, and never applies an event twice.
struct OutstandingReadModelTests {
    static let t0 = Timestamp.parse("2026-03-19T08:00:00+07:00")!

    /// A small log: one session, three petitions (one answered, one referred then resolved, one referred and overdue).
    static func log() throws -> [WireEvent] {
        let store = InMemoryEventStore()
        var position: Int64 = 0
        func append(_ stream: StreamName, _ event: DomainEvent, minutes: Double) throws {
            let (type, data) = EventCodec.encode(event)
            let e = NewEvent(id: "e\(position)", type: type, occurredAt: t0.addingTimeInterval(minutes * 60), data: data,
                             metadata: EventMetadata(actor: "clerk", commandId: "c\(position)"))
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: stream, expectedVersion: .any, events: [e])]), recordedAt: t0)
            position += 1
        }
        let citizen = SealedPersonalData(personId: "person-1", sealed: "AAAA")
        try append(StreamName(category: "session", id: "S1"), .session(.opened(.init(sessionId: "S1", unit: "Xã Bình Thành", title: "Đối thoại", chair: "Trần Văn A"))), minutes: 0)
        for (i, category) in [PetitionCategory.land, .environment, .transport].enumerated() {
            try append(StreamName(category: "petition", id: "P\(i)"), .petition(.submitted(.init(
                petitionId: "P\(i)", sessionId: "S1", unit: "Xã Bình Thành", kind: .recommendation, category: category,
                content: "Nội dung \(i)", citizen: citizen))), minutes: Double(i + 1))
        }
        try append(StreamName(category: "petition", id: "P0"), .petition(.answered(.init(petitionId: "P0", by: "Trần Văn A", answer: "Đã trả lời"))), minutes: 10)
        try append(StreamName(category: "petition", id: "P1"), .petition(.referred(.init(petitionId: "P1", department: "Phòng TN-MT", assignee: "Lê Văn C", by: "Trần Văn A", deadline: LocalDate("2026-04-18")!))), minutes: 20)
        try append(StreamName(category: "petition", id: "P2"), .petition(.referred(.init(petitionId: "P2", department: "Phòng KT-HT", assignee: "Phạm Văn D", by: "Trần Văn A", deadline: LocalDate("2026-04-03")!))), minutes: 30)
        try append(StreamName(category: "petition", id: "P1"), .petition(.resolved(.init(petitionId: "P1", by: "Lê Văn C", resolution: "Đã cấp"))), minutes: 40)
        return try store.read(from: 1, limit: 100).map(WireEvent.init)
    }

    static func views(_ model: OutstandingReadModel) throws -> [PetitionView] {
        let now = Timestamp.parse("2026-04-10T12:00:00+07:00")!
        return try ["P0", "P1", "P2"].compactMap { try model.petition($0, now: now) }
    }

    @Test("applying the log in one batch, one event at a time, or in uneven batches gives the same rows")
    func batchingDoesNotChangeTheViews() throws {
        let events = try Self.log()
        let whole = try OutstandingReadModel(path: ":memory:")
        try whole.apply(events)
        let single = try OutstandingReadModel(path: ":memory:")
        for e in events { try single.apply([e]) }
        let uneven = try OutstandingReadModel(path: ":memory:")
        try uneven.apply(Array(events[0..<3]))
        try uneven.apply(Array(events[3..<6]))
        try uneven.apply(Array(events[6...]))

        let expected = try Self.views(whole)
        #expect(expected.map(\.status) == ["answered", "resolved", "referred"])
        #expect(expected[2].overdue && expected[2].daysOverdue == 7)
        #expect(expected[2].holder == "Phạm Văn D")
        #expect(try Self.views(single) == expected)
        #expect(try Self.views(uneven) == expected)
        #expect(try whole.checkpoint() == Int64(events.count))
    }

    @Test("events at or before the checkpoint are skipped, and a gap is refused with nothing applied")
    func replayedEventsAreSkippedAndGapsRefused() throws {
        let events = try Self.log()
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(Array(events[0..<5]))
        try model.apply(Array(events[0..<5]))
        #expect(try model.checkpoint() == 5)
        #expect(throws: ProjectionGap.self) { try model.apply([events[6]]) }
        #expect(try model.checkpoint() == 5)
        let now = Timestamp.parse("2026-04-10T12:00:00+07:00")!
        #expect(try model.outstanding(OutstandingFilter(), now: now, limit: 10).items.map(\.petitionId) == ["P1", "P2"])
        let cut = try model.outstanding(OutstandingFilter(), now: now, limit: 1)
        #expect(cut.items.map(\.petitionId) == ["P1"])
        #expect(cut.total == 2)
    }

    @Test("a reopened petition listed with its department is found by that department's filter")
    func departmentFilterFindsReopenedPetitions() throws {
        let log = try TestLog()
        try log.session()
        try log.submit("P1")
        try log.refer("P1", to: "Phòng TN-MT", "Lê Văn C", deadline: "2026-04-18", at: "2026-03-19T10:00:00+07:00")
        try log.resolve("P1", at: "2026-03-25T10:00:00+07:00")
        try log.reopen("P1", at: "2026-03-26T10:00:00+07:00")
        try log.submit("P2", at: "2026-03-19T09:30:00+07:00")
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(log.events())
        let now = Timestamp.parse("2026-04-10T12:00:00+07:00")!
        let all = try model.outstanding(OutstandingFilter(), now: now, limit: 10).items
        let listed = all.first { $0.petitionId == "P1" }
        #expect(listed?.status == "reopened")
        #expect(listed?.department == "Phòng TN-MT")
        let filtered = try model.outstanding(OutstandingFilter(department: "Phòng TN-MT"), now: now, limit: 10)
        #expect(filtered.items.map(\.petitionId) == ["P1"])
        #expect(filtered.total == 1)
        #expect(try model.outstanding(OutstandingFilter(department: "Phòng KT-HT"), now: now, limit: 10).total == 0)
    }

    @Test("a merge target's lastPosition is the duplicate-merged event in its own stream")
    func mergeTargetLastPositionCountsTheDuplicateMergedEvent() throws {
        let log = try TestLog()
        try log.session()
        try log.submit("P1")
        try log.submit("P2", at: "2026-03-19T09:30:00+07:00")
        try log.merge("P2", into: "P1", at: "2026-03-19T11:00:00+07:00")
        try log.append(.petition(.duplicateMerged(PetitionDuplicateMerged(
            petitionId: "P1", duplicateId: "P2", citizen: SealedPersonalData(personId: "person-P2", sealed: "AAAA"), by: TestLog.chair))),
            at: "2026-03-19T11:00:00+07:00")
        let events = try log.events()
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(events)
        let now = Timestamp.parse("2026-04-10T12:00:00+07:00")!
        #expect(try model.petition("P1", now: now)?.lastPosition == events.last!.position)
        #expect(try model.petition("P2", now: now)?.lastPosition == events.last!.position - 1)
    }
}
