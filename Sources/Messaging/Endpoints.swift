/// Where each process listens, derived from one base port so instances can run side by side.
public struct Endpoints: Hashable, Sendable, Codable {
    public var host: String
    public var basePort: Int

    /// The default base port (environment `PETITION_BASE_PORT` overrides it in the CLI).
    public static let defaultBasePort = 7400

    public init(host: String = "127.0.0.1", basePort: Int = Endpoints.defaultBasePort) {
        self.host = host
        self.basePort = basePort
    }

    /// Gateway ROUTER for commands.
    public var commands: String { "tcp://\(host):\(basePort)" }
    /// Gateway PUB of committed events and heartbeats.
    public var events: String { "tcp://\(host):\(basePort + 1)" }
    /// Gateway ROUTER for reading history.
    public var history: String { "tcp://\(host):\(basePort + 2)" }
    /// Projector ROUTER for queries.
    public var queries: String { "tcp://\(host):\(basePort + 3)" }

    /// Every endpoint by name, for printing.
    public var all: [(name: String, endpoint: String)] {
        [("commands", commands), ("events", events), ("history", history), ("queries", queries)]
    }
}
