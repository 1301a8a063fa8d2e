import ArgumentParser
import Foundation
import Messaging
import PetitionDomain
import Runtime

/// The command-line front of the system: start it, record, query.
@main
struct Petitionctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petitionctl",
        abstract: "Record and follow up petitions raised at dialogue conferences.",
        subcommands: [Up.self, SessionGroup.self, Submit.self, Answer.self, Refer.self, Resolve.self,
                      Feedback.self, Accept.self, Extend.self, Reassign.self, Reopen.self, Note.self, Withdraw.self, Merge.self, UnitGroup.self, DepartmentGroup.self, OfficialGroup.self,
                      Outstanding.self, Show.self, ResponsibilityCommand.self, AlertsCommand.self, SessionsCommand.self, AuditCommand.self, ReportCommand.self, PersonGroup.self, SearchCommand.self, Status.self, Migrate.self])
}

/// Options every client command takes.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "First of the system's four ports (default 7400, or PETITION_BASE_PORT).")
    var basePort: Int?

    @Option(name: .long, help: "Host the system listens on (the gateway's).")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The projector's host, when it runs apart from the gateway (default: --host).")
    var projectorHost: String?

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    @Option(name: .long, help: "How long to wait for a reply, in milliseconds.")
    var timeoutMs: Int = 10_000

    @Option(name: .long, help: "Your identity file (made by `petitionctl official add`; the first administrator's is DATA/identities/administrator.json); default PETITION_IDENTITY.")
    var identity: String?

    @Option(name: .long, help: "The servers' public keys (servers.json in the system's data folder); default PETITION_SERVERS, else data/servers.json.")
    var servers: String?

    mutating func validate() throws {
        _ = try BasePort.resolve(basePort)
        guard timeoutMs > 0 else { throw ValidationError("--timeout-ms must be positive") }
    }

    func client() throws -> CLIClient {
        let env = ProcessInfo.processInfo.environment
        let endpoints = Endpoints(host: host, basePort: try BasePort.resolve(basePort), projectorHost: projectorHost)
        let access: CurveAccess
        do {
            guard let path = identity ?? env["PETITION_IDENTITY"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw CLIError("who are you? Give --identity FILE or set PETITION_IDENTITY: the identity file an administrator made for you with `petitionctl official add` (the first administrator's is DATA/identities/administrator.json)", exitCode: 2, code: .invalidInput)
            }
            let own = try IdentityFiles.read(path)
            let serverKeys = try CurveKeyFiles.readServers(servers ?? env["PETITION_SERVERS"].flatMap { $0.isEmpty ? nil : $0 } ?? "data/servers.json")
            access = CurveAccess(own: own.keys!, servers: serverKeys)
        } catch let error as CLIError {
            return try CLIClient(endpoints: endpoints, timeoutMs: timeoutMs, unauthenticated: error)
        }
        return try CLIClient(endpoints: endpoints.with(access), timeoutMs: timeoutMs)
    }
}

/// Options every write command takes.
struct WriteOptions: ParsableArguments {
    @Option(name: .long, help: "When it happened (19/03/2026, 19/03/2026 08:00 in Vietnam time, YYYY-MM-DD or RFC 3339); default now, but a petition and its on-site answer default to their conference's time. Deadlines run from it.")
    var occurredAt: String?

    @Option(name: .long, help: "Idempotency key: the same id twice appends once and gets the same reply. Generated when absent.")
    var commandId: String?

    /// The request for `command` (who sends it is the identity the connection authenticates with, never an option);
    /// `occurredAt` is the command's own time option if it has one.
    func request<H: CommandHandler>(_ command: H, occurredAt own: Date? = nil) throws -> CommandRequest {
        let when = try own ?? occurredAt.map { try TimeInput.instant($0, option: "--occurred-at") }
        return CommandRequest(commandId: commandId ?? UUID().uuidString.lowercased(), occurredAt: when, command)
    }
}

/// Runs a client action, printing its result or a one-line error with the right exit code.
func perform(_ options: ClientOptions, _ action: (CLIClient) throws -> (json: Any, text: String)) throws {
    do {
        let client = try options.client()
        let (json, text) = try action(client)
        print(options.json ? CLIClient.json(json) : text)
    } catch let error as CLIError {
        throw failed(error, json: options.json)
    }
}

/// Reports `error`: one line on standard error, and with `--json` the typed error reply on standard output
/// (the gateway's shape, Schemas/messages/error-reply.json); returns the exit code to throw.
func failed(_ error: CLIError, json: Bool) -> ExitCode {
    if json { print(CLIClient.json(error.reply)) }
    FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
    return ExitCode(error.exitCode)
}
