import EventSourcing
import EventStoreSQLite
import Foundation
import PetitionDomain

extension ReadModelStatements {
    /// An escalation raised an alert: one row, pending until a sink records it. `at` is when the log recorded it.
    func raised(_ x: PetitionEscalated, at: Date, position: Int64) throws {
        try insertAlert.run([
            .text(x.alertId), .text(x.petitionId), .text(x.level.rawValue), .text(x.unit), .text(x.department), .text(x.assignee),
            .text(x.recipient), .text(x.deadline.description), .text(x.due.description), .int(Timestamp.millis(at)), .int(position),
        ])
        try alertState.run([.text(x.alertId)])
    }

    /// A sink delivered the alert, or an attempt failed; `at` is when it happened.
    func record(_ event: AlertEvent, at: Date, position: Int64) throws {
        let millis = RawStatement.Value.int(Timestamp.millis(at))
        let alertId: String
        switch event {
        case .delivered(let d):
            alertId = d.alertId
            try delivered.run([.text(d.alertId), .text(d.sink), .text(d.petitionId), .int(Int64(d.attempts)), millis, .text(d.detail), .int(position)])
        case .deliveryFailed(let f):
            alertId = f.alertId
            try deliveryFailed.run([.text(f.alertId), .text(f.sink), .text(f.petitionId), .int(Int64(f.attempt)), .text(f.reason), millis,
                                    .int(f.permanent ? 1 : 0), .int(position)])
        }
        try alertState.run([.text(alertId)])
    }
}
