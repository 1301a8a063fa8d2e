import EventStoreSQLite
import Foundation

/// The read model's prepared statements on the projector's connection: they load the rows a batch touches
/// (``ProjectionSource``) and write the batch back.
final class ReadModelStatements: ProjectionSource, @unchecked Sendable {
    let loadPetition, savePetition, loadSession, saveSession, addTally, checkpoint: RawStatement
    let insertSpan, updateSpan, findHolder, insertHolder, countHolder, insertDuration: RawStatement
    let loadAlert, saveAlert, loadDeliveries, saveDelivery: RawStatement
    /// Renames a department (name, reference) in each table that names holders.
    let renameDepartment: [RawStatement]

    init(_ c: OpaquePointer) throws {
        loadPetition = try RawStatement(c, PetitionRow.table.select(where: "petition_id = ?"))
        savePetition = try RawStatement(c, PetitionRow.table.replaceSQL)
        loadSession = try RawStatement(c, SessionRow.table.select(where: "session_id = ?"))
        saveSession = try RawStatement(c, SessionRow.table.replaceSQL)
        addTally = try RawStatement(c, """
            INSERT INTO session_tallies (session_id, dimension, value, petitions) VALUES (?, ?, ?, ?)
            ON CONFLICT (session_id, dimension, value) DO UPDATE SET petitions = petitions + excluded.petitions
            """)
        checkpoint = try RawStatement(c, "UPDATE checkpoint SET position = ? WHERE name = 'outstanding'")

        insertSpan = try RawStatement(c, CustodyBuffer.table.replaceSQL)
        updateSpan = try RawStatement(c, """
            UPDATE custody SET deadline = ?, accepted_at = ?, to_at = ?, to_position = ?, ended = ?, on_time = ?, same_department = ?
            WHERE petition_id = ? AND seq = ?
            """)
        // A registered department is found by its reference whatever it was called; one without, by its name.
        findHolder = try RawStatement(c, """
            SELECT holder_id FROM holders WHERE unit = ?1 AND department_ref = ?2 AND (?2 <> '' OR department = ?3) AND assignee = ?4
            """)
        insertHolder = try RawStatement(c, "INSERT INTO holders (unit, department_ref, department, assignee) VALUES (?, ?, ?, ?)")
        countHolder = try RawStatement(c, """
            UPDATE holders SET resolved_on_time = resolved_on_time + ?, resolved_late = resolved_late + ?, handed_over = handed_over + ?
            WHERE holder_id = ?
            """)
        insertDuration = try RawStatement(c, "INSERT INTO durations (holder_id, millis, position) VALUES (?, ?, ?)")
        renameDepartment = try ["petitions", "custody", "holders", "alerts"].map {
            try RawStatement(c, "UPDATE \($0) SET department = ? WHERE department_ref = ?")
        }

        loadAlert = try RawStatement(c, AlertRow.table.select(where: "alert_id = ?"))
        saveAlert = try RawStatement(c, AlertRow.table.replaceSQL)
        loadDeliveries = try RawStatement(c, AlertDeliveryRow.table.select(where: "alert_id = ? ORDER BY sink"))
        saveDelivery = try RawStatement(c, AlertDeliveryRow.table.replaceSQL)
    }

    /// The id of `holder`'s record, made the first time it is seen.
    func holderId(_ holder: HolderLedger.Holder) throws -> Int64 {
        let key: [RawStatement.Value] = [.text(holder.unit), .text(holder.departmentRef), .text(holder.department), .text(holder.assignee)]
        if try findHolder.row(key, columns: 1) == nil { try insertHolder.run(key) }
        guard case .int(let id)? = try findHolder.row(key, columns: 1)?.first else { preconditionFailure("holder \(holder) was just written") }
        return id
    }

    // MARK: ProjectionSource

    func petition(_ id: String) throws -> PetitionRow? {
        try loadPetition.row([.text(id)], columns: Int32(PetitionRow.columns.count)).map(PetitionRow.init(values:))
    }

    func session(_ id: String) throws -> SessionRow? {
        try loadSession.row([.text(id)], columns: Int32(SessionRow.columns.count)).flatMap(SessionRow.init(values:))
    }

    func alert(_ id: String) throws -> AlertRow? {
        try loadAlert.row([.text(id)], columns: Int32(AlertRow.columns.count)).map(AlertRow.init(values:))
    }

    func deliveries(of alertId: String) throws -> [AlertDeliveryRow] {
        try loadDeliveries.rows([.text(alertId)], columns: Int32(AlertDeliveryRow.columns.count)).compactMap(AlertDeliveryRow.init(values:))
    }

    // MARK: Writing a batch

    /// Writes every row the batch touched, once, and its position as the checkpoint.
    func write(_ batch: ProjectionBatch) throws {
        for id in batch.petitionOrder { try savePetition.run(batch.petitions[id]!.values) }
        try batch.custody.write(with: self)
        for session in batch.sessions.values { try saveSession.run(session.values) }
        for (key, count) in batch.tallies { try addTally.run([.text(key.sessionId), .text(key.dimension), .text(key.value), .int(count)]) }
        for (_, alert) in batch.settledAlerts() { try saveAlert.run(alert.values) }
        for slot in batch.alerts.values {
            for row in slot.deliveries { try saveDelivery.run(row.values) }
        }
        // A department renamed in the batch: every row of it the file holds takes the new name.
        for (ref, name) in batch.renamedDepartments {
            for statement in renameDepartment { try statement.run([.text(name), .text(ref)]) }
        }
        try checkpoint.run([.int(batch.position)])
    }
}
