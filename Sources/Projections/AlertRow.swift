import EventStoreSQLite
import PetitionDomain

/// One row of `alerts`: an escalation's alert, folded in memory.
final class AlertRow {
    static let columns = ["alert_id", "petition_id", "level", "unit", "department", "assignee", "recipient", "deadline", "due",
                          "raised_at", "position", "state"]
    /// Columns in the order of ``columns``; `state` is set from the deliveries when the row is written.
    var values: [RawStatement.Value]

    init(values: [RawStatement.Value]) { self.values = values }

    /// The alert an escalation raised; `raisedAt` is when the log recorded it.
    init(_ x: PetitionEscalated, raisedAt: Int64, position: Int64) {
        values = [.text(x.alertId), .text(x.petitionId), .text(x.level.rawValue), .text(x.unit), .text(x.department), .text(x.assignee),
                  .text(x.recipient), .text(x.deadline.description), .text(x.due.description), .int(raisedAt), .int(position),
                  .text(AlertStatus.pending.rawValue)]
    }
}

/// One row of `alert_deliveries`: what one sink did with one alert, folded in memory.
struct AlertDeliveryRow {
    static let columns = ["alert_id", "sink", "petition_id", "attempts", "last_error", "last_failed_at", "delivered_at", "detail",
                          "permanent", "position"]
    var alertId: String
    var sink: String
    var petitionId: String
    var attempts: Int64
    var lastError: String?
    var lastFailedAt: Int64?
    var deliveredAt: Int64?
    var detail: String?
    var permanent: Bool
    var position: Int64

    init(alertId: String, sink: String, petitionId: String, attempts: Int64, position: Int64) {
        self.alertId = alertId
        self.sink = sink
        self.petitionId = petitionId
        self.attempts = attempts
        permanent = false
        self.position = position
    }

    /// A row as stored, columns in the order of ``columns``.
    init?(values v: [RawStatement.Value]) {
        guard v.count == Self.columns.count, let alertId = v[0].textValue, let sink = v[1].textValue, let petitionId = v[2].textValue,
              case .int(let attempts) = v[3], case .int(let permanent) = v[8], case .int(let position) = v[9] else { return nil }
        self.init(alertId: alertId, sink: sink, petitionId: petitionId, attempts: attempts, position: position)
        lastError = v[4].textValue
        if case .int(let t) = v[5] { lastFailedAt = t }
        if case .int(let t) = v[6] { deliveredAt = t }
        detail = v[7].textValue
        self.permanent = permanent != 0
    }

    var values: [RawStatement.Value] {
        [.text(alertId), .text(sink), .text(petitionId), .int(attempts), lastError.map { .text($0) } ?? .null,
         lastFailedAt.map { .int($0) } ?? .null, deliveredAt.map { .int($0) } ?? .null, detail.map { .text($0) } ?? .null,
         .int(permanent ? 1 : 0), .int(position)]
    }

    /// Where an alert stands given every sink's record: delivered once any sink has it; failed once every sink
    /// that tried refused it for good; pending otherwise.
    static func state(of deliveries: [AlertDeliveryRow]) -> AlertStatus {
        if deliveries.contains(where: { $0.deliveredAt != nil }) { return .delivered }
        if !deliveries.isEmpty && deliveries.allSatisfy(\.permanent) { return .failed }
        return .pending
    }
}
