import Dispatch
import Foundation
import Messaging
import Synchronization
import ZeroMQ

/// Requests from async code to one ZeroMQ endpoint (the gateway's commands or history, the projector's queries).
///
/// ZeroMQ sockets block and are not thread-safe, so none is ever used on Swift's cooperative pool: each request
/// runs on a thread of this upstream's own queue, on a DEALER client taken from a pool (a socket passes between
/// threads only through the pool's lock, the full barrier libzmq asks for). A client whose request timed out is
/// replaced, so a late reply is never taken for the next request's.
final class Upstream: Sendable {
    let endpoint: String
    private let context: ZMQContext
    private let pin: CurvePin?
    private let idle = Mutex<[Pooled]>([])
    private let queue: DispatchQueue

    /// One pooled client: used by one thread at a time, handed over under ``idle``'s lock.
    private final class Pooled: @unchecked Sendable {
        let client: RequestClient
        init(_ client: RequestClient) { self.client = client }
    }

    init(context: ZMQContext, endpoint: String, pin: CurvePin?, label: String) {
        self.context = context
        self.endpoint = endpoint
        self.pin = pin
        queue = DispatchQueue(label: "petition-api.\(label)", attributes: .concurrent)
    }

    /// Sends `body` and waits up to `timeoutMs` for the reply; nil when none came in time.
    func request(_ body: [UInt8], timeoutMs: Int = 10_000) async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
            queue.async {
                let pooled = self.idle.withLock { $0.popLast() } ?? Pooled(RequestClient(context: self.context, endpoint: self.endpoint, curve: self.pin))
                do {
                    let reply = try pooled.client.request(body, timeoutMs: timeoutMs)
                    if reply != nil { self.idle.withLock { $0.append(pooled) } } else { pooled.client.close() }
                    continuation.resume(returning: reply)
                } catch {
                    pooled.client.close()
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Sends a JSON object; the reply object, or nil when none came in time.
    func request(json: [String: Any], timeoutMs: Int = 10_000) async throws -> [String: Any]? {
        let body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])
        guard let reply = try await request(Array(body), timeoutMs: timeoutMs) else { return nil }
        return try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any]
    }

    /// Closes every pooled socket (before the context is terminated).
    func close() {
        for pooled in idle.withLock({ p in defer { p.removeAll() }; return p }) { pooled.client.close() }
    }
}
