import EventSourcing
import Foundation
import Logging
import ZeroMQ

/// Follows the log from a worker: catches up from the gateway's history, then
/// follows PUB, and re-reads any gap from history (the zguide's Clone pattern).
///
/// The owner polls ``sockets`` with its own sockets and calls ``handle(_:)``
/// with their readiness; every contiguous run of events goes to `apply`, in
/// order, exactly once per position. Not thread-safe: one loop owns it.
public final class EventFollower {
    private let sub: ZMQSocket
    private let history: ZMQSocket
    private let logger: Logger
    private let apply: ([WireEvent]) throws -> Void
    private let decoder = JSONDecoder()
    private var historyInFlight: UInt64?
    private var warnedLogBehind = false
    /// Whether history has answered at least once: until then the head is unknown.
    public private(set) var heardHistory = false
    /// The position of the last event applied.
    public private(set) var checkpoint: Int64
    /// The highest position known to exist.
    public private(set) var knownHead: Int64
    /// How many history requests were sent; each is numbered by the count after it.
    private var requestsSent: UInt64 = 0
    /// The number of the latest answered history request and the head its page gave: the log's head at some
    /// instant after that request was sent (a page answers its own request, and history answers in order).
    public private(set) var headAnswer: (request: UInt64, head: Int64)?
    /// The number the next history request will have: an answer to a request of this number or more tells the head as of now or later.
    public var nextRequest: UInt64 { requestsSent + 1 }
    /// Positions skipped because their record could not be decoded (the most recent 100), and how many in all.
    public private(set) var undecodable: [Int64] = []
    public private(set) var undecodableCount = 0

    /// Connects to the gateway's feed and history and asks for what follows `checkpoint`.
    public init(context: ZMQContext, endpoints: Endpoints, checkpoint: Int64, logger: Logger,
                apply: @escaping ([WireEvent]) throws -> Void) throws {
        self.checkpoint = checkpoint
        self.knownHead = checkpoint
        self.logger = logger
        self.apply = apply
        sub = try context.socket(.sub)
        history = try context.socket(.dealer)
        try sub.setHighWaterMarks(send: 1000, receive: 1_000_000)
        try sub.setMaxMessageSize(16 << 20)
        try sub.subscribe("")
        try sub.pin(endpoints.pin(.gateway))
        try sub.connect(endpoints.events)
        try history.setMaxMessageSize(64 << 20)
        try history.setImmediate(true)
        try history.pin(endpoints.pin(.gateway))
        try history.connect(endpoints.history)
        try askHistory()
    }

    /// Whether every event known to exist has been applied, as far as history has told.
    public var caughtUp: Bool { heardHistory && checkpoint >= knownHead }

    /// The two sockets to poll, feed first.
    public var sockets: [ZMQSocket] { [sub, history] }

    /// Handles readiness of ``sockets`` (two flags, in that order), then asks for any gap.
    public func handle(_ ready: [Bool]) throws {
        if ready[0] { try drainFeed() }
        if ready[1] { try receiveHistory() }
        // Until history has answered once (the gateway may start after us), and whenever a gap shows, ask again.
        try requestHistory()
    }

    public func close() {
        sub.close()
        history.close()
    }

    private func nowNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func drainFeed() throws {
        var batch: [WireEvent] = []
        var count = 0
        while count < 10_000, let frames = try sub.receive(dontWait: true) {
            count += 1
            guard frames.count == 2 else { continue }
            if frames[0] == Array("heartbeat".utf8) {
                if let o = try? JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any], let head = (o["head"] as? NSNumber)?.int64Value {
                    knownHead = max(knownHead, head)
                }
                continue
            }
            guard let event = try? decoder.decode(WireEvent.self, from: Data(frames[1])) else {
                logger.warning("undecodable event on the feed", metadata: ["event.topic": "\(String(decoding: frames[0], as: UTF8.self))"])
                continue
            }
            knownHead = max(knownHead, event.position)
            batch.append(event)
        }
        try applyContiguous(batch, skipping: [])
    }

    /// Applies the run of `events` that follows the checkpoint; a position in `skipping` (an undecodable record)
    /// is part of the run as an event that folds into nothing (``WireEvent/init(undecodable:)``), logged and counted.
    private func applyContiguous(_ events: [WireEvent], skipping: [UndecodableRecord]) throws {
        var run: [WireEvent] = []
        var next = checkpoint + 1
        let skips = Dictionary(skipping.map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
        var byPosition = Dictionary(events.map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
        var skipped: [UndecodableRecord] = []
        while true {
            if let e = byPosition.removeValue(forKey: next) {
                run.append(e)
                // A type this version does not read folds into nothing too, but is said, never skipped silently.
                if e.event == nil, e.type != LogCheckpoint.eventType {
                    skipped.append(UndecodableRecord(position: next, reason: "event type \(e.type) is not known to this version of petition-followup"))
                }
            } else if let u = skips[next] {
                run.append(WireEvent(undecodable: next))
                skipped.append(u)
            } else {
                break
            }
            next += 1
        }
        guard !run.isEmpty else { return }
        try apply(run)
        for u in skipped {
            logger.error("skipped a record of the log that cannot be decoded: the views leave it out",
                         metadata: ["log.position": "\(u.position)", "error": "\(u.reason)"])
            undecodable.append(u.position)
            undecodableCount += 1
        }
        if undecodable.count > 100 { undecodable.removeFirst(undecodable.count - 100) }
        checkpoint = next - 1
    }

    /// Asks history for what follows the checkpoint now (unless a request is already in flight):
    /// its reply tells the log's true head, e.g. when a reader waits for a position the feed has not shown.
    public func askHistory() throws { try requestHistory(force: true) }

    /// Asks history now, even while another request is in flight, so that ``headAnswer`` soon tells the head as of now.
    /// False when there is no connection to the gateway (nothing is sent).
    @discardableResult
    public func askHead() throws -> Bool { try requestHistory(force: true, evenInFlight: true) }

    @discardableResult
    private func requestHistory(force: Bool = false, evenInFlight: Bool = false) throws -> Bool {
        if !evenInFlight, let sent = historyInFlight, nowNanos() - sent < 3_000_000_000 { return false }
        guard force || knownHead > checkpoint || !heardHistory else { return false }
        let body = "{\"type\":\"history.read\",\"fromPosition\":\(checkpoint + 1),\"limit\":2000}"
        // The envelope frame before the delimiter comes back with the reply: what was applied when this was asked, and the request's number.
        // With no connection to the gateway the send is refused, not queued: the next call retries.
        let tag = Array("\(checkpoint) \(requestsSent + 1)".utf8)
        guard try history.send([tag, [], Array(body.utf8)], dontWait: true) else { return false }
        historyInFlight = nowNanos()
        requestsSent += 1
        return true
    }

    private struct HistoryPage: Decodable {
        var ok: Bool
        var head: Int64?
        var events: [PageEvent]?
        var undecodable: [UndecodableRecord]?
    }

    /// One event of a page: decoded, or its position and why it could not be (so one bad record never fails the page).
    private struct PageEvent: Decodable {
        var event: WireEvent?
        var undecodable: UndecodableRecord?

        private enum Keys: String, CodingKey { case position }

        init(from decoder: Decoder) throws {
            do {
                event = try WireEvent(from: decoder)
            } catch {
                let position = try decoder.container(keyedBy: Keys.self).decode(Int64.self, forKey: .position)
                undecodable = UndecodableRecord(position: position, reason: "\(error)")
            }
        }
    }

    private func receiveHistory() throws {
        while let frames = try history.receive(dontWait: true) {
            guard let body = frames.last else { continue }
            guard let page = try? decoder.decode(HistoryPage.self, from: Data(body)), page.ok, let events = page.events else {
                logger.warning("history refused or garbled a page", metadata: ["body": "\(String(decoding: body.prefix(300), as: UTF8.self))"])
                continue
            }
            historyInFlight = nil
            if let head = page.head {
                // A page may be older than events the feed brought since it was asked (a slow reply under load):
                // only a head behind what was applied when it was asked means the log lost records.
                let tag = frames.count >= 3 ? String(decoding: frames[0], as: UTF8.self).split(separator: " ") : []
                let appliedWhenAsked = tag.first.flatMap { Int64($0) }
                if tag.count == 2, let request = UInt64(tag[1]), request >= headAnswer?.request ?? 0 { headAnswer = (request, head) }
                let behind = appliedWhenAsked.map { head < $0 } ?? false
                if behind, !warnedLogBehind {
                    logger.error("the event log is behind what this process has applied: was it replaced or restored? Rebuild what was built from it (e.g. delete projections.sqlite)",
                                 metadata: ["log.head": "\(head)", "reader.checkpoint": "\(appliedWhenAsked ?? checkpoint)"])
                    warnedLogBehind = true
                }
                // The page tells the log's true head; a higher one heard on the feed may be from a log that is gone.
                // A page overtaken by the feed tells no less than what is applied.
                knownHead = behind ? head : max(head, checkpoint)
            }
            try applyContiguous(events.compactMap(\.event), skipping: (page.undecodable ?? []) + events.compactMap(\.undecodable))
            heardHistory = true
        }
    }
}
