import Crypto
import EventSourcing
import Foundation
import GRDBSQLite
import Messaging

/// One verification pass over a store file: a read-only connection, the row scan and the chain's state.
final class ChainScan {
    private let path: String
    private var db: OpaquePointer?
    private var scan: OpaquePointer?
    private var hashAt: OpaquePointer?
    private var positionOfHash: OpaquePointer?
    private let bytes = RecordBytes()
    /// The recomputed hash of the last verified record (32 bytes; zeros before the first).
    private let previous = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 8)
    private var summary = CheckpointSummary()
    private static let checkpointType = Array(LogCheckpoint.eventType.utf8)

    init(path: String) throws(AuditError) {
        self.path = path
        previous.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, db != nil else { throw fail("cannot open") }
        sqlite3_busy_timeout(db, 10_000)
        scan = try prepare("SELECT \(RecordBytes.columns) FROM events ORDER BY position")
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

    func run(publicKey: Curve25519.Signing.PublicKey?, outside: [LogCheckpoint]) throws(AuditError) -> VerifyReport {
        summary.publicKey = publicKey.map { Hex.encode($0.rawRepresentation) }
        // One read transaction: every statement sees the same snapshot, even while the gateway appends.
        guard sqlite3_exec(db, "BEGIN", nil, nil, nil) == SQLITE_OK else { throw fail("cannot read") }
        defer { sqlite3_exec(db, "COMMIT", nil, nil, nil) }
        var expected: Int64 = 1
        var problem: ChainProblem?
        while problem == nil {
            let rc = sqlite3_step(scan)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW, let scan else { throw fail("cannot read past record \(expected - 1) of") }
            let position = sqlite3_column_int64(scan, 0)
            guard position == expected else {
                problem = missing(expected, found: position)
                break
            }
            let digest = bytes.hash(previous: previous, row: scan)
            let linked = equals(column: 12, previous)
            let matches = digest.withUnsafeBytes { equals(column: 13, $0.baseAddress!) }
            guard linked, matches else {
                problem = diagnose(position, linked: linked, matches: matches)
                break
            }
            let isCheckpoint = isType(Self.checkpointType)
            let before = Data(bytes: previous, count: 32)
            digest.withUnsafeBytes { previous.copyMemory(from: $0.baseAddress!, byteCount: 32) }
            expected += 1
            if isCheckpoint { problem = checkCheckpoint(record: position, previousHash: before, publicKey: publicKey) }
        }
        let records = expected - 1
        if problem == nil {
            problem = checkOutside(outside.sorted { $0.position < $1.position }, head: records, publicKey: publicKey)
        }
        return VerifyReport(file: path, records: records, headHash: Data(bytes: previous, count: 32), problem: problem, checkpoints: summary)
    }

    // MARK: - Reading columns

    private func equals(column: Int32, _ bytes: UnsafeRawPointer) -> Bool {
        guard sqlite3_column_bytes(scan, column) == 32, let blob = sqlite3_column_blob(scan, column) else { return false }
        return memcmp(blob, bytes, 32) == 0
    }

    private func isType(_ type: [UInt8]) -> Bool {
        guard let text = sqlite3_column_text(scan, 4), Int(sqlite3_column_bytes(scan, 4)) == type.count else { return false }
        return type.withUnsafeBytes { memcmp(text, $0.baseAddress!, type.count) == 0 }
    }

    private func text(column: Int32) -> String {
        guard let text = sqlite3_column_text(scan, column) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(scan, column))), as: UTF8.self)
    }

    /// The stored hash of a record already verified (so equal to the recomputed one); genesis for 0.
    private func storedHash(at position: Int64) -> Data? {
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

    private func missing(_ expected: Int64, found: Int64) -> ChainProblem {
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

    // MARK: - Checkpoints

    private func checkCheckpoint(record: Int64, previousHash: Data, publicKey: Curve25519.Signing.PublicKey?) -> ChainProblem? {
        guard let checkpoint = LogCheckpoint(json: text(column: 7)), checkpoint.position >= 0, checkpoint.position < record else {
            return ChainProblem(.badCheckpoint, at: record, "record \(record) is a checkpoint (\(LogCheckpoint.eventType)) whose data is not a checkpoint of an earlier position")
        }
        summary.found += 1
        if !summary.signers.contains(checkpoint.publicKey) { summary.signers.append(checkpoint.publicKey) }
        if let problem = signatureProblem(checkpoint, publicKey: publicKey, what: "checkpoint record \(record)", at: record) { return problem }
        let actual = checkpoint.position == record - 1 ? previousHash : storedHash(at: checkpoint.position)
        if let problem = headProblem(checkpoint, actual: actual, what: "checkpoint record \(record)") { return problem }
        summary.last = (checkpoint, record)
        return nil
    }

    private func checkOutside(_ checkpoints: [LogCheckpoint], head: Int64, publicKey: Curve25519.Signing.PublicKey?) -> ChainProblem? {
        for checkpoint in checkpoints {
            summary.outside += 1
            let what = "the checkpoint you gave (record \(checkpoint.position))"
            if let problem = signatureProblem(checkpoint, publicKey: publicKey, what: what, at: checkpoint.position) { return problem }
            if checkpoint.position > head {
                let removed = checkpoint.position == head + 1 ? "record \(head + 1) was removed" : "at least records \(head + 1)…\(checkpoint.position) were removed"
                return ChainProblem(.truncated, at: head + 1,
                                    "the log ends at record \(head), but \(what) says record \(checkpoint.position) existed with hash \(checkpoint.head.prefix(16))…: \(removed) from its end")
            }
            if let problem = headProblem(checkpoint, actual: storedHash(at: checkpoint.position), what: what) { return problem }
        }
        return nil
    }

    private func signatureProblem(_ checkpoint: LogCheckpoint, publicKey: Curve25519.Signing.PublicKey?, what: String, at position: Int64) -> ChainProblem? {
        let key: Curve25519.Signing.PublicKey
        if let publicKey {
            let given = Hex.encode(publicKey.rawRepresentation)
            guard checkpoint.publicKey.lowercased() == given else {
                return ChainProblem(.badSignature, at: position,
                                    "\(what) was signed by key \(checkpoint.publicKey.prefix(16))…, not by the key you gave (\(given.prefix(16))…): it was not written by the gateway whose key you hold")
            }
            key = publicKey
        } else {
            guard let own = CheckpointKeyFiles.publicKey(checkpoint.publicKey) else {
                return ChainProblem(.badCheckpoint, at: position, "\(what) names a public key that is not an Ed25519 key")
            }
            key = own
        }
        guard checkpoint.isSigned(by: key) else {
            return ChainProblem(.badSignature, at: position,
                                "the signature of \(what) (over record \(checkpoint.position) and hash \(checkpoint.head.prefix(16))…) does not verify with \(publicKey == nil ? "the key it names" : "the key you gave"): the checkpoint was altered or forged")
        }
        return nil
    }

    private func headProblem(_ checkpoint: LogCheckpoint, actual: Data?, what: String) -> ChainProblem? {
        let actualHex = actual.map { Hex.encode($0) } ?? "(none)"
        guard actualHex != checkpoint.head.lowercased() else { return nil }
        let since = summary.last.map { $0.checkpoint.position + 1 } ?? 1
        let range = since == checkpoint.position ? "record \(since)" : "records \(since)…\(checkpoint.position)"
        return ChainProblem(.checkpointMismatch, at: checkpoint.position,
                            "the log was rewritten after \(what) was signed: it signed hash \(checkpoint.head.prefix(16))… for record \(checkpoint.position), the log now gives \(actualHex.prefix(16))… (the change is in \(range); the chain was recomputed to hide it)")
    }
}
