import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Projections
import Testing

/// Who held what and how they did, folded from real events into a scratch read model.
struct ResponsibilityReadModelTests {
    static let land = "Phòng Tài nguyên và Môi trường"
    static let works = "Phòng Kinh tế - Hạ tầng"
    static let now = TestLog.time("2026-04-10T12:00:00+07:00")

    static func model(_ log: TestLog) throws -> OutstandingReadModel {
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(try log.events())
        return model
    }

    static func official(_ report: ResponsibilityReport, _ department: String, _ assignee: String) -> HolderRecord? {
        report.officials.first { $0.department == department && $0.assignee == assignee }
    }

    static func department(_ report: ResponsibilityReport, _ department: String) -> HolderRecord? {
        report.departments.first { $0.department == department }
    }

    @Test("a reassignment hands the petition over: the new official holds and closes it, the old one neither holds nor closed it")
    func reassignmentHandsOver() throws {
        let log = try TestLog()
        try log.session()
        try log.submit("P1")
        try log.refer("P1", to: Self.land, "Lê Văn C", deadline: "2026-04-18", at: "2026-03-19T10:00:00+07:00")
        try log.reassign("P1", to: Self.works, "Phạm Văn D", at: "2026-03-25T10:00:00+07:00")
        try log.resolve("P1", at: "2026-04-01T10:00:00+07:00")
        // Within one department: the department keeps it, and counts its days from the referral.
        try log.submit("P2", at: "2026-03-19T09:05:00+07:00")
        try log.refer("P2", to: Self.land, "Lê Văn C", deadline: "2026-04-18", at: "2026-03-20T10:00:00+07:00")
        try log.reassign("P2", to: Self.land, "Nguyễn Thị E", at: "2026-03-22T10:00:00+07:00")
        try log.resolve("P2", at: "2026-03-30T10:00:00+07:00")
        let model = try Self.model(log)
        let report = try model.responsibility(ResponsibilityQuery(), now: Self.now)

        #expect(report.officials.map { $0.assignee ?? "" } == ["Phạm Văn D", "Lê Văn C", "Nguyễn Thị E"])
        let first = try #require(Self.official(report, Self.land, "Lê Văn C"))
        #expect(first.holding == 0 && first.resolvedOnTime == 0 && first.resolvedLate == 0 && first.handedOver == 2)
        #expect(first.medianDaysToResolve == nil && first.onTimeRate == nil && first.heldSince == nil)
        let next = try #require(Self.official(report, Self.works, "Phạm Văn D"))
        #expect(next.resolvedOnTime == 1 && next.medianDaysToResolve == 7 && next.p90DaysToResolve == 7 && next.onTimeRate == 1)
        #expect(Self.official(report, Self.land, "Nguyễn Thị E")?.medianDaysToResolve == 8)

        let land = try #require(Self.department(report, Self.land))
        #expect(land.handedOver == 1, "only the hand-over to another department leaves the department")
        #expect(land.resolvedOnTime == 1 && land.medianDaysToResolve == 10)
        #expect(Self.department(report, Self.works)?.medianDaysToResolve == 7)

        let chain = try model.custody(of: "P1", now: Self.now)
        #expect(chain.map(\.holderKind) == [.chair, .department, .department])
        #expect(chain.map(\.holder) == [TestLog.chair, "Lê Văn C", "Phạm Văn D"])
        #expect(chain.map(\.ended) == [.referred, .reassigned, .resolved])
        #expect(chain.map(\.from) == ["2026-03-19T02:00:00.000Z", "2026-03-19T03:00:00.000Z", "2026-03-25T03:00:00.000Z"])
        #expect(chain.map(\.to) == ["2026-03-19T03:00:00.000Z", "2026-03-25T03:00:00.000Z", "2026-04-01T03:00:00.000Z"])
        #expect(chain.map(\.onTime) == [nil, nil, true])
        #expect(chain.map(\.days) == [0.04, 6, 7])
        #expect(chain[0].department == nil && chain[0].deadline == nil && chain[2].deadline == "2026-04-18")
    }

    @Test("a resolution is on time through the deadline day in Asia/Ho_Chi_Minh: 16:59:59 UTC is on time, 17:00 UTC is late")
    func deadlineDayEndsAtFivePmUTC() throws {
        let log = try TestLog()
        try log.session()
        for id in ["P1", "P2"] {
            try log.submit(id)
            try log.refer(id, to: Self.land, "Lê Văn C", deadline: "2026-04-18", at: "2026-03-19T10:00:00+07:00")
        }
        try log.resolve("P1", at: "2026-04-18T16:59:59Z")
        try log.resolve("P2", at: "2026-04-18T17:00:00Z")
        let model = try Self.model(log)
        #expect(try model.custody(of: "P1", now: Self.now).last?.onTime == true)
        #expect(try model.custody(of: "P2", now: Self.now).last?.onTime == false)
        let official = try #require(Self.official(try model.responsibility(ResponsibilityQuery(), now: Self.now), Self.land, "Lê Văn C"))
        #expect(official.resolvedOnTime == 1 && official.resolvedLate == 1 && official.onTimeRate == 0.5)
    }

    @Test("an extension moves the deadline: resolved after the original deadline but by the extended one is on time")
    func extensionMovesTheDeadline() throws {
        let log = try TestLog()
        try log.session()
        for id in ["P1", "P2"] {
            try log.submit(id)
            try log.refer(id, to: Self.land, "Lê Văn C", deadline: "2026-04-18", at: "2026-03-19T10:00:00+07:00")
        }
        try log.extend("P1", to: "2026-05-18", at: "2026-04-15T10:00:00+07:00")
        let model = try Self.model(log)
        let lateApril = TestLog.time("2026-04-25T10:00:00+07:00")
        let before = try #require(Self.official(try model.responsibility(ResponsibilityQuery(), now: lateApril), Self.land, "Lê Văn C"))
        #expect(before.holding == 2 && before.overdue == 1, "only the petition that was not extended is overdue")
        #expect(try model.custody(of: "P1", now: lateApril).last?.overdue == false)

        try log.resolve("P1", at: "2026-05-01T10:00:00+07:00")
        try log.resolve("P2", at: "2026-05-01T10:00:00+07:00")
        try model.apply(try log.events())
        let span = try #require(try model.custody(of: "P1", now: Self.now).last)
        #expect(span.deadline == "2026-05-18" && span.onTime == true)
        #expect(try model.custody(of: "P2", now: Self.now).last?.onTime == false)
    }

    @Test("the on-time rate counts held overdue petitions against the holder, and is null with nothing to judge")
    func onTimeRateCountsOpenOverdue() throws {
        let log = try TestLog()
        try log.session()
        let plan: [(String, String, String)] = [("P1", "2026-03-25", "2026-03-24T10:00:00+07:00"), ("P2", "2026-03-25", "2026-03-27T10:00:00+07:00"),
                                                ("P3", "2026-04-01", ""), ("P4", "2026-04-09", ""), ("P5", "2026-04-10", "")]
        for (i, (id, deadline, resolved)) in plan.enumerated() {
            try log.submit(id)
            try log.refer(id, to: Self.land, "Lê Văn C", deadline: deadline, at: "2026-03-2\(i)T10:00:00+07:00")
            if !resolved.isEmpty { try log.resolve(id, at: resolved) }
        }
        try log.submit("P6")
        try log.refer("P6", to: Self.works, "Phạm Văn D", deadline: "2026-05-01", at: "2026-03-19T10:00:00+07:00")
        let report = try Self.model(log).responsibility(ResponsibilityQuery(), now: Self.now)

        let official = try #require(Self.official(report, Self.land, "Lê Văn C"))
        #expect(official.holding == 3)
        #expect(official.overdue == 2, "due on 1 and 9 April; due today (10 April) is not overdue yet")
        #expect(official.heldSince == "2026-03-22T03:00:00.000Z")
        #expect(official.resolvedOnTime == 1 && official.resolvedLate == 1)
        #expect(official.onTimeRate == 0.25, "1 on time ÷ (2 closed + 2 open overdue)")
        let other = try #require(Self.official(report, Self.works, "Phạm Văn D"))
        #expect(other.holding == 1 && other.overdue == 0 && other.onTimeRate == nil)
        #expect(Self.department(report, Self.land)?.onTimeRate == 0.25)

        let onlyWorks = try Self.model(log).responsibility(ResponsibilityQuery(unit: TestLog.unit, department: Self.works), now: Self.now)
        #expect(onlyWorks.departments.map(\.department) == [Self.works] && onlyWorks.officials.count == 1)
        #expect(try Self.model(log).responsibility(ResponsibilityQuery(unit: "Phường 4"), now: Self.now).departments.isEmpty)
    }

    @Test("median and 90th percentile of days to resolve are exact over a known set")
    func percentilesAreExact() throws {
        let log = try TestLog()
        try log.session()
        // Lê Văn C takes 1, 2, … 10 days; Phạm Văn D takes 2, 4 and 9.
        for day in 1...10 {
            try log.submit("C\(day)")
            try log.refer("C\(day)", to: Self.land, "Lê Văn C", deadline: "2026-12-31", at: "2026-03-01T10:00:00+07:00")
            try log.resolve("C\(day)", at: Timestamp.format(TestLog.time("2026-03-01T10:00:00+07:00").addingTimeInterval(Double(day) * 86_400)))
        }
        for (i, days) in [9, 2, 4].enumerated() {
            try log.submit("D\(i)")
            try log.refer("D\(i)", to: Self.works, "Phạm Văn D", deadline: "2026-12-31", at: "2026-03-01T08:00:00+07:00")
            try log.resolve("D\(i)", at: Timestamp.format(TestLog.time("2026-03-01T08:00:00+07:00").addingTimeInterval(Double(days) * 86_400)))
        }
        let report = try Self.model(log).responsibility(ResponsibilityQuery(), now: Self.now)
        let c = try #require(Self.official(report, Self.land, "Lê Văn C"))
        #expect(c.medianDaysToResolve == 5.5 && c.p90DaysToResolve == 9.1)
        let d = try #require(Self.official(report, Self.works, "Phạm Văn D"))
        #expect(d.medianDaysToResolve == 4 && d.p90DaysToResolve == 8)
        #expect(c.resolvedOnTime == 10 && c.onTimeRate == 1)
    }

    @Test("a petition withdrawn or merged while held is no longer held, and not counted as resolved")
    func withdrawnAndMergedAreNotResolved() throws {
        let log = try TestLog()
        try log.session()
        for id in ["P1", "P2", "P3"] {
            try log.submit(id)
            try log.refer(id, to: Self.land, "Lê Văn C", deadline: "2026-04-01", at: "2026-03-19T10:00:00+07:00")
        }
        try log.withdraw("P1", at: "2026-03-20T10:00:00+07:00")
        try log.merge("P2", into: "P3", at: "2026-03-21T10:00:00+07:00")
        try log.submit("P4")
        try log.withdraw("P4", at: "2026-03-20T10:00:00+07:00")
        let model = try Self.model(log)
        let official = try #require(Self.official(try model.responsibility(ResponsibilityQuery(), now: Self.now), Self.land, "Lê Văn C"))
        #expect(official.holding == 1 && official.overdue == 1, "only P3 is held, and past 1 April")
        #expect(official.resolvedOnTime == 0 && official.resolvedLate == 0 && official.medianDaysToResolve == nil)
        #expect(official.onTimeRate == 0, "0 on time ÷ 1 open overdue")
        #expect(try model.custody(of: "P1", now: Self.now).last?.ended == .withdrawn)
        #expect(try model.custody(of: "P2", now: Self.now).last?.ended == .merged)
        let p4 = try model.custody(of: "P4", now: Self.now)
        #expect(p4.map(\.holderKind) == [.chair] && p4.map(\.ended) == [.withdrawn])
    }

    @Test("the chair holds a petition while it waits, and again once it is reopened or the citizen rejects the answer")
    func theChairHoldsWhatWaits() throws {
        let log = try TestLog()
        try log.session()
        try log.submit("P1")
        try log.answer("P1", at: "2026-03-19T09:30:00+07:00")
        try log.reopen("P1", at: "2026-03-20T09:00:00+07:00")
        try log.refer("P1", to: Self.land, "Lê Văn C", deadline: "2026-04-18", at: "2026-03-21T09:00:00+07:00")
        try log.resolve("P1", at: "2026-03-22T09:00:00+07:00")
        try log.submit("P2")
        try log.answer("P2", at: "2026-03-19T09:40:00+07:00")
        try log.append(.petition(.feedback(PetitionFeedback(petitionId: "P2", on: .answer, satisfied: false, comment: "", by: "clerk"))),
                       at: "2026-03-19T09:50:00+07:00")
        let model = try Self.model(log)
        let p1 = try model.custody(of: "P1", now: Self.now)
        #expect(p1.map(\.holderKind) == [.chair, .chair, .department])
        #expect(p1.map(\.ended) == [.answered, .referred, .resolved])
        #expect(p1[1].from == "2026-03-20T02:00:00.000Z")
        let p2 = try model.custody(of: "P2", now: Self.now)
        #expect(p2.map(\.ended) == [.answered, nil])
        #expect(p2.last?.holder == TestLog.chair && p2.last?.to == nil)
        #expect(try model.custody(of: "P9", now: Self.now).isEmpty)
    }
}
