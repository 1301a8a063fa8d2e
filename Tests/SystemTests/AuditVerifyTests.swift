import Crypto
import EventSourcing
import EventStoreSQLite
import Foundation
import Testing
import TestSupport

/// `petitionctl audit verify` on the store file of a real gateway's log: intact, and each kind of tampering found and located.
@Suite(.serialized)
struct AuditVerifyTests {
    /// A log written by a real gateway (signing a checkpoint every 6 records), then stopped cleanly.
    final class WrittenLog {
        let system: TestSystem
        /// The position of each petition's submission, by its marker text (which occurs once in the file).
        var submissions: [(marker: String, position: Int64)] = []
        let publicKey: String

        init(name: String = #function) throws {
            system = try TestSystem(name: name)
            system.gatewayArguments = ["--checkpoint-every-records", "6"]
            try system.startGateway()
            let session = try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Đối thoại ấp Tây Huề", "chair": "Trần Văn A"])
            for n in 1...12 {
                let marker = "AUDIT-MARKER-\(n)-END"
                let reply = try system.send("petition.submit", [
                    "sessionId": session["id"]!, "kind": "recommendation", "category": "land",
                    "content": "Cấp giấy chứng nhận chậm \(marker)",
                    "citizen": ["name": "Nguyễn Thị B", "address": "ấp Tây Huề", "phone": "0900000000"],
                ])
                submissions.append((marker, try #require((reply["position"] as? NSNumber)?.int64Value)))
            }
            let status = system.gateway!.stop()
            #expect(status == 0, "the gateway stops cleanly on SIGTERM")
            let wal = system.eventLogPath + "-wal"
            let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            #expect(walSize == 0, "a clean stop checkpoints the WAL into the main file")
            let key = try runTool("petitionctl", ["audit", "checkpoint-key", "--data-dir", system.dataDirectory])
            #expect(key.status == 0, "\(key.stderr)")
            publicKey = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs `petitionctl audit verify --json` on `path` and checks the report against its schema.
    func verify(_ path: String, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandOutput {
        let output = try runTool("petitionctl", ["audit", "verify", "--json", "--log", path] + arguments)
        let samples = try SchemaConformanceTests.Samples()
        try samples.add("messages/audit-verify-report", Data(output.stdout.utf8))
        let (status, text) = try SchemaConformanceTests.validate(samples.folder)
        #expect(status == 0, "the report matches Schemas/messages/audit-verify-report.json: \(text)", sourceLocation: sourceLocation)
        return output
    }

    func problem(_ output: CommandOutput) -> (kind: String?, position: Int64?, message: String) {
        let problem = output.json["problem"] as? [String: Any]
        return (problem?["kind"] as? String, (problem?["position"] as? NSNumber)?.int64Value, problem?["message"] as? String ?? "")
    }

    /// Copies `log`'s store file, lets `change` tamper with the copy, verifies the copy with `arguments`,
    /// expects exit status 1, and returns the output with the problem it reports.
    func verifyTampered(_ log: WrittenLog, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
                        change: (TamperedLog) throws -> Void) throws -> (output: CommandOutput, found: (kind: String?, position: Int64?, message: String)) {
        let copy = try TamperedLog(copying: log.system.eventLogPath)
        try change(copy)
        let output = try verify(copy.path, arguments, sourceLocation: sourceLocation)
        #expect(output.status == 1, "\(output.stdout) \(output.stderr)", sourceLocation: sourceLocation)
        return (output, problem(output))
    }

    @Test func anUntouchedLogIsReportedIntactWithItsSignedCheckpoints() throws {
        let log = try WrittenLog()
        let plain = try verify(log.system.eventLogPath)
        #expect(plain.status == 0, "\(plain.stdout) \(plain.stderr)")
        #expect(plain.json["intact"] as? Bool == true)
        let records = try #require((plain.json["records"] as? NSNumber)?.int64Value)
        #expect(records >= log.submissions.last!.position, "every record, checkpoints included")
        let head = try SQLiteEventStore(path: log.system.eventLogPath, readOnly: true).headPosition()
        #expect(records == head, "every record up to the store's head")
        let checkpoints = try #require(plain.json["checkpoints"] as? [String: Any])
        #expect(checkpoints["found"] as? Int ?? 0 >= 2)
        #expect(checkpoints["checkedAgainstOutsideKey"] as? Bool == false)

        let keyed = try verify(log.system.eventLogPath, ["--public-key", log.publicKey])
        #expect(keyed.status == 0, "\(keyed.stdout)")
        #expect((keyed.json["checkpoints"] as? [String: Any])?["checkedAgainstOutsideKey"] as? Bool == true)

        let text = try runTool("petitionctl", ["audit", "verify", "--data-dir", log.system.dataDirectory])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("intact: \(records) records"), "\(text.stdout)")
        #expect(text.stdout.contains("NOT checked against an outside key"), "\(text.stdout)")
    }

    @Test func oneByteAlteredInTheStoreFileIsFoundAtItsRecord() throws {
        let log = try WrittenLog()
        let target = log.submissions[6]
        let (output, found) = try verifyTampered(log) { try $0.alterOneByte(of: target.marker) }
        #expect(found.kind == "altered")
        #expect(found.position == target.position, "\(found.message)")
        #expect((output.json["records"] as? NSNumber)?.int64Value == target.position - 1, "the chain is whole before it")
    }

    @Test func aDeletedRecordIsFoundAsMissingAtItsPosition() throws {
        let log = try WrittenLog()
        let target = log.submissions[4].position
        let (_, found) = try verifyTampered(log) { try $0.execute("DELETE FROM events WHERE position = \(target)") }
        #expect(found.kind == "missing")
        #expect(found.position == target, "\(found.message)")
        #expect(found.message.contains("record \(target) is missing"), "\(found.message)")
    }

    @Test func twoSwappedRecordsAreFoundAtTheFirstOfThem() throws {
        let log = try WrittenLog()
        let first = log.submissions[3].position, second = log.submissions[8].position
        let (_, found) = try verifyTampered(log) { try $0.swap(first, second) }
        #expect(found.kind == "reordered")
        #expect(found.position == first, "\(found.message)")
        #expect(found.message.contains("chained after the record now at position \(second - 1)"), "\(found.message)")
    }

    @Test func aLogRewrittenAndRehashedAfterACheckpointFailsAgainstTheKeptPublicKey() throws {
        let log = try WrittenLog()
        let target = log.submissions[0].position
        let forged = #"{"note":"rewritten"}"#

        // Rewritten and rehashed, the checkpoints left as they were: their signed heads no longer match.
        var (_, found) = try verifyTampered(log, ["--public-key", log.publicKey]) { try $0.rewrite(position: target, data: forged) }
        #expect(found.kind == "checkpoint_mismatch", "\(found.message)")
        #expect(found.message.contains("rewritten after checkpoint record"), "\(found.message)")

        // Rewritten, rehashed and every checkpoint signed again with another key: consistent on its own, refused by the kept key.
        (_, found) = try verifyTampered(log, ["--public-key", log.publicKey]) { resigned in
            try resigned.rewrite(position: target, data: forged, resign: Curve25519.Signing.PrivateKey())
            let output = try verify(resigned.path)
            #expect(output.status == 0, "without an outside key nothing contradicts the rewritten chain: \(output.stdout)")
        }
        #expect(found.kind == "bad_signature")
        #expect(found.message.contains("checkpoint record"), "\(found.message)")
        #expect(found.message.contains("not by the key you gave"), "\(found.message)")
    }

    @Test func recordsRemovedFromTheEndAreFoundWithAKeptCheckpoint() throws {
        let log = try WrittenLog()
        let intact = try verify(log.system.eventLogPath, ["--public-key", log.publicKey])
        let last = try #require((intact.json["checkpoints"] as? [String: Any])?["last"] as? [String: Any])
        let signed = try #require((last["position"] as? NSNumber)?.int64Value)
        let kept = try JSONSerialization.data(withJSONObject: last)
        let keptFile = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString.prefix(8)).json")
        try kept.write(to: keptFile)
        defer { try? FileManager.default.removeItem(at: keptFile) }

        let (_, found) = try verifyTampered(log, ["--public-key", log.publicKey, "--checkpoint", "@\(keptFile.path)"]) { copy in
            try copy.execute("DELETE FROM events WHERE position > \(signed - 3)")
            #expect(try verify(copy.path).status == 0, "what is left of the log is a valid chain on its own")
        }
        #expect(found.kind == "truncated")
        #expect(found.position == signed - 2, "\(found.message)")
    }

    @Test func aMissingStoreFileExitsWithTwoNamingThePath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString.prefix(8))/events.sqlite").path
        let output = try runTool("petitionctl", ["audit", "verify", "--log", path])
        #expect(output.status == 2)
        #expect(output.stderr.contains(path), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }
}
