import EventSourcing
import Foundation
import Messaging
import PetitionDomain

/// The log written out for inspectors: CloudEvents JSON Lines, or CSV that Excel opens with Vietnamese text intact.
///
/// Reads the store file directly (read-only), so it works with the system down. Personal data is
/// added only when asked (`revealPersonalData`), and only for people whose key still exists: the
/// others are marked `erased`.
public struct LogExport {
    public enum Format: String, CaseIterable, Sendable {
        /// One CloudEvents 1.0 JSON object per line, exactly as on the wire.
        case jsonl
        /// UTF-8 with a byte order mark, CRLF line ends, RFC 4180 quoting, one row per record.
        case csv
    }

    public var format: Format
    public var fromPosition: Int64 = 1
    public var revealPersonalData = false

    public init(format: Format, fromPosition: Int64 = 1, revealPersonalData: Bool = false) {
        self.format = format
        self.fromPosition = fromPosition
        self.revealPersonalData = revealPersonalData
    }

    /// The CSV header.
    public static let csvColumns = ["position", "time", "recordedat", "type", "subject", "streamversion", "actor", "commandid",
                                    "petitionid", "data", "id", "previoushash", "hash"]
    /// Added to the CSV header with `revealPersonalData`.
    public static let personalColumns = ["personaldata", "citizenname", "citizenaddress", "citizenphone"]

    /// What an export wrote.
    public struct Summary: Sendable, Encodable {
        public var records: Int64
        public var firstPosition: Int64?
        public var lastPosition: Int64?
        /// Records whose citizen's data was written out.
        public var revealed: Int64
        /// Records whose citizen was forgotten: marked `erased`, nothing written.
        public var erased: Int64
    }

    /// Writes the records of the log at `logPath` from `fromPosition` to `output`, in chunks.
    public func run(logPath: String, to output: (Data) throws -> Void) throws -> Summary {
        let log = try AuditFiles.openLog(logPath)
        var summary = Summary(records: 0, revealed: 0, erased: 0)
        var buffer = ""
        if format == .csv {
            buffer = "\u{FEFF}" + (Self.csvColumns + (revealPersonalData ? Self.personalColumns : [])).joined(separator: ",") + "\r\n"
        }
        let keys = revealPersonalData ? try log.keys() : [:]
        try log.forEach(from: fromPosition) { record in
            var person: Personal?
            if revealPersonalData { person = try personalData(of: record, keys: keys) }
            switch person {
            case .revealed?: summary.revealed += 1
            case .erased?: summary.erased += 1
            case nil: break
            }
            switch format {
            case .jsonl: buffer += Self.jsonLine(record, person) + "\n"
            case .csv: buffer += Self.csvRow(record, person, revealColumns: revealPersonalData) + "\r\n"
            }
            summary.records += 1
            summary.firstPosition = summary.firstPosition ?? record.position
            summary.lastPosition = record.position
            if buffer.utf8.count >= 1 << 20 {
                try output(Data(buffer.utf8))
                buffer = ""
            }
        }
        if !buffer.isEmpty { try output(Data(buffer.utf8)) }
        return summary
    }

    /// A record's citizen, when it carries one: their data opened with their key, or erased.
    enum Personal {
        case revealed(PersonalData)
        case erased
    }

    private func personalData(of record: RecordedEvent, keys: [String: Data]) throws -> Personal? {
        // Only records that carry a citizen are decoded at all.
        guard let sealed = try SealedPersonalData.carried(by: record) else { return nil }
        guard let key = keys[sealed.personId], let data = PersonalDataVault.open(sealed, key: key) else { return .erased }
        return .revealed(data)
    }

    static func jsonLine(_ record: RecordedEvent, _ person: Personal?) -> String {
        let line = CloudEvent.json(record)
        guard let person else { return line }
        // CloudEvents extension attributes (lower-case names, string values), before `data`.
        var extra = ""
        switch person {
        case .erased: extra = ",\"personaldata\":\"erased\""
        case .revealed(let p):
            extra = ",\"personaldata\":\"revealed\",\"citizenname\":"
            JSONText.appendString(p.name, to: &extra)
            if let address = p.address { extra += ",\"citizenaddress\":"; JSONText.appendString(address, to: &extra) }
            if let phone = p.phone { extra += ",\"citizenphone\":"; JSONText.appendString(phone, to: &extra) }
        }
        let cut = line.range(of: ",\"data\":")!.lowerBound
        return String(line[..<cut]) + extra + String(line[cut...])
    }

    static func csvRow(_ r: RecordedEvent, _ person: Personal?, revealColumns: Bool) -> String {
        var fields = [String(r.position), Timestamp.format(r.occurredAt), Timestamp.format(r.recordedAt), r.type, r.stream.description,
                      String(r.streamVersion), r.metadata.actor, r.metadata.commandId, r.stream.category == "petition" ? r.stream.id : "",
                      r.data, r.id, r.previousHash.hex, r.hash.hex]
        if revealColumns {
            switch person {
            case .revealed(let p)?: fields += ["revealed", p.name, p.address ?? "", p.phone ?? ""]
            case .erased?: fields += ["erased", "", "", ""]
            case nil: fields += ["", "", "", ""]
            }
        }
        return fields.map { csvField($0) }.joined(separator: ",")
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled. A text that a spreadsheet
    /// would take for a formula (= + - @ first) is prefixed with an apostrophe, so opening the file runs nothing.
    /// `separator` is the field separator the file uses (a comma here, a tab in ``ExcelText``).
    static func csvField(_ text: String, separator: Unicode.Scalar = ",") -> String {
        var t = text
        if let first = t.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Int64(t) == nil { t = "'" + t }
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard t.unicodeScalars.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
