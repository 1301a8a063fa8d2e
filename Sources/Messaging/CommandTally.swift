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

    mutating func commit(nanoseconds: UInt64) {
        commits += 1
        commitSeconds += Double(nanoseconds) / 1e9
    }
}
