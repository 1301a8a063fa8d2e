import Foundation

/// What a log keeps beside its records, as stored (keys and folded names still wrapped where the log wraps
/// them): copied with the records when a log moves to another store or into a backup file.
public struct LogSideTables: Sendable, Equatable {
    /// Handled commands' replies, so a retried command id gets the same reply after the move.
    public var commands: [CommandRecord] = []
    /// People's keys, as stored.
    public var secrets: [SecretKey] = []
    /// Streams per category.
    public var categories: [String: Int64] = [:]

    public init() {}
}

/// Somewhere a whole log is copied into, record for record and byte for byte (positions, hashes and all):
/// a new backup file, or an empty store a log migrates to.
public protocol LogCopyTarget: AnyObject {
    /// Writes `records`, the next ones in position order, exactly as they were stored.
    func write(_ records: [RecordedEvent]) throws
    /// Writes the side tables.
    func write(_ tables: LogSideTables) throws
    /// Makes the copy durable; returns its head position.
    func finish() throws -> Int64
}

/// Copies a log whole, checking every record's link and hash on the way: a copy is made only of an intact log.
public enum LogCopy {
    /// Copies every record `connection` reads (in its current snapshot) into `target`, `chunk` at a time.
    public static func records(from connection: any EventLogConnection, to target: any LogCopyTarget, chunk: Int = 2_000) throws {
        let cursor = try connection.cursor()
        try cursor.seek(1)
        var verifier = HashChain.Verifier()
        var pending: [RecordedEvent] = []
        pending.reserveCapacity(chunk)
        while try cursor.step() {
            let record = try cursor.record()
            if case .broken(let position, let reason)? = verifier.check(record) {
                throw EventStoreError.corrupt("the log's chain is broken at position \(position) (\(reason)): nothing was copied")
            }
            pending.append(record)
            if pending.count == chunk {
                try target.write(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { try target.write(pending) }
    }

    /// What a copy holds.
    public struct Copied: Sendable, Equatable {
        /// The copy's head position.
        public var head: Int64
        /// Command replies and people's keys copied with the records.
        public var commands: Int, keys: Int

        public init(head: Int64, commands: Int, keys: Int) {
            self.head = head
            self.commands = commands
            self.keys = keys
        }
    }

    /// Copies the whole log `reader` reads, from one snapshot, into `target`.
    @discardableResult
    public static func copy(from reader: any EventLogReader, to target: any LogCopyTarget) throws -> Copied {
        let connection = try reader.connect()
        return try connection.snapshot {
            try records(from: connection, to: target)
            let tables = try connection.sideTables()
            try target.write(tables)
            return Copied(head: try target.finish(), commands: tables.commands.count, keys: tables.secrets.count)
        }
    }
}
