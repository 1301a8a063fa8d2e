import ArgumentParser
import Foundation

/// `petitionctl audit …`: inspectors' tools that read the store file directly, so they work while the system is down.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the log, rebuild views as of any moment, export the log.",
        subcommands: [AuditRebuildCommand.self])
}

/// Options every audit command takes.
struct AuditOptions: ParsableArguments {
    @Option(name: .long, help: "The system's data folder (the one `up --data-dir` uses).")
    var dataDir: String = "data"
}
