import EventSourcing
import EventStoreSQLite
import Foundation

/// Where a system's log is, as every tool is told it: a `postgresql://` address, or the path of an SQLite log file.
public enum EventLogLocation {
    /// The store a process was given: `--store`, else `PETITION_STORE` (how a systemd unit's environment file or a
    /// Kubernetes Secret chooses PostgreSQL); nil: the data folder's SQLite file.
    public static func store(_ flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        flag ?? environment["PETITION_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The log at `location`, read-only, from whichever store holds it. A PostgreSQL log has no folder beside it,
    /// so its keys open with the key-encryption key in `PETITION_KEK`.
    public static func reader(_ location: String) throws(EventStoreError) -> any EventLogReader {
        guard PostgresLocation.isAddress(location) else { return try SQLiteEventLog(path: location) }
        let kek: KeyEncryptionKey?
        do { kek = try KeyEncryptionKey.fromEnvironment() } catch { throw .storage("\(error)") }
        return try PostgresEventLog(try PostgresLocation(location), kek: kek)
    }
}
