import GRDB

/// SQL run on a store file from outside the system, as a person holding the file would: tests use it to
/// tamper with a log or to recreate what an older version left behind. The store itself exposes no database.
public enum LogFileSQL {
    /// Runs `body` in one write transaction on its own connection to the file at `path`.
    public static func write(_ path: String, _ body: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try body($0) }
        try queue.close()
    }
}
