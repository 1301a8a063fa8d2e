import ArgumentParser
import EventStorePostgres
import Foundation
import Messaging
import Runtime
import ZeroMQ

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the whole system (gateway, projector, escalator, notifier, HTTP API) on the embedded store, or on PostgreSQL with --store; Ctrl-C stops it.")

    @Option(help: "Folder holding the event log, read models and logs.") var dataDir: String = "data"
    @Option(help: "First of the four consecutive ports (default 7400, or PETITION_BASE_PORT).") var basePort: Int?
    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(help: "The HTTP API's port (default 8080, or PETITION_HTTP_PORT; with --base-port B, 8080 + B − 7400).") var httpPort: Int?
    @Option(help: "The notifier POSTs alerts to this http:// URL.") var webhook: String?
    @Option(help: "The notifier sends alert e-mails through this SMTP server, host:port.") var smtp: String?
    @Option(help: "Alert e-mail recipients for units that list none in units.json (repeatable).") var emailTo: [String] = []
    @Flag(help: "Load the demo data set (a district of 30 communes, ~900 petitions); loading twice appends once.") var demo = false
    @Option(help: "Keep the event log in PostgreSQL, postgresql://user@host:port/database (default: events.sqlite in the data folder).") var store: String?
    @Option(help: "The processes' logs (in <data-dir>/logs): text, or json (one JSON object a line, for a log shipper).") var logFormat: String = "text"
    @OptionGroup(title: "Signed checkpoints (passed on to the gateway)") var checkpoints: CheckpointOptions

    func validate() throws {
        _ = try HTTPPort.resolve(httpPort, basePort: try BasePort.resolve(basePort))
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json, got \"\(logFormat)\"") }
        if let store {
            do { _ = try PostgresLocation(store) } catch { throw ValidationError("--store: \(error.message)") }
        }
    }

    func run() async throws {
        let endpoints = Endpoints(host: host, basePort: try BasePort.resolve(basePort))
        var notifier: [String] = []
        if let webhook { notifier += ["--webhook", webhook] }
        if let smtp { notifier += ["--smtp", smtp] }
        for address in emailTo { notifier += ["--email-to", address] }
        var extra = ["petition-gateway": checkpoints.arguments, "petition-notifier": notifier]
        for name in Supervisor.childNames { extra[name, default: []] += ["--log-format", logFormat] }
        let supervisor = Supervisor(options: ProcessOptions(dataDirectory: dataDir, endpoints: endpoints, store: store),
                                    httpPort: try HTTPPort.resolve(httpPort, basePort: endpoints.basePort), extraArguments: extra)
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = StopFlag()
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        do {
            if demo { try DemoData.prepareConfig(at: supervisor.configDirectory) }
            try supervisor.start(interrupted: { stop.isSet })
            for (name, endpoint) in endpoints.all { say("\(name): \(endpoint)") }
            say("http: \(supervisor.apiURL)")
            say("web: \(supervisor.apiURL.dropLast("api/v1".count)) (the officials' pages, in Vietnamese)")
            let keyFiles = CurveKeyFiles(dataDirectory: dataDir)
            say("data: \(dataDir)")
            say("servers' keys: \(keyFiles.serversPath) (every client pins them: give this file with --servers or PETITION_SERVERS)")
            if FileManager.default.fileExists(atPath: keyFiles.administratorPath) {
                say("administrator: \(keyFiles.administratorPath) (the first administrator's identity: --identity or PETITION_IDENTITY; keep it safe)")
            }
            say("config: \(supervisor.configDirectory)")
            say("logs: \(Supervisor.childNames.map { supervisor.logPath($0) }.joined(separator: ", "))")
            if demo {
                let context = try ZMQContext()
                defer { context.terminate() }
                let access = try keyFiles.access(for: "petition-gateway").access
                let loaded = try DemoData.load(context: context, endpoints: endpoints.with(access), identitiesFolder: keyFiles.identitiesFolder,
                                               administrator: try IdentityFiles.read(keyFiles.administratorPath))
                say("demo: \(loaded.sessions) sessions, \(loaded.petitions) petitions in \(DemoData.communes.count) communes of \(DemoData.district); log head \(loaded.head)")
                say("demo identities: \(keyFiles.identitiesFolder) (who is who: \(keyFiles.identitiesFolder)/README)")
                let accounts = try DemoAccounts.write(loaded.officials, dataDirectory: dataDir, identitiesFolder: keyFiles.identitiesFolder)
                say("demo logins: \(accounts) (each demo official's login and password for the HTTP API)")
            }
        } catch let error as CLIError {
            supervisor.stop()
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        } catch {
            supervisor.stop()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        say("ready")
        while !stop.isSet {
            supervisor.superviseOnce { line in
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        say("stopping")
        supervisor.stop()
        say("stopped")
    }
}

/// Set once from a signal handler, read by the supervising loop.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// Writes a line to standard output at once (a script may be waiting for "ready").
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
