import Foundation
import ZeroMQ

/// Sends many requests over one DEALER, keeping up to `window` in flight, and collects the replies.
///
/// Used to load data sets and by the intake benchmark. Replies are matched by
/// `commandId`; send only well-formed commands (a reply without an id cannot be matched).
public final class PipelinedSender {
    private let context: ZMQContext
    private let endpoint: String
    private let curve: CurvePin?

    /// One reply and how long it took from send to receipt.
    public struct Result: Sendable {
        public var reply: [UInt8]
        public var latencyNanos: UInt64
    }

    public init(context: ZMQContext, endpoint: String, curve: CurvePin? = nil) {
        self.context = context
        self.endpoint = endpoint
        self.curve = curve
    }

    /// Sends `requests` (command id, body) and returns each reply by command id.
    /// Throws when no reply arrives for `timeoutMs`.
    public func send(_ requests: [(commandId: String, body: [UInt8])], window: Int, timeoutMs: Int = 30_000) throws -> [String: Result] {
        let socket = try context.socket(.dealer)
        defer { socket.close() }
        try socket.setHighWaterMarks(send: 100_000, receive: 100_000)
        try socket.setMaxMessageSize(64 << 20)
        try socket.pin(curve)
        try socket.connect(endpoint)
        var sentAt: [String: UInt64] = [:]
        var results: [String: Result] = [:]
        results.reserveCapacity(requests.count)
        var next = 0
        var inFlight = 0
        while results.count < requests.count {
            while inFlight < window, next < requests.count {
                let r = requests[next]
                sentAt[r.commandId] = DispatchTime.now().uptimeNanoseconds
                try socket.send([[], r.body])
                next += 1
                inFlight += 1
            }
            guard try ZMQPoll.readable([socket], timeoutMs: timeoutMs)[0] else {
                throw WireError.unavailable("no reply from \(endpoint) within \(timeoutMs) ms (\(results.count) of \(requests.count) answered)")
            }
            while let frames = try socket.receive(dontWait: true) {
                guard let body = frames.last else { continue }
                let now = DispatchTime.now().uptimeNanoseconds
                let id = Self.commandId(in: body)
                guard let start = sentAt.removeValue(forKey: id) else { continue }
                results[id] = Result(reply: body, latencyNanos: now - start)
                inFlight -= 1
            }
        }
        return results
    }

    /// The `commandId` of a reply. Replies are written with sorted keys and
    /// `commandId` holds no escapes (ids are checked text), so a scan suffices.
    public static func commandId(in body: [UInt8]) -> String {
        let key = Array(#""commandId":""#.utf8)
        guard let start = body.firstRange(of: key)?.upperBound, let end = body[start...].firstIndex(of: 0x22) else { return "" }
        return String(decoding: body[start..<end], as: UTF8.self)
    }
}
