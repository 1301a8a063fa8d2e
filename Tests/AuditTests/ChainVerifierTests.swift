import Audit
import Crypto
import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import TestSupport
import Testing

/// The verifier on logs written by the real store, in process: the cases the system tests do not reach.
struct ChainVerifierTests {
    /// The lane modes this CPU can really exercise: without AVX2, `lanes: true` would silently hash one at a time.
    static let laneModes: [Bool] = ChainVerifier.canHashInLanes ? [true, false] : [false]

    /// A log of `count` events in a fresh folder (removed at the end), written by `SQLiteEventStore`.
    final class Log {
        let folder: URL
        let path: String
        let store: SQLiteEventStore

        init(count: Int) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("verifier-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            path = folder.appendingPathComponent("events.sqlite").path
            store = try SQLiteEventStore(path: path)
            try append(count)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func append(_ count: Int, type: String = "petition.answered.v1", data: (Int) -> String = { #"{"answer":"Đã trả lời \#($0)"}"# }) throws {
            let head = try store.headPosition()
            let events = (1...count).map { n in
                NewEvent(id: UUID().uuidString, type: type, occurredAt: Date(), data: data(Int(head) + n),
                         metadata: EventMetadata(actor: "chair/Trần Văn A", commandId: UUID().uuidString))
            }
            _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: "petition", id: "P\(head)"), expectedVersion: .any, events: events)]),
                                 recordedAt: Date())
        }

        /// Sets columns of one record, as someone with the file would.
        func update(_ position: Int64, _ assignments: String, _ arguments: StatementArguments) throws {
            try LogFileSQL.write(path) { try $0.execute(sql: "UPDATE events SET \(assignments) WHERE position = \(position)", arguments: arguments) }
        }

        func record(_ position: Int64) throws -> RecordedEvent {
            try #require(try store.read(from: position, limit: 1).first)
        }

        /// The chain head after records 1 through `count`, recomputed here from the records as stored.
        func recomputedHead(through count: Int) throws -> Data {
            let records = try store.read(from: 1, limit: count)
            #expect(records.count == count)
            var chain = HashChain.genesis
            for r in records { chain = HashChain.hash(of: r, previous: chain) }
            return chain
        }
    }

    @Test(arguments: [1, 3], laneModes) func theVerifierRecomputesTheHashesTheStoreWrote(parallelism: Int, lanes: Bool) throws {
        let log = try Log(count: 50)
        let report = try ChainVerifier(path: log.path, parallelism: parallelism, lanes: lanes).run()
        #expect(report.isIntact, "\(report.headline)")
        #expect(report.records == 50)
        #expect(report.headHash == (try log.record(50)).hash)
        let chain = try log.recomputedHead(through: 50)
        #expect(report.headHash == chain)
    }

    @Test(arguments: [1, 3], laneModes) func aRecordReplacedWithItsHashRecomputedIsFoundAsRewritten(parallelism: Int, lanes: Bool) throws {
        let log = try Log(count: 20)
        var record = try log.record(7)
        record.data = #"{"answer":"Không trả lời"}"#
        try log.update(7, "data = ?, hash = ?", [record.data, HashChain.hash(of: record, previous: record.previousHash)])
        let report = try ChainVerifier(path: log.path, parallelism: parallelism, lanes: lanes).run()
        #expect(report.problem?.kind == .rewritten)
        #expect(report.problem?.position == 7, "\(report.headline)")
    }

    @Test(arguments: [1, 3], laneModes) func aChangedPreviousHashFieldIsFoundAsAltered(parallelism: Int, lanes: Bool) throws {
        let log = try Log(count: 10)
        try log.update(4, "previous_hash = ?", [Data(repeating: 7, count: 32)])
        let report = try ChainVerifier(path: log.path, parallelism: parallelism, lanes: lanes).run()
        #expect(report.problem?.kind == .altered)
        #expect(report.problem?.position == 4)
        #expect(report.problem?.message.contains("previous-hash field") == true, "\(report.headline)")
    }

    @Test func itVerifiesWhatAWriterCommittedWhileTheWriterStillHasTheLogOpen() throws {
        let log = try Log(count: 5)
        try log.append(5)
        // The writer is open and its commits are still in the WAL.
        #expect(FileManager.default.fileExists(atPath: log.path + "-wal"))
        let report = try ChainVerifier(path: log.path).run()
        #expect(report.isIntact)
        #expect(report.records == 10)
    }

    @Test(arguments: [1, 3], laneModes) func aCheckpointWhoseSignatureDoesNotVerifyIsReported(parallelism: Int, lanes: Bool) throws {
        let log = try Log(count: 5)
        let key = Curve25519.Signing.PrivateKey()
        var checkpoint = try LogCheckpoint.sign(position: 5, head: (try log.record(5)).hash, with: key)
        checkpoint.position = 4 // signed for 5, claimed for 4
        try log.append(1, type: LogCheckpoint.eventType) { _ in checkpoint.json }
        let report = try ChainVerifier(path: log.path, publicKey: key.publicKey, parallelism: parallelism, lanes: lanes).run()
        #expect(report.problem?.kind == .badSignature)
        #expect(report.problem?.position == 6, "the checkpoint's own record: \(report.headline)")
    }

    @Test func aFileThatIsNotAnEventLogCannotBeRead() throws {
        let log = try Log(count: 1)
        let other = log.folder.appendingPathComponent("notes.txt").path
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: other))
        #expect(throws: AuditError.self) { try ChainVerifier(path: other).run() }
    }

    @Test(arguments: [1, 2, 3], laneModes) func theFirstProblemByPositionWinsWhateverRunFindsIt(parallelism: Int, lanes: Bool) throws {
        let log = try Log(count: 30)
        try LogFileSQL.write(log.path) { try $0.execute(sql: "DELETE FROM events WHERE position IN (11, 12)") }
        try log.update(25, "data = ?", [#"{"answer":"sửa"}"#])
        let report = try ChainVerifier(path: log.path, parallelism: parallelism, lanes: lanes).run()
        #expect(report.problem?.kind == .missing)
        #expect(report.problem?.position == 11, "\(report.headline)")
        #expect(report.records == 10)
        #expect(report.headHash == (try log.record(10)).hash)
        let chain = try log.recomputedHead(through: 10)
        #expect(report.headHash == chain)
    }

    /// Only parallelism above 1: with a single run there is no earlier run for record 3 to be in.
    @Test(arguments: [3], laneModes) func aCheckpointOfARecordInAnEarlierRunIsCheckedAgainstItsHash(parallelism: Int, lanes: Bool) throws {
        let log = try Log(count: 20)
        let key = Curve25519.Signing.PrivateKey()
        let early = try LogCheckpoint.sign(position: 3, head: (try log.record(3)).hash, with: key)
        try log.append(1, type: LogCheckpoint.eventType) { _ in early.json }
        var report = try ChainVerifier(path: log.path, publicKey: key.publicKey, parallelism: parallelism, lanes: lanes).run()
        #expect(report.isIntact, "\(report.headline)")
        #expect(report.checkpoints.last?.record == 21)
        try log.update(3, "data = ?", [#"{"answer":"đổi"}"#])
        report = try ChainVerifier(path: log.path, publicKey: key.publicKey, parallelism: parallelism, lanes: lanes).run()
        #expect(report.problem?.kind == .altered, "the change itself comes first: \(report.headline)")
        #expect(report.problem?.position == 3)
    }
}
