import Foundation
import ZeroMQ

/// A blocking request/reply client over a DEALER socket, with a timeout.
///
/// After a timeout the socket is replaced, so a late reply can never be taken
/// for the answer to the next request. Not thread-safe: one thread uses it.
public final class RequestClient {
    private let context: ZMQContext
    public let endpoint: String
    /// The server key it pins and the keys it authenticates with (CurveZMQ); nil for a plain socket.
    public let curve: CurvePin?
    private var socket: ZMQSocket?

    public init(context: ZMQContext, endpoint: String, curve: CurvePin? = nil) {
        self.context = context
        self.endpoint = endpoint
        self.curve = curve
    }

    deinit { socket?.close() }

    private func connected() throws(ZMQError) -> ZMQSocket {
        if let socket { return socket }
        let s = try context.socket(.dealer)
        try s.setMaxMessageSize(64 << 20)
        try s.pin(curve)
        try s.connect(endpoint)
        socket = s
        return s
    }

    /// Sends one request body and waits up to `timeoutMs` for the reply body.
    /// Returns nil on timeout.
    public func request(_ body: [UInt8], timeoutMs: Int) throws(ZMQError) -> [UInt8]? {
        let s = try connected()
        try s.send([[], body])
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutMs) * 1_000_000
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            let ready = try ZMQPoll.readable([s], timeoutMs: Int((deadline - now) / 1_000_000) + 1)
            if ready[0], let frames = try s.receive(dontWait: true), let body = frames.last, frames.count >= 2 {
                return body
            }
        }
        s.close()
        socket = nil
        return nil
    }

    /// Sends a JSON object and decodes the reply object.
    public func request(json: [String: Any], timeoutMs: Int) throws -> [String: Any]? {
        let body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])
        guard let reply = try request(Array(body), timeoutMs: timeoutMs) else { return nil }
        return try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any]
    }

    /// Closes the socket; the client can be used again (it reconnects).
    public func close() {
        socket?.close()
        socket = nil
    }
}
