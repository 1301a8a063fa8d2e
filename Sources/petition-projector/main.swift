import ArgumentParser
import Runtime

/// Keeps the outstanding-items read model and answers queries.
@main
struct PetitionProjector: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition-projector",
        abstract: "Follow the gateway's events into the read models and answer queries.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let logger = options.bootstrapLogging(label: "petition.projector")
        try await ProcessRunner.runProjector(try options.processOptions, logger: logger)
    }
}
