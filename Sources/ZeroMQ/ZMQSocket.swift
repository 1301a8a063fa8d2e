import CZeroMQ

/// The socket types this project uses.
public enum ZMQSocketType: Sendable {
    case router, dealer, req, rep, pub, sub, pair

    var raw: Int32 {
        switch self {
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .pair: ZMQ_PAIR
        }
    }
}

/// One libzmq socket. Not thread-safe: exactly one thread uses it, then closes it.
///
/// Every socket gets a small linger and a maximum message size when opened,
/// so shutdown never hangs and an oversized message never reaches our code.
public final class ZMQSocket: @unchecked Sendable {
    /// The default maximum size of one frame accepted from a peer: 1 MiB.
    public static let defaultMaxMessageSize: Int64 = 1 << 20

    private var handle: UnsafeMutableRawPointer?

    init(context: ZMQContext, type: ZMQSocketType) throws(ZMQError) {
        guard let h = zmq_socket(context.handle, type.raw) else { throw ZMQError.last("zmq_socket") }
        handle = h
        try setOption(ZMQ_LINGER, Int32(100))
        try setOption(ZMQ_MAXMSGSIZE, Self.defaultMaxMessageSize)
    }

    deinit { close() }

    var raw: UnsafeMutableRawPointer? { handle }

    /// Closes the socket; later calls fail. Safe to call twice.
    public func close() {
        if let h = handle {
            zmq_close(h)
            handle = nil
        }
    }

    private func live(_ op: String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let h = handle else { throw ZMQError(code: ENOTSOCK, operation: "\(op) on a closed socket") }
        return h
    }

    /// Sets an integer option.
    public func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var v = value
        let h = try live("zmq_setsockopt")
        guard zmq_setsockopt(h, option, &v, MemoryLayout<Int32>.size) == 0 else { throw ZMQError.last("zmq_setsockopt(\(option))") }
    }

    /// Sets a 64-bit option.
    public func setOption(_ option: Int32, _ value: Int64) throws(ZMQError) {
        var v = value
        let h = try live("zmq_setsockopt")
        guard zmq_setsockopt(h, option, &v, MemoryLayout<Int64>.size) == 0 else { throw ZMQError.last("zmq_setsockopt(\(option))") }
    }

    /// Sets a bytes option (a subscription prefix, an identity).
    public func setOption(_ option: Int32, bytes: [UInt8]) throws(ZMQError) {
        let h = try live("zmq_setsockopt")
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(h, option, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw ZMQError.last("zmq_setsockopt(\(option))") }
    }

    /// Limits accepted messages to `bytes` per frame.
    public func setMaxMessageSize(_ bytes: Int64) throws(ZMQError) { try setOption(ZMQ_MAXMSGSIZE, bytes) }
    /// Queue limits in messages, for sending and receiving.
    public func setHighWaterMarks(send: Int32, receive: Int32) throws(ZMQError) {
        try setOption(ZMQ_SNDHWM, send)
        try setOption(ZMQ_RCVHWM, receive)
    }
    /// Queue messages only to completed connections: with no peer, a non-blocking send fails instead of piling up.
    public func setImmediate(_ on: Bool) throws(ZMQError) { try setOption(ZMQ_IMMEDIATE, Int32(on ? 1 : 0)) }
    /// Subscribes a SUB socket to messages whose first frame starts with `prefix`.
    public func subscribe(_ prefix: String = "") throws(ZMQError) { try setOption(ZMQ_SUBSCRIBE, bytes: Array(prefix.utf8)) }

    /// Binds to an endpoint such as `tcp://127.0.0.1:7400`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        guard zmq_bind(try live("zmq_bind"), endpoint) == 0 else { throw ZMQError.last("bind \(endpoint)") }
    }

    /// Connects to an endpoint; libzmq reconnects on its own.
    public func connect(_ endpoint: String) throws(ZMQError) {
        guard zmq_connect(try live("zmq_connect"), endpoint) == 0 else { throw ZMQError.last("connect \(endpoint)") }
    }

    /// Sends a multipart message. Returns false when `dontWait` and the message would block.
    @discardableResult
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) -> Bool {
        let h = try live("zmq_send")
        for (i, frame) in frames.enumerated() {
            var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
            if i < frames.count - 1 { flags |= ZMQ_SNDMORE }
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(h, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                let err = ZMQError.last("zmq_send")
                if err.isInterrupted { continue }
                // Only the first frame may be refused for want of room; later frames follow it atomically.
                if err.isWouldBlock && i == 0 { return false }
                throw err
            }
        }
        return true
    }

    /// Receives one whole multipart message; nil when `dontWait` and none is waiting.
    public func receive(dontWait: Bool = false) throws(ZMQError) -> [[UInt8]]? {
        var ignored: String?
        return try receive(dontWait: dontWait, userId: &ignored)
    }

    /// Receives one whole multipart message with the identity its peer authenticated as: the user id the ZAP
    /// handler gave the connection (``ZAPHandler``), nil when the socket does not authenticate.
    public func receiveAuthenticated(dontWait: Bool = false) throws(ZMQError) -> (frames: [[UInt8]], userId: String?)? {
        var userId: String?
        guard let frames = try receive(dontWait: dontWait, userId: &userId) else { return nil }
        return (frames, userId)
    }

    private func receive(dontWait: Bool, userId: inout String?) throws(ZMQError) -> [[UInt8]]? {
        let h = try live("zmq_msg_recv")
        var frames: [[UInt8]] = []
        var msg = zmq_msg_t()
        var more = false
        repeat {
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            while true {
                let rc = zmq_msg_recv(&msg, h, dontWait && frames.isEmpty ? ZMQ_DONTWAIT : 0)
                if rc >= 0 { break }
                let err = ZMQError.last("zmq_msg_recv")
                if err.isInterrupted { continue }
                if err.isWouldBlock && frames.isEmpty { return nil }
                throw err
            }
            // The ROUTER's routing-id frame is made locally and has no metadata: take the first frame that has it.
            if userId == nil, let property = zmq_msg_gets(&msg, "User-Id") { userId = String(cString: property) }
            let size = zmq_msg_size(&msg)
            if size == 0 {
                frames.append([])
            } else {
                let base = zmq_msg_data(&msg)!.assumingMemoryBound(to: UInt8.self)
                frames.append(Array(UnsafeBufferPointer(start: base, count: size)))
            }
            more = zmq_msg_more(&msg) != 0
        } while more
        return frames
    }

    /// The endpoint actually bound (useful after binding port 0 or `*`).
    public var lastEndpoint: String? {
        guard let h = handle else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        guard zmq_getsockopt(h, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else { return nil }
        return String(cString: buffer)
    }
}

/// Waiting on several sockets at once.
public enum ZMQPoll {
    /// Blocks up to `timeoutMs` (−1: forever) until one of `sockets` can be read.
    /// Returns which ones are readable, in order.
    public static func readable(_ sockets: [ZMQSocket], timeoutMs: Int) throws(ZMQError) -> [Bool] {
        try readable(sockets, orFileDescriptors: [], timeoutMs: timeoutMs)
    }

    /// Like ``readable(_:timeoutMs:)``, also waking when one of `descriptors` (file descriptors, e.g. a pipe) is
    /// readable: one flag per socket, then one per descriptor.
    public static func readable(_ sockets: [ZMQSocket], orFileDescriptors descriptors: [Int32], timeoutMs: Int) throws(ZMQError) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
            + descriptors.map { zmq_pollitem_t(socket: nil, fd: $0, events: Int16(ZMQ_POLLIN), revents: 0) }
        while true {
            let rc = zmq_poll(&items, Int32(items.count), timeoutMs)
            if rc >= 0 { break }
            let err = ZMQError.last("zmq_poll")
            if err.isInterrupted { continue }
            throw err
        }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
