import CZeroMQ
import Foundation
import Synchronization

/// What a ZAP handler is asked about one connection (RFC 27): the CURVE client's public key and where it came from.
public struct ZAPRequest: Sendable {
    /// The server socket's ZAP domain.
    public let domain: String
    /// The peer's IP address.
    public let address: String
    /// The security mechanism, `CURVE` for our sockets.
    public let mechanism: String
    /// The client's long-term public key in Z85, for CURVE.
    public let clientKey: String?
}

/// The answer to a ``ZAPRequest``.
public enum ZAPDecision: Sendable, Equatable {
    /// Allowed, as `userId`: every message from the connection carries it (``ZMQSocket/receiveAuthenticated(dontWait:)``).
    case allow(userId: String)
    /// Refused: the connection is closed before any message passes.
    case deny(reason: String)
}

/// Our ZAP handler (RFC 27) for one context: a thread answering libzmq's authentication requests through
/// `inproc://zeromq.zap.01` with a decision on the client's key. Start it before any CURVE server socket of the
/// context binds; it runs until ``stop()`` or the context's shutdown.
public final class ZAPHandler: @unchecked Sendable {
    /// The endpoint libzmq asks (RFC 27).
    public static let endpoint = "inproc://zeromq.zap.01"

    private final class Flag: Sendable {
        let raised = Mutex(false)
    }
    private let stopped = Flag()
    private let thread: Thread
    private let done = DispatchSemaphore(value: 0)

    /// Binds the handler's socket and starts answering with `decide`, which is called on the handler's thread.
    public init(context: ZMQContext, decide: @escaping @Sendable (ZAPRequest) -> ZAPDecision) throws(ZMQError) {
        let socket = try context.socket(.rep)
        try socket.bind(Self.endpoint)
        let stopped = stopped
        let done = done
        thread = Thread {
            defer { socket.close(); done.signal() }
            while !stopped.raised.withLock({ $0 }) {
                do {
                    guard try ZMQPoll.readable([socket], timeoutMs: 100)[0], let frames = try socket.receive(dontWait: true) else { continue }
                    try socket.send(Self.reply(to: frames, decide))
                } catch {
                    return // the context was shut down
                }
            }
        }
        thread.name = "zap-handler"
        thread.start()
    }

    /// Stops answering and closes the handler's socket; connections after this are accepted by libzmq unchecked,
    /// so stop it only when the servers are closed.
    public func stop() {
        stopped.raised.withLock { $0 = true }
        done.wait()
    }

    /// The reply frames to one request: version, request id, status code and text, user id, metadata.
    static func reply(to frames: [[UInt8]], _ decide: (ZAPRequest) -> ZAPDecision) -> [[UInt8]] {
        func text(_ i: Int) -> String { i < frames.count ? String(decoding: frames[i], as: UTF8.self) : "" }
        let requestId = frames.count > 1 ? frames[1] : []
        guard frames.count >= 6, text(0) == "1.0" else {
            return [Array("1.0".utf8), requestId, Array("400".utf8), Array("malformed ZAP request".utf8), [], []]
        }
        let mechanism = text(5)
        let key = mechanism == "CURVE" && frames.count >= 7 ? CurveKeyPair.text(frames[6]) : nil
        let request = ZAPRequest(domain: text(2), address: text(3), mechanism: mechanism, clientKey: key)
        switch decide(request) {
        case .allow(let userId):
            return [Array("1.0".utf8), requestId, Array("200".utf8), Array("OK".utf8), Array(userId.utf8), []]
        case .deny(let reason):
            return [Array("1.0".utf8), requestId, Array("400".utf8), Array(reason.utf8), [], []]
        }
    }
}
