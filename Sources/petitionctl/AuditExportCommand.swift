import ArgumentParser
import Audit
import Foundation
import Runtime

/// `petitionctl audit export`: the log as CloudEvents JSON Lines or as CSV for Excel, from the store file.
struct AuditExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log out as CloudEvents JSON Lines, or CSV that opens in Excel with Vietnamese text (UTF-8 with BOM).")

    @Option(help: "jsonl or csv.") var format: String
    @Option(help: "Start at this log position.") var fromPosition: Int64 = 1
    @Flag(help: "Add citizens' names, addresses and phones (only for people not erased; the others are marked erased).")
    var revealPersonalData = false
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(help: "Replace --out if it exists.") var force = false
    @Flag(help: "Print a failure as the typed error reply (JSON) on standard output, as every --json command does.") var json = false
    @OptionGroup var audit: AuditOptions

    func validate() throws {
        guard LogExport.Format(rawValue: format) != nil else { throw ValidationError("--format must be jsonl or csv, got \"\(format)\"") }
        guard fromPosition >= 1 else { throw ValidationError("--from-position must be at least 1") }
    }

    func run() throws {
        try reportingFailures(json: json) {
            try OutFile.refuseExisting(out, force: force)
            try export()
        }
    }

    private func export() throws {
        let export = LogExport(format: LogExport.Format(rawValue: format)!, fromPosition: fromPosition, revealPersonalData: revealPersonalData)
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let h = FileHandle(forWritingAtPath: out) else {
                throw CLIError("cannot write \(out): check the folder exists and is writable", exitCode: 2)
            }
            handle = h
        } else {
            handle = .standardOutput
        }
        defer { if out != nil { try? handle.close() } }
        let summary = try export.run(logPath: AuditFiles(dataDirectory: audit.dataDir).eventLog) { try handle.write(contentsOf: $0) }
        var line = "exported \(summary.records) records"
        if let first = summary.firstPosition, let last = summary.lastPosition { line += " (positions \(first)–\(last))" }
        if revealPersonalData { line += "; personal data of \(summary.revealed) records revealed, \(summary.erased) erased" }
        FileHandle.standardError.write(Data((line + (out.map { " to \($0)" } ?? "") + "\n").utf8))
    }
}

