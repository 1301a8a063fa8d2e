import ArgumentParser
import Audit
import EventSourcing
import EventStorePostgres
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

    @Option(name: .long, help: "The event log in PostgreSQL, postgresql://user@host:port/database, instead of the data folder's events.sqlite (default PETITION_STORE; personal-data keys from PETITION_KEK).")
    var store: String?

    /// Where this audit reads.
    var files: AuditFiles { AuditFiles(dataDirectory: dataDir, store: EventLogLocation.store(store)) }
}

/// Runs an audit, reporting a failure through ``failed(_:json:)``: one line `error: …` on standard error and, with
/// `--json`, the typed error reply on standard output (Schemas/messages/error-reply.json). Exit code 2 and code
/// `unavailable` when the audit could not be done (``AuditError``: a file cannot be read or written, or what was asked
/// cannot be given; any unforeseen error too), a ``CLIError``'s own otherwise. Exit code 1 is left to what an audit
/// finds (a difference, a broken chain), which the audit reports itself.
func reportingFailures(json: Bool, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CLIError {
        throw failed(error, json: json)
    } catch let error as AuditError {
        throw failed(CLIError(error.message, exitCode: 2, code: .unavailable), json: json)
    } catch let error as EventStoreError {
        // What the store says it could not do, and why (the server's own words for PostgreSQL).
        throw failed(CLIError(error.debugDescription, exitCode: 2, code: .unavailable), json: json)
    } catch {
        throw failed(CLIError("\(error)", exitCode: 2, code: .unavailable), json: json)
    }
}
