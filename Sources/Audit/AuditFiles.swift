import EventSourcing
import EventStorePostgres
import EventStoreSQLite
import Foundation
import Projections

/// Where an audit finds a system's files: the data folder `up` and the servers use.
///
/// Audits read the store file directly, so they work while the system is down.
public struct AuditFiles: Sendable {
    public var dataDirectory: String
    /// The log's `postgresql://` address when it is in PostgreSQL.
    public var store: String?

    public init(dataDirectory: String, store: String? = nil) {
        self.dataDirectory = dataDirectory
        self.store = store
    }

    /// The event log: its PostgreSQL address, or the SQLite file in the data folder.
    public var eventLog: String { store ?? (dataDirectory as NSString).appendingPathComponent("events.sqlite") }
    /// The live projector's read models.
    public var readModels: String { (dataDirectory as NSString).appendingPathComponent("projections.sqlite") }

    /// The event log at `path`, opened read-only through the store's log reader (the one place that names the backend).
    /// The log at `location` (a file or a `postgresql://` address) as a rebuild reads it.
    public static func openLogFile(_ location: String) throws -> EventLogFile {
        if PostgresLocation.isAddress(location) { return try EventLogFile(log: try openLog(location)) }
        return try EventLogFile(path: location)
    }

    /// A `postgresql://` address opens the log in PostgreSQL (its keys open with PETITION_KEK).
    public static func openLog(_ path: String) throws(AuditError) -> any EventLogReader {
        if PostgresLocation.isAddress(path) {
            do { return try EventLogLocation.reader(path) } catch { throw AuditError("cannot read the event log: \(error.debugDescription)") }
        }
        guard FileManager.default.fileExists(atPath: path) else { throw .noLog(path) }
        do {
            return try SQLiteEventLog(path: path)
        } catch {
            throw AuditError("cannot read the event log \(path): \(error.debugDescription) (is it a petition-followup events.sqlite, and readable by you?)")
        }
    }
}
