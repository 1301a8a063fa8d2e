import EventSourcing

/// A record of the log that could not be read back, reported by its position instead of stopping the reader.
///
/// History pages list them in `undecodable`; a follower skips them explicitly (logged and counted)
/// and the projector's `status` names their positions.
public struct UndecodableRecord: Codable, Hashable, Sendable {
    public var position: Int64
    /// What is wrong with it, e.g. the store's error.
    public var reason: String

    public init(position: Int64, reason: String) {
        self.position = position
        self.reason = reason
    }

    /// The records of `store` from `position` (at most `limit`): read as a page, or when the page cannot be read,
    /// one record at a time, every record that cannot be read reported instead of failing the page.
    ///
    /// A record counts as unreadable when the store says it is corrupt (``EventStoreError/isCorrupt``); any other
    /// failure is the store's, thrown.
    public static func read(_ store: any EventStore, from position: Int64, limit: Int, head: Int64)
        throws(EventStoreError) -> (records: [RecordedEvent], undecodable: [UndecodableRecord]) {
        do {
            return (try store.read(from: position, limit: limit), [])
        } catch where error.isCorrupt {
            // Read the page again one record at a time, to name the ones at fault.
        }
        var records: [RecordedEvent] = []
        var undecodable: [UndecodableRecord] = []
        var next = position
        while next <= head, records.count + undecodable.count < limit {
            do {
                records += try store.read(from: next, limit: 1)
            } catch where error.isCorrupt {
                undecodable.append(UndecodableRecord(position: next, reason: error.debugDescription))
            }
            next += 1
        }
        return (records, undecodable)
    }
}
