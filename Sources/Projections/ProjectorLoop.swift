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

    /// Set by ``run()``: the feed and history, applying into the model.
    private var follower: EventFollower?
    private var checkpoint: Int64 { follower?.checkpoint ?? 0 }
    private var knownHead: Int64 { follower?.knownHead ?? 0 }
    private var parked: [(request: RoutedRequest, type: String, fields: JSONFields, minPosition: Int64, deadline: UInt64)] = []

    public static let messageTypes = ["outstanding", "petition.get", "responsibility", "alerts", "search", "status"]
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
        let follower = try EventFollower(context: context, endpoints: endpoints, checkpoint: try model.checkpoint(), logger: logger) { [model] events in
            try model.apply(events)
        }
        self.follower = follower
        let router = try context.socket(.router)
        defer { follower.close(); router.close() }
        try router.bind(endpoints.queries)
        logger.info("projector serving", metadata: ["endpoint.queries": "\(endpoints.queries)", "projection.checkpoint": "\(checkpoint)"])

        do {
            while true {
                let ready = try ZMQPoll.readable(follower.sockets + [router], timeoutMs: pollTimeout())
                try follower.handle(Array(ready[0..<2]))
                if ready[2] { try serveQueries(router, follower: follower) }
                try housekeeping(router: router)
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

    // MARK: Queries

    private func serveQueries(_ router: ZMQSocket, follower: EventFollower) throws {
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
                    try follower.askHistory()
                    continue
                }
                try request.reply(reply(type, fields), on: router)
            } catch let error as WireError {
                try request.reply(Wire.bytes(ErrorReply(error)), on: router)
            }
        }
    }

    private func housekeeping(router: ZMQSocket) throws {
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
        case "search":
            let personIds = try f.optionalStringArray("personIds", maxCount: 10_000, maxLength: 64)
            let query = SearchQuery(text: try f.optionalString("text", maxLength: 500), category: try f.optionalChoice("category", PetitionCategory.self),
                                    unit: try f.optionalString("unit", maxLength: 200), department: try f.optionalString("department", maxLength: 200),
                                    personIds: personIds, limit: try Self.limit(f, default: 100))
            guard !query.words.isEmpty || query.category != nil || query.unit != nil || query.department != nil || query.personIds != nil else {
                throw WireError.invalidValue("text", "say what to search for: text, category, unit, department or personIds")
            }
            let (items, total) = try model.search(query, now: at)
            return Wire.bytes(ProjectorReply.Items(position: checkpoint, count: items.count, total: total, items: items))
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
