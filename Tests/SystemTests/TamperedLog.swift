import Crypto
import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import TestSupport

/// A copy of a stopped system's store file that a test changes the way someone tampering with it would.
final class TamperedLog {
    let folder: URL
    let path: String

    /// Copies `source` (a log whose gateway stopped cleanly, so everything is in the main file).
    init(copying source: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tampered-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("events.sqlite").path
        try FileManager.default.copyItem(atPath: source, toPath: path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Changes one byte of `marker`, which must occur exactly once in the file's raw bytes.
    func alterOneByte(of marker: String) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let needle = Data(marker.utf8)
        guard let found = bytes.range(of: needle) else { throw TamperError("\(marker) is not in the file") }
        guard bytes.range(of: needle, in: found.upperBound..<bytes.count) == nil else { throw TamperError("\(marker) occurs more than once") }
        bytes[found.lowerBound] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// Runs SQL on the copy (SQLite itself, as a person with the file would).
    func execute(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    /// Swaps the whole records at positions `i` and `j`.
    func swap(_ i: Int64, _ j: Int64) throws {
        try execute("""
            UPDATE events SET position = -1 WHERE position = \(i);
            UPDATE events SET position = \(i) WHERE position = \(j);
            UPDATE events SET position = \(j) WHERE position = -1;
            """)
    }

    /// Changes the data of record `position` and recomputes the hash chain from it to the end, so the chain is consistent again.
    /// With `resign`, every checkpoint is also replaced by one of the new chain signed with that key.
    func rewrite(position: Int64, data: String, resign key: Curve25519.Signing.PrivateKey? = nil) throws {
        var records: [RecordedEvent] = []
        try SQLiteEventLog(path: path).forEach { records.append($0) }
        var previous = HashChain.genesis
        var hashes: [Int64: Data] = [0: HashChain.genesis]
        try LogFileSQL.write(path) { db in
            for var record in records {
                if record.position == position { record.data = data }
                if let key, record.position >= position, record.type == LogCheckpoint.eventType, let old = LogCheckpoint(json: record.data) {
                    record.data = try LogCheckpoint.sign(position: old.position, head: hashes[old.position]!, with: key).json
                }
                let hash = HashChain.hash(of: record, previous: previous)
                if record.position >= position {
                    try db.execute(sql: "UPDATE events SET data = ?, previous_hash = ?, hash = ? WHERE position = ?",
                                   arguments: [record.data, previous, hash, record.position])
                }
                hashes[record.position] = hash
                previous = hash
            }
        }
    }
}

struct TamperError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
