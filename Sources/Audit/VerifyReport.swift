import EventSourcing
import Foundation

/// What `petitionctl audit verify` found: the log intact up to its head, or the first problem by position.
public struct VerifyReport: Sendable {
    /// The store file verified.
    public var file: String
    /// Records verified in order from position 1 (all of them when intact).
    public var records: Int64
    /// The recomputed hash of record `records` (32 zero bytes when there is none).
    public var headHash: Data
    /// The first problem; nil when the log is intact.
    public var problem: ChainProblem?
    public var checkpoints: CheckpointSummary

    public init(file: String, records: Int64, headHash: Data, problem: ChainProblem?, checkpoints: CheckpointSummary) {
        self.file = file
        self.records = records
        self.headHash = headHash
        self.problem = problem
        self.checkpoints = checkpoints
    }

    /// Whether the whole chain verified and every checkpoint matched.
    public var isIntact: Bool { problem == nil }

    /// The report as a JSON object (`Schemas/messages/audit-verify-report.json`).
    public var jsonObject: [String: Any] {
        var cp: [String: Any] = [
            "found": checkpoints.found,
            "checkedAgainstOutsideKey": checkpoints.checkedAgainstOutsideKey,
            "publicKey": checkpoints.publicKey ?? NSNull(),
            "signers": checkpoints.signers,
            "outside": checkpoints.outside,
            "last": NSNull(),
        ]
        if let last = checkpoints.last {
            cp["last"] = ["record": last.record, "position": last.checkpoint.position, "head": last.checkpoint.head,
                          "publicKey": last.checkpoint.publicKey, "signature": last.checkpoint.signature] as [String: Any]
        }
        return [
            "intact": isIntact,
            "file": file,
            "records": records,
            "head": ["position": records, "hash": Hex.encode(headHash)] as [String: Any],
            "problem": problem.map { ["kind": $0.kind.rawValue, "position": $0.position, "message": $0.message] as [String: Any] } ?? NSNull(),
            "checkpoints": cp,
            "message": headline,
        ]
    }

    /// The report as JSON text, keys sorted.
    public var json: String {
        // Plain strings, numbers and booleans: serializing cannot fail.
        let data = try! JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// One line: intact, or where and why not.
    public var headline: String {
        if let problem { return "BROKEN at record \(problem.position) (\(problem.kind.rawValue)): \(problem.message)" }
        return "intact: \(records) record\(records == 1 ? "" : "s"), head \(records), hash \(Hex.encode(headHash))"
    }

    /// The report for a person.
    public var text: String {
        var lines = [headline]
        if problem != nil {
            lines.append("verified \(records) record\(records == 1 ? "" : "s") in order before stopping (the chain is whole up to record \(records))")
        }
        lines.append(checkpointLine)
        return lines.joined(separator: "\n")
    }

    private var checkpointLine: String {
        let found = checkpoints.found
        var line = found == 0 ? "checkpoints: none in the log" : "checkpoints: \(found) in the log"
        if let last = checkpoints.last {
            line += ", the last matching one signs record \(last.checkpoint.position) (in record \(last.record))"
        }
        if checkpoints.outside > 0 { line += "; \(checkpoints.outside) given from outside" }
        if let key = checkpoints.publicKey {
            line += "; signatures checked against the key you gave (\(key.prefix(16))…)"
        } else if found > 0 || checkpoints.outside > 0 {
            line += "; NOT checked against an outside key (each was checked only against the key it names: give --public-key with the key you kept outside the system)"
        }
        return line
    }
}
