#if canImport(Glibc)
import Glibc
#endif
import ZeroMQ

/// What the gateway holds of received, undecided commands, per connection and in all, and the fair order it serves them in.
///
/// Every poll drains the ROUTER into one queue per connection identity; a command that would take a connection past
/// ``maxQueuedPerConnection`` commands or ``maxQueuedBytesPerConnection`` bytes, or everyone past ``maxQueuedBytes``,
/// is answered `overloaded` at once, undecoded. Batches take one command from each connection in turn (round-robin)
/// up to a batch's count and bytes, so one client's flood never makes another's command wait behind it.
/// Once what an overload queued has all been served, the freed heap is given back to the system (`malloc_trim`):
/// glibc would otherwise keep a flood's worth of memory resident for good.
public final class CommandAdmission {
    /// The ROUTER's high-water marks (messages per connection, libzmq's own queue): well below libzmq's 1000 default
    /// times 100 that this gateway once used.
    public static let socketHighWaterMark = 256
    /// The largest frame libzmq delivers; a larger one drops the sender's connection. Above the 64 KiB body limit
    /// (JSONFields.maxBodySize), so a body between the two gets a too_large reply.
    public static let maxFrameSize: Int64 = 128 * 1024

    public let maxQueuedPerConnection: Int
    public let maxQueuedBytesPerConnection: Int
    public let maxQueuedBytes: Int
    /// The most bytes of commands one batch holds.
    public let maxBatchBytes: Int

    /// Per connection: its queued commands from `head` on (served by moving `head`, not by shifting the array).
    private var queues: [[UInt8]: (items: [RoutedRequest], head: Int)] = [:]
    private var queuedBytes: [[UInt8]: Int] = [:]
    /// Connections with queued commands, in the order they are served.
    private var turn: [[UInt8]] = []
    private var next = 0
    public private(set) var totalBytes = 0
    public private(set) var totalCount = 0
    /// Whether an `overloaded` reply was sent since the heap was last given back.
    private var overloadedSinceTrim = false

    public init(maxQueuedPerConnection: Int = 512, maxQueuedBytesPerConnection: Int = 4 << 20, maxQueuedBytes: Int = 32 << 20,
                maxBatchBytes: Int = 4 << 20) {
        self.maxQueuedPerConnection = maxQueuedPerConnection
        self.maxQueuedBytesPerConnection = maxQueuedBytesPerConnection
        self.maxQueuedBytes = maxQueuedBytes
        self.maxBatchBytes = maxBatchBytes
    }

    /// Sets the ROUTER's limits: high-water marks and the largest frame.
    public static func configure(_ router: ZMQSocket) throws(ZMQError) {
        try router.setHighWaterMarks(send: Int32(socketHighWaterMark * 4), receive: Int32(socketHighWaterMark))
        try router.setMaxMessageSize(maxFrameSize)
    }

    /// Whether commands wait to be served.
    public var isEmpty: Bool { totalCount == 0 }

    /// Takes what the ROUTER holds now (at most `limit` messages): queues each request, or answers it `overloaded`.
    /// Returns how many messages had no envelope (dropped), for the caller to log.
    @discardableResult
    public func receive(from router: ZMQSocket, limit: Int = 8192) throws(ZMQError) -> Int {
        var dropped = 0
        var received = 0
        while received < limit, let (frames, userId) = try router.receiveAuthenticated(dontWait: true) {
            received += 1
            guard let request = RoutedRequest(frames, userId: userId) else { dropped += 1; continue }
            let identity = request.envelope.first ?? []
            let size = request.body.count
            let count = queues[identity].map { $0.items.count - $0.head } ?? 0
            let bytes = queuedBytes[identity] ?? 0
            guard count < maxQueuedPerConnection, bytes + size <= maxQueuedBytesPerConnection, totalBytes + size <= maxQueuedBytes else {
                try request.reply(Self.overloaded, on: router)
                overloadedSinceTrim = true
                continue
            }
            if count == 0 { turn.append(identity) }
            queues[identity, default: ([], 0)].items.append(request)
            queuedBytes[identity] = bytes + size
            totalBytes += size
            totalCount += 1
        }
        return dropped
    }

    /// The next batch: one command from each connection in turn, at most `maxCount` and about ``maxBatchBytes``.
    public func nextBatch(maxCount: Int) -> [RoutedRequest] {
        var batch: [RoutedRequest] = []
        var bytes = 0
        while !turn.isEmpty, batch.count < maxCount, batch.isEmpty || bytes < maxBatchBytes {
            if next >= turn.count { next = 0 }
            let identity = turn[next]
            var queue = queues.removeValue(forKey: identity)! // taken out, so appending and serving never copy it
            let request = queue.items[queue.head]
            queue.head += 1
            if queue.head >= 256, queue.head * 2 >= queue.items.count {
                // A connection that never drains: drop what was served, at most once per as many commands (amortized O(1)).
                queue.items.removeFirst(queue.head)
                queue.head = 0
            }
            batch.append(request)
            bytes += request.body.count
            totalBytes -= request.body.count
            totalCount -= 1
            if queue.head == queue.items.count {
                queuedBytes.removeValue(forKey: identity)
                turn.remove(at: next)
            } else {
                queues[identity] = queue
                queuedBytes[identity]! -= request.body.count
                next += 1
            }
        }
        if queues.isEmpty {
            queues = [:]
            queuedBytes = [:]
            if overloadedSinceTrim { giveMemoryBack() }
        }
        return batch
    }

    /// Returns the heap's free pages to the system (every arena's, libzmq's included), once an overload is drained: at
    /// most once per overload, so its cost is small beside the commands that filled the queues. Without it a flood of
    /// 4,800 commands of 60 KB left the gateway at 130 MiB after its clients left, against 37 MiB before (tested).
    private func giveMemoryBack() {
        overloadedSinceTrim = false
        Self.mallocTrim?(0)
    }

    /// glibc's `malloc_trim`, found at run time (Glibc's module map leaves out malloc.h), or nil on a C library without it.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    static let overloaded = Wire.bytes(ErrorReply(.overloaded))
}
