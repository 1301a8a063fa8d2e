import ZeroMQ

/// A request received on a ROUTER: the routing envelope to reply with, and the body.
///
/// Clients may use REQ or DEALER; a DEALER sends an empty delimiter frame first,
/// as REQ does, so every request is `[identity…, "", body]` at the ROUTER.
public struct RoutedRequest: Sendable {
    public var envelope: [[UInt8]]
    public var body: [UInt8]
    /// Who the ZAP handler admitted on the connection it came on (ZMQ's `User-Id`): `service:<name>` for a
    /// worker, the client's public key for an official; nil on a socket without authentication.
    public var userId: String?

    /// Splits a ROUTER message; nil when it has no empty delimiter before one body frame.
    public init?(_ frames: [[UInt8]], userId: String? = nil) {
        self.userId = userId
        // The body itself may be empty: the delimiter is the frame just before it.
        guard frames.count >= 3, frames[frames.count - 2].isEmpty else { return nil }
        let delimiter = frames.count - 2
        envelope = Array(frames[...delimiter])
        body = frames[frames.count - 1]
    }

    /// Sends `reply` back to the requester. A ROUTER drops a reply to a peer that
    /// left (no `ROUTER_MANDATORY`): the client's retry with the same command id covers it.
    public func reply(_ reply: [UInt8], on socket: ZMQSocket) throws(ZMQError) {
        try socket.send(envelope + [reply], dontWait: true)
    }
}

/// The message type of a request body, or an error reply naming what is wrong.
public enum RequestBody {
    /// Parses the body and reads its `type`.
    public static func parse(_ body: [UInt8]) throws(WireError) -> (type: String, fields: JSONFields) {
        let fields = try JSONFields(frame: body)
        // Unlike other members, a null type is not "absent": it is there and not a string.
        guard let raw = fields.object["type"] else { throw .missingField("type") }
        guard case .string(let type) = raw else { throw .wrongType("type", expected: "a string") }
        return (type, fields)
    }
}
