import ArgumentParser
import Audit
import Foundation
import Runtime

/// `petitionctl audit …`: inspectors' tools that read the store file directly, so they work while the system is down.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the log, rebuild views as of any moment, export the log.",
        subcommands: [AuditVerify.self, AuditCheckpointKey.self, AuditRebuildCommand.self, AuditExport.self, AuditBackup.self])
}

/// Options every audit command takes.
struct AuditOptions: ParsableArguments {
    @Option(name: .long, help: "The system's data folder (the one `up --data-dir` uses).")
    var dataDir: String = "data"
}

/// Runs an audit, printing a failure as one line `error: …` with exit code 2 (the audit could not run).
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as AuditError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(2)
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        throw ExitCode(error.exitCode)
    }
}
