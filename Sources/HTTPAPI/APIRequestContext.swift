import Hummingbird
import NIOCore
import PetitionDomain

/// The context of one HTTP request: Hummingbird's, and who made it once they are authenticated.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address, for the rate limits of the routes that need no login.
    public let remoteAddress: SocketAddress?
    /// The official the session cookie or bearer token stands for; nil on the routes that need no login.
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The authenticated caller: every route under `/api/v1` but login, health and tracking has one.
    public func requireCaller() throws -> Caller {
        guard let caller else { throw Problem.unauthenticated() }
        return caller
    }
}

/// An official signed in through the API: who the gateway and projector are asked to act and answer for.
public struct Caller: Sendable, Hashable {
    public var officialId: String
    public var name: String
    public var roles: [Role]
    /// Their unit's code ("" for the first administrator, who belongs to none).
    public var unit: String
    public var department: String?
    /// The session's token (to end it at logout).
    public var token: String
}
