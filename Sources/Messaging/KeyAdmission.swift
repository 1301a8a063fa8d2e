import PetitionDomain
import Synchronization
import ZeroMQ

/// Who may connect to a server process: the decision its ZAP handler (RFC 27) gives for each CurveZMQ client key.
///
/// A worker service's key (read from the data folder's `keys/`) is admitted as `service:<name>`; an official's
/// key as itself, while the registry holds it issued and not revoked. Anything else is refused before a single
/// message reaches the server: no key, an unknown key, a revoked one. The registry is kept up to date by the
/// process that owns this (the gateway after each commit, the projector from the events it applies); the ZAP
/// thread reads it under a lock.
public final class KeyAdmission: Sendable {
    /// Service public key → `service:<name>`.
    private let services: [String: String]
    private struct Known {
        var registry = RegistryState()
        /// The registry stream's version folded in.
        var version: Int64 = 0
    }
    private let known = Mutex(Known())

    /// Admits the services `services` (public key → executable name, e.g. `petition-escalator`).
    public init(services: [String: String]) {
        self.services = services.mapValues { CommandProcessor.servicePrefix + $0 }
    }

    /// Takes the registry as of `version` of its stream (what a store or the gateway's state holds).
    public func admit(_ registry: RegistryState, version: Int64) {
        known.withLock { k in
            guard version >= k.version else { return }
            k = Known(registry: registry, version: version)
        }
    }

    /// Folds one registry event at `version` of its stream; an event already folded (a catch-up that overlaps what
    /// was read at start) is skipped, so a revocation is never undone by replaying its key's issue.
    public func fold(_ event: RegistryEvent, version: Int64) {
        known.withLock { k in
            guard version > k.version else { return }
            k.registry = Registry.evolve(k.registry, event)
            k.version = version
        }
    }

    /// The registry as this process knows it.
    public var registry: RegistryState { known.withLock { $0.registry } }

    /// The ZAP decision for one connection.
    public func decide(_ request: ZAPRequest) -> ZAPDecision {
        guard request.mechanism == "CURVE", let key = request.clientKey else {
            return .deny(reason: "CurveZMQ with a registered key is required")
        }
        if let service = services[key] { return .allow(userId: service) }
        let admitted = known.withLock { k in k.registry.official(holding: key) != nil }
        return admitted ? .allow(userId: key) : .deny(reason: "key not registered, or revoked")
    }
}

/// An identity file: a CurveZMQ key pair and whose it is (an official's, made by `petitionctl official add`, or a
/// worker service's in the data folder's `keys/`). It holds a secret key: mode 0600, kept by its owner only.
public struct IdentityFile: Codable, Hashable, Sendable {
    /// The official it identifies, e.g. `O000002`; nil for a service.
    public var officialId: String?
    /// The service it identifies, e.g. `petition-escalator`; nil for an official.
    public var service: String?
    public var name: String
    public var publicKey: String
    public var secretKey: String

    public init(officialId: String? = nil, service: String? = nil, name: String, keys: CurveKeyPair) {
        self.officialId = officialId
        self.service = service
        self.name = name
        publicKey = keys.publicKey
        secretKey = keys.secretKey
    }

    /// The key pair, checked: the public key must be the secret key's.
    public var keys: CurveKeyPair? {
        guard let pair = CurveKeyPair(secretKey: secretKey), pair.publicKey == publicKey else { return nil }
        return pair
    }
}
