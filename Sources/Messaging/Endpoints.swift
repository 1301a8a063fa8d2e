import ZeroMQ

/// Where each process listens, derived from one base port so instances can run side by side, and the CurveZMQ
/// keys every socket uses.
public struct Endpoints: Hashable, Sendable, Codable {
    /// The gateway's address: where it binds commands, events and history, and where everyone reaches them.
    public var host: String
    /// The projector's address, when it runs on another host than the gateway: where it binds queries and where
    /// clients reach them (nil: ``host``).
    public var projectorHost: String?
    public var basePort: Int
    /// This process's CurveZMQ keys and the servers' public keys it pins; nil only for a bench's unauthenticated
    /// baseline and for tests of the transport itself. Never encoded (it holds a secret key).
    public var curve: CurveAccess?

    /// The default base port (environment `PETITION_BASE_PORT` overrides it in the CLI).
    public static let defaultBasePort = 7400

    public init(host: String = "127.0.0.1", basePort: Int = Endpoints.defaultBasePort, curve: CurveAccess? = nil, projectorHost: String? = nil) {
        self.host = host
        self.projectorHost = projectorHost
        self.basePort = basePort
        self.curve = curve
    }

    private enum CodingKeys: String, CodingKey { case host, projectorHost, basePort }

    /// Gateway ROUTER for commands.
    public var commands: String { "tcp://\(host):\(basePort)" }
    /// Gateway PUB of committed events and heartbeats.
    public var events: String { "tcp://\(host):\(basePort + 1)" }
    /// Gateway ROUTER for reading history.
    public var history: String { "tcp://\(host):\(basePort + 2)" }
    /// Projector ROUTER for queries.
    public var queries: String { "tcp://\(projectorHost ?? host):\(basePort + 3)" }

    /// Every endpoint by name, for printing.
    public var all: [(name: String, endpoint: String)] {
        [("commands", commands), ("events", events), ("history", history), ("queries", queries)]
    }

    /// These endpoints, if a server may bind them: any address but loopback only with CurveZMQ keys, so that
    /// nothing is ever served in the clear beyond this machine.
    public func checkedForBinding() throws(WireError) -> Endpoints {
        let exposed = [host, projectorHost ?? host].first { !Self.isLoopback($0) }
        guard curve == nil, let exposed else { return self }
        throw .invalidValue("host", "\(exposed) is not a loopback address, and this process has no CurveZMQ keys: it would serve everyone on the network unauthenticated")
    }

    /// Whether `host` names this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The same endpoints with other keys.
    public func with(_ curve: CurveAccess?) -> Endpoints { Endpoints(host: host, basePort: basePort, curve: curve, projectorHost: projectorHost) }

    /// How a client socket reaches `server`: the server's public key it pins, with this process's keys; nil without keys.
    public func pin(_ server: CurveServer) -> CurvePin? {
        curve.map { CurvePin(keys: $0.own, serverKey: $0.servers.key(of: server)) }
    }
}

/// The two servers clients connect to: the gateway (commands, events, history) and the projector (queries).
public enum CurveServer: String, Sendable, CaseIterable {
    case gateway, projector
}

/// The servers' public keys, as `up` writes them to `servers.json` in the data folder: what a client pins.
public struct ServerKeys: Codable, Hashable, Sendable {
    /// The gateway's public key (Z85): its commands, events and history sockets.
    public var gateway: String
    /// The projector's public key (Z85): its queries socket.
    public var projector: String

    public init(gateway: String, projector: String) { self.gateway = gateway; self.projector = projector }

    public func key(of server: CurveServer) -> String {
        switch server {
        case .gateway: gateway
        case .projector: projector
        }
    }
}

/// A process's CurveZMQ keys: its own pair (a server's, or a client's identity) and the servers' public keys.
public struct CurveAccess: Hashable, Sendable {
    public var own: CurveKeyPair
    public var servers: ServerKeys

    public init(own: CurveKeyPair, servers: ServerKeys) { self.own = own; self.servers = servers }
}

/// A client socket's CurveZMQ settings: its keys and the one server key it accepts.
public struct CurvePin: Hashable, Sendable {
    public var keys: CurveKeyPair
    public var serverKey: String

    public init(keys: CurveKeyPair, serverKey: String) { self.keys = keys; self.serverKey = serverKey }
}

extension ZMQSocket {
    /// Makes this socket a CURVE server with the process's own keys (before `bind`); nothing without keys.
    public func serve(_ endpoints: Endpoints) throws(ZMQError) {
        if let curve = endpoints.curve { try makeCurveServer(curve.own) }
    }

    /// Makes this socket a CURVE client of the server `pin` names (before `connect`); nothing without keys.
    public func pin(_ pin: CurvePin?) throws(ZMQError) {
        if let pin { try makeCurveClient(pin.keys, serverKey: pin.serverKey) }
    }
}
