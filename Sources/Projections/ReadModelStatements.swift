import EventStoreSQLite
import Foundation

/// The read model's prepared write statements, made on the queue's connection at first use.
final class ReadModelStatements: @unchecked Sendable {
    let insertSession, sessionChair, addPetitionsToSession, loadPetition, savePetition, checkpoint: RawStatement
    let insertSpan, updateSpan, findHolder, insertHolder, countHolder, insertDuration: RawStatement
    let insertAlert, delivered, deliveryFailed, alertState: RawStatement
    /// Chairs of sessions seen, so a petition's chair costs no query.
    var chairs: [String: String] = [:]

    init(_ c: OpaquePointer) throws {
        insertSession = try RawStatement(c, "INSERT OR REPLACE INTO sessions (session_id, unit, title, chair, held_at) VALUES (?, ?, ?, ?, ?)")
        sessionChair = try RawStatement(c, "SELECT chair FROM sessions WHERE session_id = ?")
        addPetitionsToSession = try RawStatement(c, "UPDATE sessions SET petitions = petitions + ? WHERE session_id = ?")
        let columns = PetitionRow.columns.joined(separator: ", ")
        loadPetition = try RawStatement(c, "SELECT \(columns) FROM petitions WHERE petition_id = ?")
        savePetition = try RawStatement(c, "INSERT OR REPLACE INTO petitions (\(columns)) VALUES (\(PetitionRow.columns.map { _ in "?" }.joined(separator: ", ")))")
        checkpoint = try RawStatement(c, "UPDATE checkpoint SET position = ? WHERE name = 'outstanding'")

        let spanColumns = ["petition_id", "seq", "holder_kind", "unit", "department", "holder", "from_at", "from_position", "department_since",
                           "deadline", "accepted_at", "to_at", "to_position", "ended", "on_time", "same_department"]
        precondition(spanColumns.count == CustodyBuffer.Column.allCases.count)
        insertSpan = try RawStatement(c, """
            INSERT OR REPLACE INTO custody (\(spanColumns.joined(separator: ", "))) VALUES (\(spanColumns.map { _ in "?" }.joined(separator: ", ")))
            """)
        updateSpan = try RawStatement(c, """
            UPDATE custody SET deadline = ?, accepted_at = ?, to_at = ?, to_position = ?, ended = ?, on_time = ?, same_department = ?
            WHERE petition_id = ? AND seq = ?
            """)
        findHolder = try RawStatement(c, "SELECT holder_id FROM holders WHERE unit = ? AND department = ? AND assignee = ?")
        insertHolder = try RawStatement(c, "INSERT INTO holders (unit, department, assignee) VALUES (?, ?, ?)")
        countHolder = try RawStatement(c, """
            UPDATE holders SET resolved_on_time = resolved_on_time + ?, resolved_late = resolved_late + ?, handed_over = handed_over + ?
            WHERE holder_id = ?
            """)
        insertDuration = try RawStatement(c, "INSERT INTO durations (holder_id, millis, position) VALUES (?, ?, ?)")

        insertAlert = try RawStatement(c, """
            INSERT OR IGNORE INTO alerts (alert_id, petition_id, level, unit, department, assignee, recipient, deadline, due, raised_at, position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        delivered = try RawStatement(c, """
            INSERT INTO alert_deliveries (alert_id, sink, petition_id, attempts, delivered_at, detail, permanent, position)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)
            ON CONFLICT (alert_id, sink) DO UPDATE SET attempts = MAX(attempts, excluded.attempts), delivered_at = excluded.delivered_at,
                detail = excluded.detail, permanent = 0, position = excluded.position
            """)
        deliveryFailed = try RawStatement(c, """
            INSERT INTO alert_deliveries (alert_id, sink, petition_id, attempts, last_error, last_failed_at, permanent, position)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (alert_id, sink) DO UPDATE SET attempts = MAX(attempts, excluded.attempts), last_error = excluded.last_error,
                last_failed_at = excluded.last_failed_at, permanent = MAX(permanent, excluded.permanent), position = excluded.position
            """)
        // Delivered once any sink has it; failed once every sink refused it for good; pending otherwise.
        alertState = try RawStatement(c, """
            UPDATE alerts SET state = CASE
                WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = ?1 AND d.delivered_at IS NOT NULL) THEN 'delivered'
                WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = ?1)
                 AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = ?1 AND d.permanent = 0) THEN 'failed'
                ELSE 'pending' END
            WHERE alert_id = ?1
            """)
    }

    /// The id of `holder`'s record, made the first time it is seen.
    func holderId(_ holder: HolderLedger.Holder) throws -> Int64 {
        let key: [RawStatement.Value] = [.text(holder.unit), .text(holder.department), .text(holder.assignee)]
        if try findHolder.row(key, columns: 1) == nil { try insertHolder.run(key) }
        guard case .int(let id)? = try findHolder.row(key, columns: 1)?.first else { preconditionFailure("holder \(holder) was just written") }
        return id
    }
}
