import ArgumentParser
import Audit
import Foundation

/// `petitionctl audit backup`: a consistent, compact copy of the event log, safe while the system runs.
struct AuditBackup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the event log into a new file (consistent while the system runs; nothing already erased is carried over).")

    @Option(help: "The backup file to create (it must not exist).") var out: String
    @Flag(help: "Print machine-readable JSON.") var json = false
    @OptionGroup var audit: AuditOptions

    func run() throws {
        try reportingFailures {
            let summary = try LogBackup.run(logPath: AuditFiles(dataDirectory: audit.dataDir).eventLog, to: out)
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
