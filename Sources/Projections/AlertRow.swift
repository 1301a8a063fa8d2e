import EventStoreSQLite
import PetitionDomain

/// One row of `alerts`: an escalation's alert, folded in memory.
final class AlertRow {
    /// The columns of `alerts`, in row order.
    enum Column: Int, ReadModelColumns {
        case alertId, petitionId, level, unit, department, assignee, recipient, deadline, due, raisedAt, position, state
        /// The department's registry reference (`unit/code`), which a rename follows; null before the registry.
        case departmentRef

        var declaration: String {
            switch self {
            case .alertId: "TEXT PRIMARY KEY"
            case .raisedAt, .position: "INTEGER NOT NULL"
            case .state: "TEXT NOT NULL DEFAULT 'pending'"
            case .departmentRef: "TEXT"
            default: "TEXT NOT NULL"
            }
        }
    }

    static let table = ReadModelTable("alerts", Column.self, indexes: [
        "CREATE INDEX alerts_position ON alerts(position)",
        "CREATE INDEX alerts_unit ON alerts(unit, position)",
        "CREATE INDEX alerts_petition ON alerts(petition_id, position)",
    ])
    static let columns = table.columnNames
    /// Columns in the order of ``Column``; `state` is set from the deliveries when the row is written.
    var values: [RawStatement.Value]

    subscript(_ column: Column) -> RawStatement.Value {
        get { values[column.rawValue] }
        set { values[column.rawValue] = newValue }
    }

    init(values: [RawStatement.Value]) { self.values = values }

    /// The alert an escalation raised; `raisedAt` is when the log recorded it; `departmentRef`, the holding department's.
    init(_ x: PetitionEscalated, raisedAt: Int64, position: Int64, departmentRef: RawStatement.Value) {
        values = [.text(x.alertId), .text(x.petitionId), .text(x.level.rawValue), .text(x.unit), .text(x.department), .text(x.assignee),
                  .text(x.recipient), .text(x.deadline.description), .text(x.due.description), .int(raisedAt), .int(position),
                  .text(AlertStatus.pending.rawValue), departmentRef]
    }
}

/// One row of `alert_deliveries`: what one sink did with one alert, folded in memory.
struct AlertDeliveryRow {
    /// The `alert_deliveries` table, columns in the order of ``values``.
    static let table = ReadModelTable(name: "alert_deliveries", columns: [
        .init(name: "alert_id", declaration: "TEXT NOT NULL"), .init(name: "sink", declaration: "TEXT NOT NULL"),
        .init(name: "petition_id", declaration: "TEXT NOT NULL"), .init(name: "attempts", declaration: "INTEGER NOT NULL"),
        .init(name: "last_error", declaration: "TEXT"), .init(name: "last_failed_at", declaration: "INTEGER"),
        .init(name: "delivered_at", declaration: "INTEGER"), .init(name: "detail", declaration: "TEXT"),
        .init(name: "permanent", declaration: "INTEGER NOT NULL DEFAULT 0"), .init(name: "position", declaration: "INTEGER NOT NULL"),
    ], constraints: ["PRIMARY KEY (alert_id, sink)"])
    static let columns = table.columnNames
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
