import EventSourcing
import Foundation
import GRDB
import Messaging
import PetitionDomain
import Projections
import Testing

/// Every table of the read model comes out the same however the log is cut into batches.
struct ReadModelBatchingTests {
    /// A log with every kind of hand-off: referral, reassignment in and out of a department, extension,
    /// resolution, reopening, withdrawal, merging, escalations and deliveries.
    static func log(path: String? = nil) throws -> [WireEvent] {
        let (log, _) = try AlertsReadModelTests.log(path: path)
        let land = AlertsReadModelTests.land
        try log.reassign("P1", to: "Phòng Kinh tế - Hạ tầng", "Phạm Văn D", at: "2026-04-27T09:00:00+07:00")
        try log.reassign("P2", to: land, "Nguyễn Thị E", at: "2026-04-27T09:30:00+07:00")
        try log.extend("P2", to: "2026-05-20", at: "2026-04-27T10:00:00+07:00")
        try log.append(.petition(.accepted(PetitionAccepted(petitionId: "P2", department: land, by: "Nguyễn Thị E"))), at: "2026-04-27T11:00:00+07:00")
        try log.resolve("P1", at: "2026-04-28T09:00:00+07:00")
        try log.reopen("P1", at: "2026-04-29T09:00:00+07:00")
        try log.refer("P1", to: land, "Lê Văn C", deadline: "2026-05-30", at: "2026-04-30T09:00:00+07:00")
        try log.submit("P3", at: "2026-04-30T10:00:00+07:00")
        try log.withdraw("P3", at: "2026-04-30T11:00:00+07:00")
        try log.submit("P4", at: "2026-04-30T10:00:00+07:00")
        try log.merge("P4", into: "P2", at: "2026-04-30T12:00:00+07:00")
        try log.resolve("P2", at: "2026-05-02T09:00:00+07:00")
        return try log.events()
    }

    /// Every row of every table, as text, in key order.
    static func dump(_ model: OutstandingReadModel) throws -> [String] {
        try model.queue.read { db in
            try ["checkpoint", "sessions", "session_tallies", "petitions", "custody", "holders", "durations", "alerts", "alert_deliveries"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table): \($0)" }
            }
        }
    }

    @Test("applying the log in one batch, one event at a time, or in uneven batches gives identical rows in every table")
    func batchingDoesNotChangeAnyTable() throws {
        let events = try Self.log()
        let whole = try OutstandingReadModel(path: ":memory:")
        try whole.apply(events)
        let single = try OutstandingReadModel(path: ":memory:")
        for e in events { try single.apply([e]) }
        let uneven = try OutstandingReadModel(path: ":memory:")
        var start = 0
        for size in [3, 1, 7, 2, 5, 11, 4] where start < events.count {
            try uneven.apply(Array(events[start..<min(events.count, start + size)]))
            start += size
        }
        if start < events.count { try uneven.apply(Array(events[start...])) }

        let expected = try Self.dump(whole)
        #expect(expected.filter { $0.hasPrefix("custody:") }.count == 10)
        #expect(expected.filter { $0.hasPrefix("alert_deliveries:") }.count == 4)
        #expect(expected.filter { $0.hasPrefix("holders:") }.count == 5, "2 departments and 3 officials")
        #expect(expected.filter { $0.hasPrefix("durations:") }.count == 4, "2 resolutions, each for an official and a department")
        #expect(try Self.dump(single) == expected)
        #expect(try Self.dump(uneven) == expected)
        #expect(try whole.checkpoint() == Int64(events.count))
    }
}
