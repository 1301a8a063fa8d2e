import ArgumentParser
import EventSourcing
import Foundation
import Runtime

/// Watches deadlines and raises warnings, overdue alerts and escalations through the gateway.
@main
struct PetitionEscalator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition-escalator",
        abstract: "Watch referral deadlines: warn the holder, alert the chair when overdue, escalate to the level above.")

    @OptionGroup var options: ServerOptions

    @Option(help: "Read the current time from this file (an RFC 3339 instant) instead of the system clock; for tests and drills.")
    var clockFile: String?

    @Option(help: "How often to look for rungs that fell due, in milliseconds.")
    var tickMs: Int = 1000

    func validate() throws {
        guard (10...60_000).contains(tickMs) else { throw ValidationError("--tick-ms must be between 10 and 60000") }
    }

    func run() async throws {
        let logger = options.bootstrapLogging(label: "petition.escalator")
        let clock: @Sendable () -> Date?
        if let clockFile {
            clock = {
                guard let data = FileManager.default.contents(atPath: clockFile) else { return nil }
                return Timestamp.parse(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            }
        } else {
            clock = { Date() }
        }
        try await ProcessRunner.runEscalator(try options.processOptions, clock: clock, tickMs: tickMs, logger: logger)
    }
}
