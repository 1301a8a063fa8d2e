import PetitionDomain

/// Requests the HTTP API makes on behalf of an official it authenticated (by password, session or token).
///
/// Only a connection that authenticated with the `petition-api` service key may name an official in
/// `onBehalfOf`; the request then stands for that official, with their roles and scope, exactly as if their own
/// key had sent it (the gateway still enforces role × command × scope: the API can narrow, never widen). The
/// API's own key acts as no one: without `onBehalfOf` it may send no command (not a worker's either) and reveals no
/// citizen; its queries see what the workers see, for the public views (a citizen's tracking code, Open311) that it
/// narrows to what citizens may see.
public enum Delegation {
    /// The one service that may act on an official's behalf.
    public static let service = "petition-api"
    /// The member of a command or query naming the official, e.g. `"onBehalfOf":"O000032"`.
    public static let member = "onBehalfOf"
    /// How a delegated identity is named once checked: `official:O000032` (never a key: keys are 40 characters of Z85).
    public static let officialPrefix = RegistryState.delegatedPrefix

    /// The identity a request from `userId` stands for: its own, or, for the HTTP API's service naming an official
    /// in ``member``, `official:<id>`. Anyone else naming an official is refused.
    public static func identity(_ userId: String?, _ f: JSONFields) throws(WireError) -> String? {
        guard let named = try f.optionalString(member, maxLength: 64) else { return userId }
        guard userId == CommandProcessor.servicePrefix + service else {
            throw .invalidValue(member, "only the HTTP API (the petition-api service key) acts on behalf of an official; who acts is the official whose key the connection authenticated with")
        }
        guard named.utf8.count >= 2, named.utf8.first == UInt8(ascii: "O"), named.utf8.dropFirst().allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .invalidValue(member, "must be a registered official's id such as O000032, got \"\(named)\"")
        }
        return officialPrefix + named
    }

    /// The official id of a delegated identity, or nil for a key or a service.
    public static func official(_ userId: String?) -> String? {
        guard let userId, userId.hasPrefix(officialPrefix) else { return nil }
        return String(userId.dropFirst(officialPrefix.count))
    }
}
