import EventSourcing
import EventStoreSQLite
import Foundation

/// Where an audit finds a system's files: the data folder `up` and the servers use.
///
/// Audits read the store file directly, so they work while the system is down.
public struct AuditFiles: Sendable {
    public var dataDirectory: String

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The event log.
    public var eventLog: String { (dataDirectory as NSString).appendingPathComponent("events.sqlite") }
    /// The live projector's read models.
    public var readModels: String { (dataDirectory as NSString).appendingPathComponent("projections.sqlite") }

    /// The event log at `path`, opened read-only through the store's log reader (the one place that names the backend).
    public static func openLog(_ path: String) throws(AuditError) -> any EventLogReader {
        guard FileManager.default.fileExists(atPath: path) else { throw .noLog(path) }
        do {
            return try SQLiteEventLog(path: path)
        } catch {
            throw AuditError("cannot read the event log \(path): \(error.debugDescription) (is it a petition-followup events.sqlite, and readable by you?)")
        }
    }
}
