import EventSourcing
import EventStoreSQLite
import Foundation
import Messaging

/// Rebuilds read models straight from a log file, in large transactions.
public enum ProjectionRebuild {
    /// Applies every record after the model's checkpoint, `batch` records per transaction.
    public static func run(from store: SQLiteEventStore, into model: OutstandingReadModel, batch: Int = 20_000,
                           progress: ((Int64) -> Void)? = nil) throws {
        var pending: [WireEvent] = []
        pending.reserveCapacity(batch)
        let from = try model.checkpoint() + 1
        try store.forEach(from: from) { record in
            pending.append(try WireEvent(record))
            if pending.count >= batch {
                let position = try model.apply(pending)
                pending.removeAll(keepingCapacity: true)
                progress?(position)
            }
        }
        if !pending.isEmpty { progress?(try model.apply(pending)) }
    }
}
