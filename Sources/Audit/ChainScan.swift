import Crypto
import EventSourcing
import Foundation
import GRDBSQLite
import Messaging
import SHA256x8

/// One scanner of the log: a read-only connection that verifies a run of positions, row by row.
///
/// Several run side by side on disjoint runs (each on its own connection and
/// core): a record's check needs only its own bytes, the hash stored before it
/// and its own stored hash, so runs are independent once each is seeded with
/// the stored hash of the record before its first.
final class ChainScan: @unchecked Sendable { // used by one thread at a time
    private let path: String
    private var db: OpaquePointer?
    private var scan: OpaquePointer?
    private var hashAt: OpaquePointer?
    private var positionOfHash: OpaquePointer?
    private let bytes = RecordBytes()
    /// The hash of the last verified record (32 bytes; the seed before the first).
    private let previous = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 8)
    private static let checkpointType = Array(LogCheckpoint.eventType.utf8)

    init(path: String) throws(AuditError) {
        self.path = path
        previous.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, db != nil else { throw fail("cannot open") }
        sqlite3_busy_timeout(db, 10_000)
        scan = try prepare("SELECT \(RecordBytes.columns) FROM events WHERE position >= ? ORDER BY position")
        hashAt = try prepare("SELECT hash FROM events WHERE position = ?")
        positionOfHash = try prepare("SELECT position FROM events WHERE hash = ? LIMIT 1")
    }

    deinit {
        sqlite3_finalize(scan)
        sqlite3_finalize(hashAt)
        sqlite3_finalize(positionOfHash)
        sqlite3_close(db)
        previous.deallocate()
    }

    private func fail(_ what: String) -> AuditError {
        let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
        return AuditError("\(what) the event log \(path): \(detail) (is it a petition-followup events.sqlite, and readable by you?)")
    }

    private func prepare(_ sql: String) throws(AuditError) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw fail("cannot read") }
        return statement
    }

    /// The last position of the log, 0 when it is empty.
    func head() throws(AuditError) -> Int64 {
        let statement = try prepare("SELECT COALESCE(MAX(position), 0) FROM events")
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw fail("cannot read") }
        return sqlite3_column_int64(statement, 0)
    }

    /// Verifies positions `start` through `end`; the record before `start` is taken to have the hash stored for it (genesis before 1).
    ///
    /// With `lanes`, eight records at a time are hashed side by side (``RecordLanes``), each with the
    /// previous hash stored in it, and the links between them are checked on the stored hashes; this
    /// proves the same chain as one record at a time. Any batch that does not verify is read again one
    /// record at a time, which finds and names the problem exactly as before.
    func verify(from start: Int64, through end: Int64, lanes: Bool) throws(AuditError) -> SegmentResult {
        // One read transaction: the scan and its lookups see one snapshot, even while the gateway appends.
        guard sqlite3_exec(db, "BEGIN", nil, nil, nil) == SQLITE_OK else { throw fail("cannot read") }
        defer { sqlite3_exec(db, "COMMIT", nil, nil, nil) }
        let seed = storedHash(at: start - 1) ?? HashChain.genesis
        seed.withUnsafeBytes { previous.copyMemory(from: $0.baseAddress!, byteCount: 32) }
        var result = SegmentResult()
        defer { sqlite3_reset(scan) }
        seek(start)
        guard lanes, let batch = RecordLanes() else {
            _ = try oneByOne(from: start, through: end, into: &result)
            return result
        }
        var next = start
        while next <= end {
            let count = Int(min(Int64(SHA256x8.lanes), end - next + 1))
            if try verify(batch, from: next, count: count, into: &result) {
                next += Int64(count)
                continue
            }
            seek(next)
            guard try oneByOne(from: next, through: next + Int64(count) - 1, into: &result) else { break }
            next += Int64(count) // the scan is already there
        }
        return result
    }

    /// Points the scan at `position`.
    private func seek(_ position: Int64) {
        sqlite3_reset(scan)
        sqlite3_bind_int64(scan, 1, position)
    }

    /// Reads the next `count` records, hashes them side by side and checks them; false when any is not as it
    /// should be (missing, out of place, altered), leaving `result` and the running hash as they were.
    private func verify(_ batch: RecordLanes, from first: Int64, count: Int, into result: inout SegmentResult) throws(AuditError) -> Bool {
        var found: [(record: Int64, data: String)] = []
        for lane in 0..<count {
            let rc = sqlite3_step(scan)
            guard rc == SQLITE_ROW || rc == SQLITE_DONE, let scan else { throw fail("cannot read past record \(first + Int64(lane) - 1) of") }
            guard rc == SQLITE_ROW, sqlite3_column_int64(scan, 0) == first + Int64(lane),
                  sqlite3_column_bytes(scan, 12) == 32, sqlite3_column_bytes(scan, 13) == 32,
                  let storedPrevious = sqlite3_column_blob(scan, 12), let stored = sqlite3_column_blob(scan, 13) else { return false }
            batch.load(lane, row: scan, storedPrevious: storedPrevious, stored: stored)
            if isType(Self.checkpointType) { found.append((first + Int64(lane), text(column: 7))) }
        }
        guard batch.verifies(count: count, after: previous) else { return false }
        for (record, data) in found {
            // The batch verified, so the previous hash stored in the record is the recomputed hash before it.
            result.checkpoints.append(checkpoint(record: record, json: data, hashBefore: batch.storedPrevious(Int(record - first))))
        }
        previous.copyMemory(from: batch.stored(count - 1), byteCount: 32)
        return true
    }

    /// A checkpoint record met, with the log's hash at the position it signs: `hashBefore` (the verified hash of
    /// the record just before it) when it signs that one, else the stored hash of one verified earlier (by this
    /// or another scanner).
    private func checkpoint(record: Int64, json: String, hashBefore: UnsafeRawPointer) -> SegmentResult.FoundCheckpoint {
        let checkpoint = LogCheckpoint(json: json)
        let actual = checkpoint?.position == record - 1 ? Data(bytes: hashBefore, count: 32) : checkpoint.flatMap { storedHash(at: $0.position) }
        return .init(record: record, checkpoint: checkpoint, actual: actual)
    }

    /// Verifies `start` through `end` one record at a time, from where the scan points; false when it found a problem (in `result`).
    private func oneByOne(from start: Int64, through end: Int64, into result: inout SegmentResult) throws(AuditError) -> Bool {
        var expected = start
        while expected <= end {
            let rc = sqlite3_step(scan)
            if rc == SQLITE_DONE {
                result.problem = (missing(expected, found: nil), expected)
                return false
            }
            guard rc == SQLITE_ROW, let scan else { throw fail("cannot read past record \(expected - 1) of") }
            let position = sqlite3_column_int64(scan, 0)
            guard position == expected else {
                result.problem = (missing(expected, found: position), expected)
                return false
            }
            let digest = bytes.hash(previous: previous, row: scan)
            let linked = equals(column: 12, previous)
            let matches = digest.withUnsafeBytes { equals(column: 13, $0.baseAddress!) }
            guard linked, matches else {
                result.problem = (diagnose(position, linked: linked, matches: matches), position)
                return false
            }
            if isType(Self.checkpointType) {
                result.checkpoints.append(checkpoint(record: position, json: text(column: 7), hashBefore: previous))
            }
            digest.withUnsafeBytes { previous.copyMemory(from: $0.baseAddress!, byteCount: 32) }
            expected += 1
        }
        return true
    }

    // MARK: - Reading columns

    private func equals(column: Int32, _ bytes: UnsafeRawPointer) -> Bool {
        guard sqlite3_column_bytes(scan, column) == 32, let blob = sqlite3_column_blob(scan, column) else { return false }
        return memcmp(blob, bytes, 32) == 0
    }

    private func isType(_ type: [UInt8]) -> Bool {
        guard let text = sqlite3_column_blob(scan, 4), Int(sqlite3_column_bytes(scan, 4)) == type.count else { return false }
        return type.withUnsafeBytes { memcmp(text, $0.baseAddress!, type.count) == 0 }
    }

    private func text(column: Int32) -> String {
        guard let text = sqlite3_column_text(scan, column) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(scan, column))), as: UTF8.self)
    }

    /// The stored hash of a record already verified (so equal to the recomputed one); genesis for 0.
    func storedHash(at position: Int64) -> Data? {
        guard position > 0 else { return HashChain.genesis }
        defer { sqlite3_reset(hashAt) }
        sqlite3_bind_int64(hashAt, 1, position)
        guard sqlite3_step(hashAt) == SQLITE_ROW, sqlite3_column_bytes(hashAt, 0) == 32, let blob = sqlite3_column_blob(hashAt, 0) else { return nil }
        return Data(bytes: blob, count: 32)
    }

    /// The position of the record now holding `hash`, if any.
    private func record(holding hash: UnsafeRawPointer) -> Int64? {
        defer { sqlite3_reset(positionOfHash) }
        sqlite3_bind_blob(positionOfHash, 1, hash, 32, nil)
        guard sqlite3_step(positionOfHash) == SQLITE_ROW else { return nil }
        return sqlite3_column_int64(positionOfHash, 0)
    }

    // MARK: - Problems

    private func missing(_ expected: Int64, found: Int64?) -> ChainProblem {
        guard let found else {
            return ChainProblem(.missing, at: expected, "record \(expected) is missing: the log has later records, but none at \(expected)")
        }
        let gap = found - expected
        let removed = gap == 1 ? "record \(expected) was removed" : "records \(expected)…\(found - 1) were removed"
        let after = expected == 1 ? "the log starts at record \(found)" : "the log goes from record \(expected - 1) straight to record \(found)"
        return ChainProblem(.missing, at: expected, "record \(expected) is missing: \(after) (\(removed))")
    }

    /// Why the record at `position` breaks the chain: its content, its link, or its place.
    private func diagnose(_ position: Int64, linked: Bool, matches: Bool) -> ChainProblem {
        if linked {
            return ChainProblem(.altered, at: position,
                                "record \(position) was altered: its content no longer matches its hash (a field of the record was changed after it was written)")
        }
        if matches {
            return ChainProblem(.altered, at: position, "record \(position) was altered: its previous-hash field was changed")
        }
        guard let scan, sqlite3_column_bytes(scan, 12) == 32, let storedPrevious = sqlite3_column_blob(scan, 12) else {
            return ChainProblem(.altered, at: position, "record \(position) was altered: its previous-hash field is not a 32-byte hash")
        }
        // Hashed with the predecessor it names, is the record whole? Then its predecessor was replaced.
        let selfConsistent = bytes.hash(previous: storedPrevious, row: scan).withUnsafeBytes { equals(column: 13, $0.baseAddress!) }
        if selfConsistent, position > 1 {
            return ChainProblem(.rewritten, at: position - 1,
                                "record \(position - 1) was rewritten: record \(position) was chained to a record \(position - 1) with hash \(Hex.encode(UnsafeRawBufferPointer(start: storedPrevious, count: 32)).prefix(16))…, but record \(position - 1) now hashes to \(Hex.encode(UnsafeRawBufferPointer(start: previous, count: 32)).prefix(16))… (it was replaced and its hash recomputed)")
        }
        if (0..<32).allSatisfy({ storedPrevious.load(fromByteOffset: $0, as: UInt8.self) == 0 }) {
            return ChainProblem(.reordered, at: position, "record \(position) is out of place: it holds the log's first record (chained to the start of the log), not the one that followed record \(position - 1)")
        }
        if let holder = record(holding: storedPrevious) {
            return ChainProblem(.reordered, at: position,
                                "record \(position) is out of place: it was chained after the record now at position \(holder), not after record \(position - 1) (records were reordered or swapped)")
        }
        return ChainProblem(.reordered, at: position,
                            "record \(position) is out of place: it was chained after a record that is no longer in the log, not after record \(position - 1) (records were removed and the rest renumbered, reordered, or replaced)")
    }
}
