import ArgumentParser
import Runtime

/// The only writer of the log: decides commands, group-commits them, publishes events.
@main
struct PetitionGateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition-gateway",
        abstract: "Decide and append commands; publish committed events; serve history.")

    @OptionGroup var options: ServerOptions
    @OptionGroup var checkpoints: CheckpointOptions

    func run() async throws {
        let logger = options.bootstrapLogging(label: "petition.gateway")
        try await ProcessRunner.runGateway(try options.processOptions, checkpoints: checkpoints, logger: logger)
    }
}
