import ArgumentParser
import Audit
import Foundation
import Runtime

/// `petitionctl audit backup`: a consistent, compact copy of the event log, safe while the system runs.
struct AuditBackup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the event log into a new file (consistent while the system runs; nothing already erased is carried over).")

    @Option(help: "The backup file to create (it must not exist, unless --force).") var out: String
    @Flag(help: "Replace --out if it exists (the new copy is written beside it first, then renamed over it).") var force = false
    @Flag(help: "Print machine-readable JSON.") var json = false
    @OptionGroup var audit: AuditOptions

    func run() throws {
        try reportingFailures(json: json) {
            try OutFile.refuseExisting(out, force: force)
            let exists = FileManager.default.fileExists(atPath: out)
            let target = exists ? out + ".new-\(UUID().uuidString.prefix(8))" : out
            var summary = try LogBackup.run(logPath: AuditFiles(dataDirectory: audit.dataDir).eventLog, to: target)
            if exists {
                guard rename(target, out) == 0 else { throw CLIError("cannot replace \(out) with \(target): \(String(cString: strerror(errno)))", exitCode: 2) }
                summary.file = out
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print("backed up the log through position \(summary.position) into \(summary.file) (\(summary.bytes) bytes); check it with `petitionctl audit verify --log \(summary.file)`")
            }
        }
    }
}
