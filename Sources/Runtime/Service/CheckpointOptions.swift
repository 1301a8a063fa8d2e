import ArgumentParser
import Foundation

/// The gateway's signed checkpoint options: how often it signs the log's head.
public struct CheckpointOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Sign a checkpoint of the log's head every N records (0: never by count).")
    public var checkpointEveryRecords: Int64 = 10_000

    @Option(name: .long, help: "Sign a checkpoint at least this often, in seconds, when the head moved (0: never by time).")
    public var checkpointEverySeconds: Double = 3600

    public init() {}

    /// Checkpoints with explicit intervals (tests, benchmarks).
    public init(everyRecords: Int64, everySeconds: Double) {
        checkpointEveryRecords = everyRecords
        checkpointEverySeconds = everySeconds
    }

    public mutating func validate() throws {
        guard checkpointEveryRecords >= 0 else { throw ValidationError("--checkpoint-every-records must be 0 (never) or more") }
        guard checkpointEverySeconds >= 0, checkpointEverySeconds.isFinite else {
            throw ValidationError("--checkpoint-every-seconds must be 0 (never) or a positive number of seconds")
        }
    }

    /// The options as the gateway's command line takes them: what `petitionctl up` passes on to the gateway it starts.
    public var arguments: [String] {
        ["--checkpoint-every-records", String(checkpointEveryRecords), "--checkpoint-every-seconds", String(checkpointEverySeconds)]
    }

    /// Whether checkpoints are signed at all.
    public var isEnabled: Bool { checkpointEveryRecords > 0 || checkpointEverySeconds > 0 }
}
