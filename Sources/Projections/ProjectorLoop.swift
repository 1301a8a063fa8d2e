import EventSourcing
import Foundation
import Logging
import Messaging
import PetitionDomain
import ZeroMQ

/// The projector's loop: catch up from history, follow PUB, repair gaps, answer queries.
///
/// PUB may drop events (before connecting, at the high-water mark), so the
/// feed only tells what exists: any event beyond `checkpoint + 1`, or a
/// heartbeat with a higher head, makes the loop read the gap from the
/// gateway's history endpoint (the zguide's Clone pattern).
public final class ProjectorLoop: @unchecked Sendable {
    private let context: ZMQContext
    private let endpoints: Endpoints
    private let model: OutstandingReadModel
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let startedAt = Timestamp.format(Date())

    private var checkpoint: Int64 = 0
    private var knownHead: Int64 = 0
    private var historyInFlight: UInt64?
    private var warnedLogBehind = false
    private var parked: [(request: RoutedRequest, type: String, fields: JSONFields, minPosition: Int64, deadline: UInt64)] = []
    private let decoder = JSONDecoder()

    public static let messageTypes = ["outstanding", "petition.get", "responsibility", "alerts", "status"]
    /// The most queries waiting for a position at once; more are answered `not_applied` at once.
    public static let maxParked = 1000
    /// The longest a query waits for its minimum position.
    public static let maxWaitMs: Int64 = 30_000

    public init(context: ZMQContext, endpoints: Endpoints, model: OutstandingReadModel, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.context = context
        self.endpoints = endpoints
        self.model = model
        self.logger = logger
        self.now = now
    }

    /// Serves until the context is shut down.
    public func run() throws {
        checkpoint = try model.checkpoint()
        knownHead = checkpoint
        let sub = try context.socket(.sub)
        let history = try context.socket(.dealer)
        let router = try context.socket(.router)
        defer { sub.close(); history.close(); router.close() }
        try sub.setHighWaterMarks(send: 1000, receive: 1_000_000)
        try sub.setMaxMessageSize(16 << 20)
        try sub.subscribe("")
        try sub.connect(endpoints.events)
        try history.setMaxMessageSize(64 << 20)
        try history.setImmediate(true)
        try history.connect(endpoints.history)
        try router.bind(endpoints.queries)
        logger.info("projector serving", metadata: ["endpoint.queries": "\(endpoints.queries)", "projection.checkpoint": "\(checkpoint)"])
        try requestHistory(history, force: true)

        do {
            while true {
                let ready = try ZMQPoll.readable([sub, history, router], timeoutMs: pollTimeout())
                if ready[0] { try drainFeed(sub, history: history) }
                if ready[1] { try receiveHistory(history) }
                if ready[2] { try serveQueries(router, history: history) }
                try housekeeping(router: router, history: history)
            }
        } catch let error as ZMQError where error.isTerminated {
            logger.info("projector stopping", metadata: ["projection.checkpoint": "\(checkpoint)"])
        }
    }

    private func nowNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func pollTimeout() -> Int {
        var timeout: UInt64 = 200
        let t = nowNanos()
        for p in parked { timeout = min(timeout, p.deadline > t ? (p.deadline - t) / 1_000_000 + 1 : 0) }
        return Int(timeout)
    }

    // MARK: Feed and history

    private func drainFeed(_ sub: ZMQSocket, history: ZMQSocket) throws {
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
        try applyContiguous(batch)
        if knownHead > checkpoint { try requestHistory(history) }
    }

    /// Applies the run of events that continues the checkpoint; the rest waits for history.
    private func applyContiguous(_ events: [WireEvent]) throws {
        var run: [WireEvent] = []
        var next = checkpoint + 1
        for e in events.sorted(by: { $0.position < $1.position }) where e.position >= next {
            guard e.position == next else { break }
            run.append(e)
            next += 1
        }
        guard !run.isEmpty else { return }
        checkpoint = try model.apply(run)
    }

    private func requestHistory(_ history: ZMQSocket, force: Bool = false) throws {
        if let sent = historyInFlight, nowNanos() - sent < 3_000_000_000 { return }
        guard force || knownHead > checkpoint else { return }
        let body = "{\"type\":\"history.read\",\"fromPosition\":\(checkpoint + 1),\"limit\":2000}"
        // With no connection to the gateway the send is refused, not queued: housekeeping retries.
        if try history.send([[], Array(body.utf8)], dontWait: true) { historyInFlight = nowNanos() }
    }

    private struct HistoryPage: Decodable {
        var ok: Bool
        var head: Int64?
        var events: [WireEvent]?
    }

    private func receiveHistory(_ history: ZMQSocket) throws {
        while let frames = try history.receive(dontWait: true) {
            guard let body = frames.last else { continue }
            let page: HistoryPage
            do {
                page = try decoder.decode(HistoryPage.self, from: Data(body))
            } catch {
                // Keep the request "in flight" so the retry waits its turn instead of spinning.
                logger.error("unreadable history page", metadata: ["error": "\(error)"])
                continue
            }
            guard page.ok, let events = page.events else {
                logger.warning("history refused a page", metadata: ["body": "\(String(decoding: body.prefix(300), as: UTF8.self))"])
                continue
            }
            historyInFlight = nil
            if let head = page.head {
                if head < checkpoint, !warnedLogBehind {
                    logger.error("the event log is behind this projection: was it replaced or restored? Rebuild the projection (delete projections.sqlite)",
                                 metadata: ["log.head": "\(head)", "projection.checkpoint": "\(checkpoint)"])
                    warnedLogBehind = true
                }
                // The page tells the log's true head; a higher one heard on the feed may be from a log that is gone.
                knownHead = head
            }
            try applyContiguous(events)
        }
        if knownHead > checkpoint { try requestHistory(history) }
    }

    // MARK: Queries

    private func serveQueries(_ router: ZMQSocket, history: ZMQSocket) throws {
        while let frames = try router.receive(dontWait: true) {
            guard let request = RoutedRequest(frames) else { continue }
            do {
                let (type, fields) = try RequestBody.parse(request.body)
                guard Self.messageTypes.contains(type) else { throw WireError.unknownType(type, known: Self.messageTypes) }
                let minPosition = try fields.optionalInt("minPosition") ?? 0
                if minPosition > checkpoint {
                    guard parked.count < Self.maxParked else {
                        throw WireError.notApplied(position: minPosition, waited: 0, applied: checkpoint)
                    }
                    let wait = min(try fields.optionalInt("waitMs") ?? 5000, Self.maxWaitMs)
                    parked.append((request, type, fields, minPosition, nowNanos() + UInt64(max(0, wait)) * 1_000_000))
                    // The position may be newer than the feed has shown: ask history (which tells the true head).
                    try requestHistory(history, force: true)
                    continue
                }
                try request.reply(reply(type, fields), on: router)
            } catch let error as WireError {
                try request.reply(Wire.bytes(ErrorReply(error)), on: router)
            }
        }
    }

    private func housekeeping(router: ZMQSocket, history: ZMQSocket) throws {
        if knownHead > checkpoint { try requestHistory(history) }
        guard !parked.isEmpty else { return }
        let t = nowNanos()
        var still: [(request: RoutedRequest, type: String, fields: JSONFields, minPosition: Int64, deadline: UInt64)] = []
        for p in parked {
            if p.minPosition <= checkpoint {
                try p.request.reply(reply(p.type, p.fields), on: router)
            } else if t >= p.deadline {
                let waited = min(max(0, ((try? p.fields.optionalInt("waitMs")) ?? nil) ?? 5000), Self.maxWaitMs)
                try p.request.reply(Wire.bytes(ErrorReply(.notApplied(position: p.minPosition, waited: waited, applied: checkpoint))), on: router)
            } else {
                still.append(p)
            }
        }
        parked = still
    }

    /// The reply to a query: its answer, or an error reply that says what is wrong.
    private func reply(_ type: String, _ f: JSONFields) -> [UInt8] {
        do {
            return try answer(type, f)
        } catch let error as WireError {
            return Wire.bytes(ErrorReply(error))
        } catch {
            logger.error("query failed", metadata: ["error": "\(error)"])
            return Wire.bytes(ErrorReply(.unavailable("the read model could not be read", retry: "retry later")))
        }
    }

    private func answer(_ type: String, _ f: JSONFields) throws -> [UInt8] {
        let at = try f.optionalInstant("now") ?? now()
        switch type {
        case "outstanding":
            let filter = OutstandingFilter(unit: try f.optionalString("unit", maxLength: 200),
                                           department: try f.optionalString("department", maxLength: 200),
                                           assignee: try f.optionalString("assignee", maxLength: 200),
                                           overdueOnly: try f.optionalBool("overdue") ?? false)
            let limit = try Self.limit(f, default: 1000)
            let (items, total) = try model.outstanding(filter, now: at, limit: limit)
            return Wire.bytes(ProjectorReply.Items(position: checkpoint, count: items.count, total: total, items: items))
        case "petition.get":
            let id = try f.string("petitionId", maxLength: 64)
            guard let view = try model.petition(id, now: at) else {
                throw WireError.notFound("petition \(id) does not exist; check the id with `petitionctl outstanding`")
            }
            return Wire.bytes(ProjectorReply.Petition(position: checkpoint, petition: view, custody: try model.custody(of: id, now: at)))
        case "responsibility":
            let query = ResponsibilityQuery(unit: try f.optionalString("unit", maxLength: 200), department: try f.optionalString("department", maxLength: 200))
            let report = try model.responsibility(query, now: at)
            return Wire.bytes(ProjectorReply.Responsibility(position: checkpoint, today: report.today, departments: report.departments, officials: report.officials))
        case "alerts":
            let query = AlertsQuery(unit: try f.optionalString("unit", maxLength: 200), petitionId: try f.optionalString("petitionId", maxLength: 64),
                                    state: try f.optionalChoice("state", AlertStatus.self), level: try f.optionalChoice("level", EscalationLevel.self),
                                    limit: try Self.limit(f, default: 100))
            let (items, total) = try model.alerts(query)
            return Wire.bytes(ProjectorReply.Alerts(position: checkpoint, count: items.count, total: total, items: items))
        default:
            return Wire.bytes(ProcessStatus(process: "petition-projector", pid: getpid(), position: checkpoint, head: knownHead, startedAt: startedAt))
        }
    }

    /// The `limit` field: 1 to 10000, `fallback` when absent.
    private static func limit(_ f: JSONFields, default fallback: Int64) throws -> Int {
        let limit = try f.optionalInt("limit") ?? fallback
        guard (1...10_000).contains(limit) else { throw WireError.invalidValue("limit", "must be between 1 and 10000, got \(limit)") }
        return Int(limit)
    }
}
