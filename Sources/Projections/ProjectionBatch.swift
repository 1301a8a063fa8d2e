import EventStoreSQLite
import PetitionDomain

/// Every projection's rows that a run of events changes, folded in memory: the one fold both the projector
/// (a batch of events at a time, rows loaded from its file on first touch) and a rebuild (the whole log as one
/// batch, from nothing) run, so both write the same rows.
///
/// The fold itself is in `ProjectionBatch+Fold.swift`; writing a batch is
/// `ReadModelStatements.write(_:)` (the projector, touched rows only) or
/// ``ReadModelBulkWriter`` (a fresh file).
final class ProjectionBatch {
    let source: ProjectionSource

    /// Petitions touched, by id, and the order they were first touched.
    private(set) var petitions: [String: PetitionRow] = [:]
    private(set) var petitionOrder: [String] = []
    /// Sessions touched (opened, or one of their petitions recorded or moved), by id.
    private(set) var sessions: [String: SessionRow] = [:]
    /// Petitions recorded per session and kind or category in this batch (added to what is stored).
    var tallies: [TallyKey: Int64] = [:]
    /// Alerts touched (raised, or a delivery recorded), by id, each with every sink's record of it.
    private(set) var alerts: [String: AlertSlot] = [:]
    /// The chain of hands and the holders' records.
    var custody = CustodyBuffer()
    /// The position of the last event folded.
    var position: Int64
    /// Departments renamed in this batch, in order (reference, new name): the rows of them the file holds are
    /// renamed when the batch is written; the batch's own rows already are.
    private(set) var renamedDepartments: [(ref: String, name: String)] = []

    /// `events`: how many events to make room for at once (a rebuild from nothing; a projector's batch grows as it needs).
    init(source: ProjectionSource, position: Int64, events: Int = 0) {
        self.source = source
        self.position = position
        // About what a log of the workflow holds per event (petition-bench's: 0.22 petitions, 0.36 spans, 0.16 alerts).
        petitions.reserveCapacity(events / 4)
        petitionOrder.reserveCapacity(events / 4)
        alerts.reserveCapacity(events / 5)
        sessions.reserveCapacity(events / 50)
        tallies.reserveCapacity(events / 8)
        custody.reserveCapacity(events * 2 / 5)
    }

    /// The petition `id` as this batch has it, loaded once if an earlier batch wrote it; nil if unknown.
    func petition(_ id: String) throws -> PetitionRow? {
        if let row = petitions[id] { return row }
        guard let row = try source.petition(id) else { return nil }
        add(row)
        return row
    }

    /// A petition recorded in this batch.
    func add(_ row: PetitionRow) {
        if petitions.updateValue(row, forKey: row.id) == nil { petitionOrder.append(row.id) }
    }

    /// The session `id` as this batch has it; nil if unknown.
    func session(_ id: String) throws -> SessionRow? {
        if let row = sessions[id] { return row }
        guard let row = try source.session(id) else { return nil }
        sessions[id] = row
        return row
    }

    /// A session opened in this batch.
    func add(_ session: SessionRow) { sessions[session.sessionId] = session }

    /// The alert `id` (its row nil if never raised), its deliveries loaded with it.
    func alert(_ id: String) throws -> AlertSlot {
        if let slot = alerts[id] { return slot }
        let slot = AlertSlot(row: try source.alert(id), deliveries: try source.deliveries(of: id))
        alerts[id] = slot
        return slot
    }

    /// Department `ref` is now named `name`: in every row this batch holds, and (when written) in the file.
    func rename(department ref: String, to name: String) {
        for row in petitions.values where row[.departmentRef].textValue == ref { row[.department] = .text(name) }
        for slot in alerts.values where slot.row?[.departmentRef].textValue == ref { slot.row?[.department] = .text(name) }
        custody.rename(department: ref, to: name)
        renamedDepartments.append((ref, name))
    }

    /// Every touched alert that exists, with its state set from its deliveries.
    func settledAlerts() -> [(id: String, row: AlertRow)] {
        alerts.compactMap { id, slot in
            guard let row = slot.row else { return nil }
            row[.state] = .text(AlertDeliveryRow.state(of: slot.deliveries).rawValue)
            return (id, row)
        }
    }
}

/// An alert a batch touched: its row (nil while it was never raised) and every sink's record of it.
final class AlertSlot {
    var row: AlertRow?
    var deliveries: [AlertDeliveryRow]

    init(row: AlertRow?, deliveries: [AlertDeliveryRow]) {
        self.row = row
        self.deliveries = deliveries
    }
}
