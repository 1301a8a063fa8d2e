import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Projections
import Testing

/// Alerts raised by escalations, and where each sink's delivery stands.
struct AlertsReadModelTests {
    static let land = "Phòng Tài nguyên và Môi trường"

    /// P1 referred and escalated three times (warning: nothing recorded yet; overdue: delivered by webhook on the
    /// second attempt, refused by e-mail for good; escalated: refused by the webhook for good); P2 warned, webhook retrying.
    static func log(path: String? = nil) throws -> (log: TestLog, ids: [String]) {
        let log = try TestLog(path: path)
        try log.session()
        try log.submit("P1")
        try log.refer("P1", to: land, "Lê Văn C", deadline: "2026-04-18", at: "2026-03-19T10:00:00+07:00")
        try log.submit("P2", at: "2026-03-19T09:10:00+07:00")
        try log.refer("P2", to: land, "Lê Văn C", deadline: "2026-04-20", at: "2026-03-19T10:00:00+07:00")
        let warning = try log.escalate("P1", .warning, due: "2026-04-15", at: "2026-04-15T07:00:00+07:00", recordedAt: "2026-04-15T07:00:05+07:00")
        let overdue = try log.escalate("P1", .overdue, due: "2026-04-19", at: "2026-04-19T07:00:00+07:00")
        func record(_ event: AlertEvent, at: String) throws { try log.append(.alert(event), at: at) }
        try record(.deliveryFailed(AlertDeliveryFailed(alertId: overdue, petitionId: "P1", sink: "webhook", attempt: 1, reason: "HTTP 503", permanent: false)),
                   at: "2026-04-19T07:01:00+07:00")
        try record(.deliveryFailed(AlertDeliveryFailed(alertId: overdue, petitionId: "P1", sink: "email", attempt: 1, reason: "550 mailbox unavailable", permanent: true)),
                   at: "2026-04-19T07:02:00+07:00")
        try record(.delivered(AlertDelivered(alertId: overdue, petitionId: "P1", sink: "webhook", attempts: 2, detail: "HTTP 204")),
                   at: "2026-04-19T07:06:00+07:00")
        let escalated = try log.escalate("P1", .escalated, due: "2026-04-26", at: "2026-04-26T07:00:00+07:00")
        try record(.deliveryFailed(AlertDeliveryFailed(alertId: escalated, petitionId: "P1", sink: "webhook", attempt: 1, reason: "HTTP 410", permanent: true)),
                   at: "2026-04-26T07:01:00+07:00")
        let other = try log.escalate("P2", .warning, due: "2026-04-17", at: "2026-04-17T07:00:00+07:00")
        try record(.deliveryFailed(AlertDeliveryFailed(alertId: other, petitionId: "P2", sink: "webhook", attempt: 3, reason: "timed out", permanent: false)),
                   at: "2026-04-27T07:01:00+07:00")
        return (log, [warning, overdue, escalated, other])
    }

    @Test("an alert is pending until a sink delivers it, delivered once any sink has, failed once every sink refused it for good")
    func deliveryStates() throws {
        let (log, ids) = try Self.log()
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(try log.events())
        let all = try model.alerts(AlertsQuery())
        #expect(all.total == 4)
        #expect(all.items.map(\.alertId) == [ids[3], ids[2], ids[1], ids[0]], "newest escalation first")
        let byId = Dictionary(uniqueKeysWithValues: all.items.map { ($0.alertId, $0) })

        let warning = try #require(byId[ids[0]])
        #expect(warning.alertId == "P1.warning.2026-04-18")
        #expect(warning.state == .pending && warning.deliveries.isEmpty)
        #expect(warning.raisedAt == "2026-04-15T00:00:05.000Z", "when the log recorded the escalation")
        #expect(warning.recipient == "Lê Văn C" && warning.due == "2026-04-15" && warning.deadline == "2026-04-18" && warning.unit == TestLog.unit)

        let overdue = try #require(byId[ids[1]])
        #expect(overdue.state == .delivered)
        #expect(overdue.deliveries.map(\.sink) == ["email", "webhook"])
        #expect(overdue.deliveries.map(\.state) == [.failed, .delivered])
        let webhook = overdue.deliveries[1]
        #expect(webhook.attempts == 2 && webhook.detail == "HTTP 204" && webhook.deliveredAt == "2026-04-19T00:06:00.000Z")
        #expect(webhook.lastError == "HTTP 503" && webhook.permanent == false)
        let email = overdue.deliveries[0]
        #expect(email.permanent && email.lastError == "550 mailbox unavailable" && email.deliveredAt == nil && email.attempts == 1)

        #expect(byId[ids[2]]?.state == .failed)
        let retrying = try #require(byId[ids[3]])
        #expect(retrying.state == .pending && retrying.deliveries.map(\.state) == [.retrying] && retrying.deliveries.first?.attempts == 3)
    }

    @Test("alerts can be chosen by state, petition, unit and level, and cut by a limit that keeps the total")
    func filters() throws {
        let (log, ids) = try Self.log()
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(try log.events())
        #expect(try model.alerts(AlertsQuery(state: .pending)).items.map(\.alertId) == [ids[3], ids[0]])
        #expect(try model.alerts(AlertsQuery(state: .failed)).items.map(\.alertId) == [ids[2]])
        #expect(try model.alerts(AlertsQuery(petitionId: "P2")).items.map(\.alertId) == [ids[3]])
        #expect(try model.alerts(AlertsQuery(level: .overdue)).items.map(\.alertId) == [ids[1]])
        #expect(try model.alerts(AlertsQuery(unit: "Phường 4")).total == 0)
        let cut = try model.alerts(AlertsQuery(unit: TestLog.unit, limit: 1))
        #expect(cut.items.map(\.alertId) == [ids[3]] && cut.total == 4)
    }

    @Test("the JSON of an alert names every field, with null where there is no value")
    func encodesNulls() throws {
        let (log, ids) = try Self.log()
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(try log.events())
        let overdue = try #require(try model.alerts(AlertsQuery(level: .overdue)).items.first)
        #expect(overdue.alertId == ids[1])
        let text = Wire.text(overdue.deliveries[0])
        #expect(text == #"{"attempts":1,"deliveredAt":null,"detail":null,"lastError":"550 mailbox unavailable","lastFailedAt":"2026-04-19T00:02:00.000Z","permanent":true,"sink":"email","state":"failed"}"#)
    }
}
