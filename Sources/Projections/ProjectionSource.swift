/// Where a batch finds the rows earlier batches wrote: the projector's file, or nothing when a rebuild starts from the first event.
protocol ProjectionSource {
    func petition(_ id: String) throws -> PetitionRow?
    func session(_ id: String) throws -> SessionRow?
    func alert(_ id: String) throws -> AlertRow?
    /// Every sink's record of the alert `alertId`, by sink.
    func deliveries(of alertId: String) throws -> [AlertDeliveryRow]
}

/// No earlier rows: a rebuild folds the whole log as one batch, from position 1.
struct EmptyProjectionSource: ProjectionSource {
    func petition(_ id: String) throws -> PetitionRow? { nil }
    func session(_ id: String) throws -> SessionRow? { nil }
    func alert(_ id: String) throws -> AlertRow? { nil }
    func deliveries(of alertId: String) throws -> [AlertDeliveryRow] { [] }
}
