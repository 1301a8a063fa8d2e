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

/// Runs an audit, printing a failure as one line `error: …` on standard error: exit code 2 when the audit could not be
/// done (``AuditError``: a file cannot be read or written, or what was asked cannot be given; any unforeseen error too),
/// a ``CLIError``'s own code otherwise. Exit code 1 is left to what an audit finds (a difference, a broken chain).
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        throw ExitCode(error.exitCode)
    } catch let error as AuditError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        throw ExitCode(2)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}
