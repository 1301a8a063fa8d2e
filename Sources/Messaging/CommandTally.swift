import Metrics

/// What a gateway decided: commands by message type and outcome, and its group commits, since it started.
public struct CommandTally: Codable, Hashable, Sendable {
    /// Message type → outcome (`ok`, `replayed`, or the error code) → how many.
    public var commands: [String: [String: Int64]] = [:]
    /// Group commits written, and the time they took (appending and syncing the batch), in seconds.
    public var commits: Int64 = 0
    public var commitSeconds: Double = 0

    public init() {}

    mutating func count(_ type: String, _ outcome: String) {
        commands[type, default: [:]][outcome, default: 0] += 1
    }

    mutating func commit(nanoseconds: UInt64, commands: Int = 0, head: Int64 = 0) {
        commits += 1
        commitSeconds += Double(nanoseconds) / 1e9
        // The same, for the process's own /metrics (nothing is kept when no metrics backend is set up).
        Metrics.Timer(label: "petition_commit_seconds").recordNanoseconds(Int64(nanoseconds))
        Recorder(label: "petition_commit_batch_commands").record(commands)
        Gauge(label: "petition_log_head").record(head)
    }

    /// A type and outcome of commands.
    struct Key: Hashable { var type: String, outcome: String }

    /// One batch's commands by type and outcome, to the process's own /metrics.
    func report(_ counts: [Key: Int64]) {
        for (key, n) in counts {
            Counter(label: "petition_commands_total", dimensions: [("command", key.type), ("outcome", key.outcome)]).increment(by: n)
        }
    }
}
