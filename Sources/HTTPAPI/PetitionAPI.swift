import Accounts
import EventSourcing
import Foundation
import Hummingbird
import Logging
import Messaging
import Metrics
import PetitionDomain
import Runtime
import Synchronization
import ZeroMQ

/// What the HTTP API holds while it runs: the credentials store, the ZeroMQ upstreams it acts through (with its
/// own `petition-api` service key, on behalf of the official each request authenticated), and the registry as
/// it last read it.
public final class PetitionAPI: Sendable {
    public let accounts: AccountStore
    let commands: Upstream
    let queries: Upstream
    let history: Upstream
    /// The log's head as the gateway's PUB tells it, for the live feeds.
    let head: LogHead
    let logger: Logger
    /// Whether cookies carry `Secure` (behind HTTPS, as in production; off for plain loopback HTTP).
    public let secureCookies: Bool
    private let context: ZMQContext
    private let registryCache = Mutex<(state: RegistryState, read: UInt64)?>(nil)
    /// The last position a command through this API was committed at: every read waits for it, so an official
    /// reads their own writes and never sees the views go back to before what another official just did (a chair
    /// refers, the officer's inbox shows it at once).
    private let position = Mutex<Int64>(0)

    /// The citizens' tracking lookups: 20 at once, then 30 a minute, per client address.
    let trackingLimit = RateLimiter(burst: 20, perMinute: 30)

    /// The session cookie's name.
    public static let cookieName = "petition_session"

    /// The log (a file, or a `postgresql://` address) and the configuration folder, for the periodic reports and
    /// the inspector's pages, which read the log itself.
    let eventLogPath: String
    let configDirectory: String

    public init(dataDirectory: String, endpoints: Endpoints, secureCookies: Bool, logger: Logger, configDirectory: String? = nil,
                store: String? = nil) throws {
        eventLogPath = store ?? (dataDirectory as NSString).appendingPathComponent("events.sqlite")
        self.configDirectory = configDirectory ?? (dataDirectory as NSString).appendingPathComponent("config")
        let access = try CurveKeyFiles(dataDirectory: dataDirectory).access(for: Delegation.service).access
        let endpoints = endpoints.with(access)
        context = try ZMQContext()
        commands = Upstream(context: context, endpoint: endpoints.commands, pin: endpoints.pin(.gateway), label: "commands")
        queries = Upstream(context: context, endpoint: endpoints.queries, pin: endpoints.pin(.projector), label: "queries")
        history = Upstream(context: context, endpoint: endpoints.history, pin: endpoints.pin(.gateway), label: "history")
        head = try LogHead(context: context, endpoints: endpoints, logger: logger)
        accounts = try AccountStore(path: AccountStore.path(dataDirectory: dataDirectory))
        self.secureCookies = secureCookies
        self.logger = logger
    }

    /// Closes the sockets and the ZeroMQ context.
    public func shutdown() {
        head.stop()
        commands.close(); queries.close(); history.close()
        context.terminate()
    }

    // MARK: - The registry

    /// The registry as the log holds it, read again when the copy is over a second old.
    func registry(fresh: Bool = false) async throws -> RegistryState {
        let now = DispatchTime.now().uptimeNanoseconds
        if !fresh, let cached = registryCache.withLock({ $0 }), now - cached.read < 1_000_000_000 { return cached.state }
        guard let reply = try await history.request(json: ["type": "stream.read", "stream": RegistryReply.stream]) else {
            throw Problem.unavailable("the gateway did not answer; try again shortly")
        }
        if reply["ok"] as? Bool != true { throw Self.problem(reply) }
        let state = RegistryReply.state(reply)
        registryCache.withLock { $0 = (state, now) }
        return state
    }

    /// The official a session token stands for, still in office.
    func caller(token: String) async throws -> Caller? {
        guard let officialId = try accounts.session(token) else { return nil }
        return try await caller(officialId: officialId, token: token)
    }

    /// `officialId` as a caller, if still in office.
    func caller(officialId: String, token: String) async throws -> Caller? {
        // A copy up to a second old may not hold an official appointed just now: then the registry is read again.
        var official = try await registry().official(acting: Delegation.officialPrefix + officialId)
        if official == nil { official = try await registry(fresh: true).official(acting: Delegation.officialPrefix + officialId) }
        guard let official else { return nil }
        return Caller(officialId: official.officialId, name: official.name, roles: official.roles, unit: official.unit,
                      department: official.department, token: token)
    }

    // MARK: - Acting on an official's behalf

    /// Remembers that a command was committed at `position`.
    func wrote(_ committed: Int64) {
        position.withLock { $0 = max($0, committed) }
    }

    /// The position reads wait for: the last command's through this API.
    var lastPosition: Int64 { position.withLock { $0 } }

    /// Sends a command on `caller`'s behalf: `fields` are its members (already checked to name no identity), the
    /// command id is the caller's `Idempotency-Key` (namespaced by official) or a fresh one.
    func command(_ type: String, _ fields: [String: Any], caller: Caller, idempotencyKey: String?, expectedVersion: Int64?) async throws -> [String: Any] {
        var body = fields
        body["type"] = type
        body["commandId"] = idempotencyKey.map { "api.\(caller.officialId).\($0)" } ?? RandomId.make()
        body[Delegation.member] = caller.officialId
        if let expectedVersion { body["expectedVersion"] = expectedVersion }
        let started = ContinuousClock.now
        let reply = try await commands.request(json: body)
        let outcome = reply == nil ? "timeout" : reply?["ok"] as? Bool == true ? "ok" : ((reply?["error"] as? [String: Any])?["code"] as? String ?? "error")
        Timer(label: "petition_gateway_command_duration", dimensions: [("command", type), ("outcome", outcome)]).record(duration: ContinuousClock.now - started)
        guard let reply else {
            throw Problem.unavailable("the gateway did not answer in time; send the same request again with the same Idempotency-Key to record it exactly once")
        }
        guard reply["ok"] as? Bool == true else { throw Self.problem(reply) }
        // The registry changed through this API: the next request reads it again, so a role withdrawn or an official
        // deactivated here takes effect at once (changes made elsewhere, within the copy's second).
        if (reply["stream"] as? String)?.hasPrefix(Registry.category + "-") == true { registryCache.withLock { $0 = nil } }
        return reply
    }

    /// Asks the projector on `caller`'s behalf (nil: as the API itself, for the public views).
    func query(_ type: String, _ fields: [String: Any], caller: Caller?) async throws -> [String: Any] {
        var body = fields
        body["type"] = type
        if let caller { body[Delegation.member] = caller.officialId }
        guard let reply = try await queries.request(json: body) else { throw Problem.unavailable("the projector did not answer in time; try again") }
        guard reply["ok"] as? Bool != false else { throw Self.problem(reply) }
        return reply
    }

    /// Reads from the gateway's history on `caller`'s behalf.
    func read(_ fields: [String: Any], caller: Caller) async throws -> [String: Any] {
        var body = fields
        body[Delegation.member] = caller.officialId
        guard let reply = try await history.request(json: body) else { throw Problem.unavailable("the gateway did not answer in time; try again") }
        guard reply["ok"] as? Bool != false else { throw Self.problem(reply) }
        return reply
    }

    /// The problem an error reply of the gateway or projector stands for.
    static func problem(_ reply: [String: Any]) -> Problem {
        let error = reply["error"] as? [String: Any]
        return Problem(wire: error?["code"] as? String ?? "unavailable", message: error?["message"] as? String ?? "the service refused the request")
    }
}
