import ArgumentParser
import Delivery
import Foundation
import Runtime
import Workers

/// Delivers escalation alerts to a webhook, e-mail and a log file, and records each delivery in the log.
@main
struct PetitionNotifier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition-notifier",
        abstract: "Deliver escalation alerts (webhook, e-mail, log file) and record each delivery in the log.")

    @OptionGroup var options: ServerOptions

    @Option(help: "POST each alert as JSON to this http:// URL (with an Idempotency-Key header).") var webhook: String?
    @Option(help: "Send e-mail through this SMTP server, host:port.") var smtp: String?
    @Option(help: "The sender address of alert e-mails.") var smtpFrom: String = "petition-notifier@localhost"
    @Option(help: "Recipients for units that list no alertEmails in units.json (repeatable).") var emailTo: [String] = []
    @Option(help: "Append each alert as a JSON line to this file (default <data-dir>/alerts.log; \"none\" turns it off).") var alertLog: String?
    @Option(help: "The first retry's delay in milliseconds; it doubles per attempt up to 5 minutes.") var retryInitialMs: Int = 1000

    func validate() throws {
        guard (1...600_000).contains(retryInitialMs) else { throw ValidationError("--retry-initial-ms must be between 1 and 600000") }
        if let smtp { _ = try Self.hostPort(smtp) }
    }

    static func hostPort(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw ValidationError("--smtp must be host:port, got \"\(text)\"")
        }
        return (String(text[..<colon]), port)
    }

    func run() async throws {
        let logger = options.bootstrapLogging(label: "petition.notifier")
        let process = try options.processOptions
        var sinks = NotifierSinks(defaultRecipients: emailTo)
        do {
            if let webhook { sinks.webhook = try WebhookSink(url: webhook) }
            if let smtp {
                let (host, port) = try Self.hostPort(smtp)
                sinks.smtp = (host, port, smtpFrom)
            }
            let logPath = alertLog ?? (process.dataDirectory as NSString).appendingPathComponent("alerts.log")
            if logPath != "none" {
                try process.prepareDataDirectory()
                sinks.file = try FileSink(path: logPath)
            }
        } catch let error as DeliveryError {
            throw ValidationError(error.description)
        }
        try await ProcessRunner.runNotifier(process, sinks: sinks, backoff: Backoff(initial: .milliseconds(retryInitialMs)), logger: logger)
    }
}
