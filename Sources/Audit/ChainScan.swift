import Crypto
import EventSourcing
import Foundation
import Messaging
import SHA256x8

/// One scanner of the log: a connection of its own that verifies a run of positions, record by record.
///
/// Several run side by side on disjoint runs (each on its own connection and
/// core): a record's check needs only its own bytes, the hash stored before it
/// and its own stored hash, so runs are independent once each is seeded with
/// the stored hash of the record before its first. It reads the log only
/// through ``EventLogReader``, so it verifies any backend's log.
final class ChainScan: @unchecked Sendable { // used by one thread at a time
    private let location: String
    private let connection: any EventLogConnection
    private let scan: any EventLogCursor
    private let bytes = RecordBytes()
    /// The hash of the last verified record (32 bytes; the seed before the first).
    private let previous = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 8)
    private static let checkpointType = Array(LogCheckpoint.eventType.utf8)

    init(log: any EventLogReader) throws(AuditError) {
        location = log.location
        previous.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
        do {
            connection = try log.connect()
            scan = try connection.cursor()
        } catch {
            throw Self.fail(error)
        }
    }

    deinit { previous.deallocate() }

    private static func fail(_ error: EventStoreError) -> AuditError {
        AuditError(error.debugDescription)
    }

    /// Runs `body`, reporting a failure to read the log as an audit error.
    private func reading<T>(_ body: () throws(EventStoreError) -> T) throws(AuditError) -> T {
        do { return try body() } catch { throw Self.fail(error) }
    }

    /// The last position of the log, 0 when it is empty.
    func head() throws(AuditError) -> Int64 {
        try reading { () throws(EventStoreError) in try connection.head() }
    }

    /// Verifies positions `start` through `end`; the record before `start` is taken to have the hash stored for it (genesis before 1).
    ///
    /// With `lanes`, eight records at a time are hashed side by side (``RecordLanes``), each with the
    /// previous hash stored in it, and the links between them are checked on the stored hashes; this
    /// proves the same chain as one record at a time. Any batch that does not verify is read again one
    /// record at a time, which finds and names the problem exactly as before.
    func verify(from start: Int64, through end: Int64, lanes: Bool) throws(AuditError) -> SegmentResult {
        // One read snapshot: the scan and its lookups see one state, even while the gateway appends.
        do {
            return try connection.snapshot { try verifyInSnapshot(from: start, through: end, lanes: lanes) }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError("cannot read the event log \(location): \(error)")
        }
    }

    private func verifyInSnapshot(from start: Int64, through end: Int64, lanes: Bool) throws(AuditError) -> SegmentResult {
        let seed = try storedHash(at: start - 1) ?? HashChain.genesis
        seed.withUnsafeBytes { previous.copyMemory(from: $0.baseAddress!, byteCount: 32) }
        var result = SegmentResult()
        try seek(start)
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
            try seek(next)
            guard try oneByOne(from: next, through: next + Int64(count) - 1, into: &result) else { break }
            next += Int64(count) // the scan is already there
        }
        return result
    }

    /// Points the scan at `position`.
    private func seek(_ position: Int64) throws(AuditError) {
        try reading { () throws(EventStoreError) in try scan.seek(position) }
    }

    /// Moves the scan to the next record; false past the last.
    private func step() throws(AuditError) -> Bool {
        try reading { () throws(EventStoreError) in try scan.step() }
    }

    /// Reads the next `count` records, hashes them side by side and checks them; false when any is not as it
    /// should be (missing, out of place, altered), leaving `result` and the running hash as they were.
    private func verify(_ batch: RecordLanes, from first: Int64, count: Int, into result: inout SegmentResult) throws(AuditError) -> Bool {
        var found: [(record: Int64, data: String)] = []
        for lane in 0..<count {
            guard try step(), scan.integer(.position) == first + Int64(lane) else { return false }
            let storedPrevious = scan.bytes(.previousHash), stored = scan.bytes(.hash)
            guard storedPrevious.count == 32, stored.count == 32 else { return false }
            batch.load(lane, record: scan, storedPrevious: storedPrevious.baseAddress!, stored: stored.baseAddress!)
            if scan.field(.type, equals: Self.checkpointType) { found.append((first + Int64(lane), scan.string(.data))) }
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
        let actual = checkpoint?.position == record - 1 ? Data(bytes: hashBefore, count: 32) : checkpoint.flatMap { try? storedHash(at: $0.position) }
        return .init(record: record, checkpoint: checkpoint, actual: actual)
    }

    /// Verifies `start` through `end` one record at a time, from where the scan points; false when it found a problem (in `result`).
    private func oneByOne(from start: Int64, through end: Int64, into result: inout SegmentResult) throws(AuditError) -> Bool {
        var expected = start
        while expected <= end {
            guard try step() else {
                result.problem = (missing(expected, found: nil), expected)
                return false
            }
            let position = scan.integer(.position)
            guard position == expected else {
                result.problem = (missing(expected, found: position), expected)
                return false
            }
            let digest = bytes.hash(previous: previous, record: scan)
            let linked = equals(.previousHash, previous)
            let matches = digest.withUnsafeBytes { equals(.hash, $0.baseAddress!) }
            guard linked, matches else {
                result.problem = (try diagnose(position, linked: linked, matches: matches), position)
                return false
            }
            if scan.field(.type, equals: Self.checkpointType) {
                result.checkpoints.append(checkpoint(record: position, json: scan.string(.data), hashBefore: previous))
            }
            digest.withUnsafeBytes { previous.copyMemory(from: $0.baseAddress!, byteCount: 32) }
            expected += 1
        }
        return true
    }

    // MARK: - Reading fields

    private func equals(_ field: RecordField, _ bytes: UnsafeRawPointer) -> Bool {
        let stored = scan.bytes(field)
        guard stored.count == 32 else { return false }
        return memcmp(stored.baseAddress!, bytes, 32) == 0
    }

    /// The stored hash of a record already verified (so equal to the recomputed one); genesis for 0.
    func storedHash(at position: Int64) throws(AuditError) -> Data? {
        guard position > 0 else { return HashChain.genesis }
        return try reading { () throws(EventStoreError) in try connection.hash(at: position) }
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
    private func diagnose(_ position: Int64, linked: Bool, matches: Bool) throws(AuditError) -> ChainProblem {
        if linked {
            return ChainProblem(.altered, at: position,
                                "record \(position) was altered: its content no longer matches its hash (a field of the record was changed after it was written)")
        }
        if matches {
            return ChainProblem(.altered, at: position, "record \(position) was altered: its previous-hash field was changed")
        }
        let storedPreviousBytes = scan.bytes(.previousHash)
        guard storedPreviousBytes.count == 32, let storedPrevious = storedPreviousBytes.baseAddress else {
            return ChainProblem(.altered, at: position, "record \(position) was altered: its previous-hash field is not a 32-byte hash")
        }
        // Hashed with the predecessor it names, is the record whole? Then its predecessor was replaced.
        let selfConsistent = bytes.hash(previous: storedPrevious, record: scan).withUnsafeBytes { equals(.hash, $0.baseAddress!) }
        if selfConsistent, position > 1 {
            return ChainProblem(.rewritten, at: position - 1,
                                "record \(position - 1) was rewritten: record \(position) was chained to a record \(position - 1) with hash \(Hex.encode(UnsafeRawBufferPointer(start: storedPrevious, count: 32)).prefix(16))…, but record \(position - 1) now hashes to \(Hex.encode(UnsafeRawBufferPointer(start: previous, count: 32)).prefix(16))… (it was replaced and its hash recomputed)")
        }
        if (0..<32).allSatisfy({ storedPrevious.load(fromByteOffset: $0, as: UInt8.self) == 0 }) {
            return ChainProblem(.reordered, at: position, "record \(position) is out of place: it holds the log's first record (chained to the start of the log), not the one that followed record \(position - 1)")
        }
        if let holder = try reading({ () throws(EventStoreError) in try connection.position(holding: storedPrevious) }) {
            return ChainProblem(.reordered, at: position,
                                "record \(position) is out of place: it was chained after the record now at position \(holder), not after record \(position - 1) (records were reordered or swapped)")
        }
        return ChainProblem(.reordered, at: position,
                            "record \(position) is out of place: it was chained after a record that is no longer in the log, not after record \(position - 1) (records were removed and the rest renumbered, reordered, or replaced)")
    }
}
