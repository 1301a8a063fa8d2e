import Foundation
import EventSourcing

/// A backup of the event log: one consistent, compact copy made with `VACUUM INTO`.
///
/// It can be taken while the gateway runs (it reads one snapshot), and it copies only live
/// pages: nothing deleted earlier (a forgotten person's destroyed key) is carried into it.
/// Read models are not backed up: `petitionctl audit rebuild` makes them again from the log.
public enum LogBackup {
    /// What a backup wrote.
    public struct Summary: Encodable, Sendable {
        public var file: String
        public var bytes: Int64
        /// The head position of the copy.
        public var position: Int64
    }

    /// Copies the log at `logPath` into `out`, which must not exist.
    public static func run(logPath: String, to out: String) throws -> Summary {
        let log = try AuditFiles.openLog(logPath)
        guard !FileManager.default.fileExists(atPath: out) else { throw AuditError("\(out) exists; give a new file to back up into") }
        do {
            let position = try log.backup(to: out)
            let bytes = (try FileManager.default.attributesOfItem(atPath: out)[.size] as? NSNumber)?.int64Value ?? 0
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: out)
            return Summary(file: out, bytes: bytes, position: position)
        } catch {
            try? FileManager.default.removeItem(atPath: out)
            throw AuditError("cannot back up \(logPath) into \(out): \(error)")
        }
    }
}
