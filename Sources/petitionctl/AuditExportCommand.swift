import ArgumentParser
import Audit
import Foundation
import EventSourcing
import Messaging
import PetitionDomain
import Runtime

/// `petitionctl audit export`: the log as CloudEvents JSON Lines or as CSV for Excel, from the store file.
struct AuditExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log out as CloudEvents JSON Lines, or CSV that opens in Excel with Vietnamese text (UTF-8 with BOM).")

    @Option(help: "jsonl or csv.") var format: String
    @Option(help: "Start at this log position.") var fromPosition: Int64 = 1
    @Flag(help: "Add citizens' names, addresses and phones (only for people not erased; the others are marked erased). Needs the administrator's --identity and a --purpose, and the system running: the reveal is recorded in the log first.")
    var revealPersonalData = false
    @Option(help: "With --reveal-personal-data: the administrator's identity file (default PETITION_IDENTITY).") var identity: String?
    @Option(help: "With --reveal-personal-data: why every citizen is revealed (recorded with the reveal).") var purpose: String?
    @Option(help: "With --reveal-personal-data: the running system's base port (default 7400, or PETITION_BASE_PORT).") var basePort: Int?
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

    /// Records the reveal of every citizen (`access.recorded.v1`, by the administrator) through the running gateway,
    /// with the gateway's own key from the data folder (whoever exports holds the folder): what is not recorded is not revealed.
    private func recordReveal() throws {
        let env = ProcessInfo.processInfo.environment
        guard let path = identity ?? env["PETITION_IDENTITY"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw CLIError("revealing every citizen's personal data needs the administrator's identity: give --identity FILE (or PETITION_IDENTITY)", exitCode: 2, code: .notPermitted)
        }
        guard let purpose, !purpose.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError("say why every citizen is revealed: --purpose TEXT (it is recorded with the reveal)", exitCode: 1, code: .invalidInput)
        }
        let files = audit.files
        let own = try IdentityFiles.read(path)
        let (registry, _) = try ProcessRunner.registry(inLogAt: files.eventLog)
        guard let official = registry.official(holding: own.publicKey), official.roles.contains(.administrator) else {
            throw CLIError("\(path) is not the identity of an administrator in office: only an administrator reveals every citizen", exitCode: 2, code: .notPermitted)
        }
        let keyFiles = CurveKeyFiles(dataDirectory: audit.dataDir)
        guard FileManager.default.fileExists(atPath: keyFiles.serversPath) else {
            throw CLIError("the system has never run on \(audit.dataDir): start it (`petitionctl up`), so that the reveal can be recorded", exitCode: 2, code: .notRunning)
        }
        let access = try keyFiles.access(for: "petition-gateway").access
        let client = try CLIClient(endpoints: Endpoints(basePort: try BasePort.resolve(basePort), curve: access))
        let people = try AuditFiles.openLog(files.eventLog).keys().count
        let accessed = PersonalDataAccessed(officialId: official.officialId, access: .reveal, stream: "audit-export", personIds: [],
                                            purpose: "\(purpose) (audit export: every citizen whose key exists, \(people) people)")
        do {
            _ = try client.command(CommandRequest(commandId: RandomId.make(), occurredAt: nil, Commands.RecordAccess(accessed)))
        } catch let error as CLIError {
            throw CLIError("the reveal could not be recorded, so nothing is revealed: \(error.message)", exitCode: error.exitCode, code: error.code)
        }
    }

    private func export() throws {
        if revealPersonalData { try recordReveal() }
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
        let summary = try export.run(logPath: audit.files.eventLog) { try handle.write(contentsOf: $0) }
        var line = "exported \(summary.records) records"
        if let first = summary.firstPosition, let last = summary.lastPosition { line += " (positions \(first)–\(last))" }
        if revealPersonalData { line += "; personal data of \(summary.revealed) records revealed, \(summary.erased) erased" }
        FileHandle.standardError.write(Data((line + (out.map { " to \($0)" } ?? "") + "\n").utf8))
    }
}

