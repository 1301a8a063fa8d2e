import ArgumentParser
import Audit
import Crypto
import Foundation
import GRDBSQLite
import SHA256x8

/// Verifies the hash chain of a generated log, vs scanning it raw and vs SHA-256 over the same bytes.
struct VerifyScenario: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Records/s and peak memory of `petitionctl audit verify` over a generated log, against a raw scan and raw SHA-256.")

    @Option(help: "Events in the generated log.") var events = 1_000_000
    @Option(help: "Reuse this event log instead of generating one.") var log: String?
    @Option(help: "Runs verified side by side (default: the verifier's own choice, one per core up to 4).") var runs: Int?

    func run() throws {
        let folder = try temporaryFolder("verify")
        defer { try? FileManager.default.removeItem(at: folder) }
        let logPath = log ?? folder.appendingPathComponent("events.sqlite").path
        if log == nil {
            try generateLog(events: events, into: logPath) // In a child process: this process's peak memory is the verifier's alone.
        }
        let memoryBefore = Stats.peakMemoryMiB()

        // Ceiling 1: the same rows through the same C API, every column read, nothing hashed.
        var start = Stats.now()
        let (scanned, bytes, scanChecksum) = try Self.rawScan(logPath)
        let scanSeconds = Stats.seconds(since: start)

        // Ours: the verifier `petitionctl audit verify` runs.
        start = Stats.now()
        let report = try ChainVerifier(path: logPath, parallelism: runs).run()
        let seconds = Stats.seconds(since: start)
        guard report.isIntact else { throw ValidationError("the generated log did not verify: \(report.headline)") }
        let peak = Stats.peakMemoryMiB()

        // The same verifier hashing one record at a time (what runs on a CPU without AVX2).
        start = Stats.now()
        let oneByOne = try ChainVerifier(path: logPath, parallelism: runs, lanes: false).run()
        let oneByOneSeconds = Stats.seconds(since: start)
        guard oneByOne.records == report.records, oneByOne.isIntact else { throw ValidationError("one record at a time: \(oneByOne.headline)") }

        // Ceiling 2: SHA-256 over as many bytes, one digest per record of the average record's size.
        let average = max(1, bytes / max(1, scanned))
        let record = [UInt8]((0..<average).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        start = Stats.now()
        var sink: UInt8 = 0
        record.withUnsafeBytes { buffer in
            for _ in 0..<scanned {
                var hasher = SHA256()
                hasher.update(bufferPointer: buffer)
                sink ^= hasher.finalize().withUnsafeBytes { $0[0] }
            }
        }
        let shaSeconds = Stats.seconds(since: start)

        // Ceiling 3: eight such records at a time through SHA256x8 (what the verifier uses), one core.
        var laneSeconds: Double?
        if ChainVerifier.canHashInLanes {
            let padded = UnsafeMutableRawPointer.allocate(byteCount: SHA256x8.paddedLength(average), alignment: 32)
            defer { padded.deallocate() }
            record.withUnsafeBytes { padded.copyMemory(from: $0.baseAddress!, byteCount: average) }
            var blocks = [Int](repeating: SHA256x8.pad(padded, length: average), count: SHA256x8.lanes)
            var messages = [UnsafeRawPointer](repeating: UnsafeRawPointer(padded), count: SHA256x8.lanes)
            let digests = UnsafeMutableRawPointer.allocate(byteCount: SHA256x8.lanes * 32, alignment: 32)
            defer { digests.deallocate() }
            start = Stats.now()
            for _ in 0..<(scanned + SHA256x8.lanes - 1) / SHA256x8.lanes {
                SHA256x8.hash(&messages, blocks: &blocks, into: digests)
                sink ^= digests.load(as: UInt8.self)
            }
            laneSeconds = Stats.seconds(since: start)
        }

        let rate = Double(report.records) / seconds
        let scanRate = Double(scanned) / scanSeconds, shaRate = Double(scanned) / shaSeconds
        let laneRate = laneSeconds.map { Double(scanned) / $0 } ?? 0
        emit([
            "scenario": "verify",
            "runs": ChainVerifier.runs(records: report.records, parallelism: runs),
            "records": report.records,
            "recordsPerSecond": Stats.round(rate, 0),
            "seconds": Stats.round(seconds, 2),
            "hashing": ChainVerifier.canHashInLanes ? "8 records side by side (AVX2)" : "one record at a time (no AVX2)",
            "oneRecordAtATimeRecordsPerSecond": Stats.round(Double(oneByOne.records) / oneByOneSeconds, 0),
            "averageHashedBytesPerRecord": average,
            "peakMemoryMiB": Stats.round(peak, 1),
            "peakMemoryBeforeVerifyMiB": Stats.round(memoryBefore, 1),
            "ceilings": ["rawScanRecordsPerSecond": Stats.round(scanRate, 0), "sha256RecordsPerSecond": Stats.round(shaRate, 0), "sha256x8RecordsPerSecond": Stats.round(laneRate, 0),
                         "sha256MiBPerSecond": Stats.round(Double(scanned * average) / shaSeconds / 1_048_576, 0), "checksums": [Int(sink), Int(truncatingIfNeeded: scanChecksum)]],
            "ratios": ["ofRawScan": Stats.round(rate / scanRate, 3), "ofSHA256": Stats.round(rate / shaRate, 3),
                       "ofSHA256x8": laneRate > 0 ? Stats.round(rate / laneRate, 3) : 0],
            "target": ["recordsPerSecond": 300_000, "met": rate >= 300_000, "peakMemoryUnderMiB": 1024, "memoryMet": peak < 1024],
        ])
    }

    /// Reads every column of every record (as the verifier does), hashing nothing; returns the records, the bytes a hash would cover, and a checksum of what it read.
    static func rawScan(_ path: String) throws -> (records: Int, bytes: Int, checksum: Int64) {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw ValidationError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        let sql = "SELECT position, stream, stream_version, id, type, occurred_at, recorded_at, data, actor, command_id, correlation_id, causation_id, previous_hash, hash FROM events ORDER BY position"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw ValidationError("cannot read \(path)") }
        defer { sqlite3_finalize(statement) }
        var records = 0, bytes = 0, touched: Int64 = 0
        while sqlite3_step(statement) == SQLITE_ROW {
            records += 1
            bytes += 32 + 4 * 8 // the previous hash; position, stream version and the two times
            for column: Int32 in [1, 3, 4, 7, 8, 9, 10, 11] {
                _ = sqlite3_column_blob(statement, column) // as the verifier reads texts
                bytes += 8 + Int(sqlite3_column_bytes(statement, column))
            }
            for column: Int32 in [0, 2, 5, 6] { touched &+= sqlite3_column_int64(statement, column) }
            for column: Int32 in [12, 13] {
                if let blob = sqlite3_column_blob(statement, column) { touched &+= Int64(blob.load(as: UInt8.self)) }
            }
        }
        return (records, bytes, touched)
    }
}
