import ArgumentParser
import HTTPAPI
import Runtime

/// The HTTP door: a REST API for every front end, acting on behalf of the officials it authenticates.
@main
struct PetitionAPIServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition-api",
        abstract: "Serve the HTTP API (/api/v1): logins, commands and queries on behalf of the official logged in.")

    @OptionGroup var options: ServerOptions

    @Option(help: "The HTTP port.") var httpPort: Int = 8080
    @Option(help: "The address the HTTP server binds (default: loopback; put a TLS proxy in front of anything else).") var httpHost: String = "127.0.0.1"
    @Flag(help: "Mark the session cookie Secure (behind HTTPS).") var secureCookies = false

    func validate() throws {
        guard (1...65535).contains(httpPort) else { throw ValidationError("--http-port must be between 1 and 65535") }
    }

    func run() async throws {
        let logger = options.bootstrapLogging(label: "petition.api")
        try await APIServer.run(try options.processOptions, httpHost: httpHost, httpPort: httpPort, secureCookies: secureCookies, logger: logger)
    }
}
