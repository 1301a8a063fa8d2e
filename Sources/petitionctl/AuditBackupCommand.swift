import ArgumentParser
import Audit
import Foundation
import Runtime

/// `petitionctl audit backup`: a consistent, compact copy of the event log, safe while the system runs.
struct AuditBackup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the event log into a new file (consistent while the system runs; nothing already erased is carried over).",
        discussion: """
            --out FILE writes one file. --into DIR is for a schedule (deploy/systemd/petition-backup.timer): each run \
            writes DIR/events-<UTC time>.sqlite, checks the copy's hash chain, and with --keep N removes the oldest \
            copies beyond the newest N. A copy whose chain does not verify is removed and the command fails.
            """)

    @Option(help: "The backup file to create (it must not exist, unless --force).") var out: String?
    @Option(help: "A folder for dated copies, events-<UTC time>.sqlite (created, mode 0700, if missing); the copy is verified.") var into: String?
    @Option(help: "With --into: keep only the newest N copies in the folder.") var keep: Int?
    @Flag(help: "Replace --out if it exists (the new copy is written beside it first, then renamed over it).") var force = false
    @Flag(help: "Print machine-readable JSON.") var json = false
    @OptionGroup var audit: AuditOptions

    func validate() throws {
        switch (out, into) {
        case (nil, nil): throw ValidationError("give --out FILE, or --into DIR for dated copies")
        case (_?, _?): throw ValidationError("give --out or --into, not both")
        default: break
        }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1, got \(keep)") }
        if keep != nil, into == nil { throw ValidationError("--keep goes with --into") }
        if force, into != nil { throw ValidationError("--force goes with --out (--into never overwrites)") }
    }

    /// What a scheduled copy reports besides the copy itself.
    struct Scheduled: Encodable {
        var file: String, bytes: Int64, position: Int64
        var verified: Bool
        var removed: [String]
    }

    func run() throws {
        try reportingFailures(json: json) {
            let log = audit.files.eventLog
            if let into { return try scheduled(log: log, folder: into) }
            guard let out else { return }
            try OutFile.refuseExisting(out, force: force)
            let exists = FileManager.default.fileExists(atPath: out)
            let target = exists ? out + ".new-\(UUID().uuidString.prefix(8))" : out
            var summary = try LogBackup.run(logPath: log, to: target)
            if exists {
                guard rename(target, out) == 0 else { throw CLIError("cannot replace \(out) with \(target): \(String(cString: strerror(errno)))", exitCode: 2) }
                summary.file = out
            }
            if json {
                print(Self.encoded(summary))
            } else {
                print("backed up the log through position \(summary.position) into \(summary.file) (\(summary.bytes) bytes); check it with `petitionctl audit verify --log \(summary.file)`")
            }
        }
    }

    /// A dated copy in `folder`, verified, then the oldest beyond `keep` removed.
    private func scheduled(log: String, folder: String) throws {
        let files = FileManager.default
        if !files.fileExists(atPath: folder) {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withYear, .withMonth, .withDay, .withTime, .withTimeZone])
            .replacingOccurrences(of: ":", with: "")
        let file = (folder as NSString).appendingPathComponent("events-\(stamp).sqlite")
        let summary = try LogBackup.run(logPath: log, to: file)
        let report = try ChainVerifier(path: file).run()
        guard report.isIntact, report.records == summary.position else {
            try? files.removeItem(atPath: file)
            throw CLIError("the copy of the log did not verify and was removed: \(report.headline)", exitCode: 1)
        }
        var removed: [String] = []
        if let keep {
            // The names sort by time: the oldest first.
            let copies = try files.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("events-") && $0.hasSuffix(".sqlite") }.sorted()
            for name in copies.dropLast(keep) {
                let path = (folder as NSString).appendingPathComponent(name)
                try files.removeItem(atPath: path)
                removed.append(path)
            }
        }
        if json {
            print(Self.encoded(Scheduled(file: file, bytes: summary.bytes, position: summary.position, verified: true, removed: removed)))
        } else {
            print("đã sao lưu sổ sự kiện đến vị trí \(summary.position) vào \(file) (\(summary.bytes) byte), chuỗi băm đã kiểm tra nguyên vẹn"
                  + (removed.isEmpty ? "" : "; đã xóa \(removed.count) bản cũ") + " / backed up through position \(summary.position), verified")
        }
    }

    static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
