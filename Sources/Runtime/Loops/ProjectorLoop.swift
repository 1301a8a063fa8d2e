import EventSourcing
import Foundation
import Metrics
import Logging
import Messaging
import PetitionDomain
import Projections
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
    /// A query waiting for its `minPosition`.
    private struct Parked {
        var request: RoutedRequest
        var type: String
        var fields: JSONFields
        var minPosition: Int64
        var waitMs: Int64
        var arrived: UInt64
        var deadline: UInt64
        /// Beyond every head heard when it came: an answer to history request number `headRequest` or later says whether it exists.
        var headRequest: UInt64?
        /// The connection it came on (the ROUTER's identity for it).
        var client: [UInt8] { request.envelope.first ?? [] }
    }
    private var parked: [Parked] = []

    public static let messageTypes = ReadModelQueries.messageTypes + ["status"]
    /// The most queries waiting for a position at once. When all are taken, a query from a connection that holds
    /// fewer of them than the connection holding the most takes that one's newest slot (answered `not_applied` then);
    /// otherwise it is answered `not_applied` at once.
    public static let maxParked = 1000
    /// The longest a query waits for its minimum position.
    public static let maxWaitMs: Int64 = 30_000

    /// The keys the projector's ZAP handler admits, told of every registry event applied.
    private let admission: KeyAdmission?

    public init(context: ZMQContext, endpoints: Endpoints, model: OutstandingReadModel, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }, admission: KeyAdmission? = nil) {
        self.admission = admission
        self.context = context
        self.endpoints = endpoints
        self.model = model
        self.logger = logger
        self.now = now
    }

    /// Serves until the context is shut down.
    public func run() throws {
        let follower = try EventFollower(context: context, endpoints: endpoints, checkpoint: try model.checkpoint(), logger: logger) { [model, admission] events in
            try model.apply(events)
            if let admission {
                for e in events { if case .registry(let r)? = e.event { admission.fold(r, version: e.streamVersion) } }
            }
        }
        self.follower = follower
        let router = try context.socket(.router)
        defer { follower.close(); router.close() }
        try router.serve(endpoints)
        try router.bind(endpoints.queries)
        logger.info("projector serving", metadata: ["endpoint.queries": "\(endpoints.queries)", "projection.checkpoint": "\(checkpoint)"])

        do {
            while true {
                let ready = try ZMQPoll.readable(follower.sockets + [router], timeoutMs: pollTimeout())
                try follower.handle(Array(ready[0..<2]))
                if ready[2] { try serveQueries(router, follower: follower) }
                try housekeeping(router: router)
                reportPosition()
            }
        } catch let error as ZMQError where error.isTerminated {
            logger.info("projector stopping", metadata: ["projection.checkpoint": "\(checkpoint)"])
        }
    }

    /// How far the read models are applied, and how far behind the log's head that is, for the process's /metrics.
    private func reportPosition() {
        let position = checkpoint, head = knownHead
        guard position != reportedPosition || head != reportedHead else { return }
        reportedPosition = position
        reportedHead = head
        positionGauge.record(position)
        lagGauge.record(max(0, head - position))
    }
    private var reportedPosition: Int64 = -1, reportedHead: Int64 = -1
    private lazy var positionGauge = Gauge(label: "petition_projector_position")
    private lazy var lagGauge = Gauge(label: "petition_projector_lag")

    private func nowNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func pollTimeout() -> Int {
        var timeout: UInt64 = 200
        let t = nowNanos()
        for p in parked { timeout = min(timeout, p.deadline > t ? (p.deadline - t) / 1_000_000 + 1 : 0) }
        return Int(timeout)
    }

    // MARK: Queries

    private func serveQueries(_ router: ZMQSocket, follower: EventFollower) throws {
        var askHead = false
        while let (frames, userId) = try router.receiveAuthenticated(dontWait: true) {
            guard let request = RoutedRequest(frames, userId: userId) else { continue }
            do {
                let (type, fields) = try RequestBody.parse(request.body)
                guard Self.messageTypes.contains(type) else { throw WireError.unknownType(type, known: Self.messageTypes) }
                let minPosition = try fields.optionalInt("minPosition") ?? 0
                guard minPosition > checkpoint else {
                    try request.reply(reply(type, fields, userId: request.userId), on: router)
                    continue
                }
                let wait = min(max(0, try fields.optionalInt("waitMs") ?? 5000), Self.maxWaitMs)
                let t = nowNanos()
                // Beyond every head heard: ask history (its answer tells the head as of now), and refuse it then if the log is shorter.
                let beyond = minPosition > knownHead
                var query = Parked(request: request, type: type, fields: fields, minPosition: minPosition, waitMs: wait, arrived: t,
                                   deadline: t + UInt64(wait) * 1_000_000, headRequest: beyond ? follower.nextRequest : nil)
                if beyond { askHead = true }
                try park(&query, router: router)
            } catch let error as WireError {
                try request.reply(Wire.bytes(ErrorReply(error)), on: router)
            }
        }
        if askHead { try follower.askHead() }
    }

    /// Takes a waiting slot for `query`, fairly between connections (see ``maxParked``).
    private func park(_ query: inout Parked, router: ZMQSocket) throws {
        if parked.count >= Self.maxParked {
            var held: [[UInt8]: Int] = [:]
            for p in parked { held[p.client, default: 0] += 1 }
            guard let most = held.max(by: { $0.value < $1.value }), most.value > (held[query.client] ?? 0) + 1,
                  let index = parked.lastIndex(where: { $0.client == most.key }) else {
                throw WireError.notApplied(position: query.minPosition, waited: 0, applied: checkpoint)
            }
            try refuse(parked.remove(at: index), router: router)
        }
        parked.append(query)
    }

    /// Answers a waiting query `not_applied`, saying how long it waited.
    private func refuse(_ p: Parked, router: ZMQSocket) throws {
        let waited = Int64((nowNanos() - p.arrived) / 1_000_000)
        try p.request.reply(Wire.bytes(ErrorReply(.notApplied(position: p.minPosition, waited: min(waited, p.waitMs), applied: checkpoint))), on: router)
    }

    private func housekeeping(router: ZMQSocket) throws {
        guard !parked.isEmpty else { return }
        let t = nowNanos()
        let answer = follower?.headAnswer
        var still: [Parked] = []
        for p in parked {
            if p.minPosition <= checkpoint {
                try p.request.reply(reply(p.type, p.fields, userId: p.request.userId), on: router)
            } else if let asked = p.headRequest, let answer, answer.request >= asked, p.minPosition > answer.head {
                let error = WireError.invalidValue("minPosition", "\(p.minPosition) is beyond the log's head \(answer.head): pass a position a command reply gave")
                try p.request.reply(Wire.bytes(ErrorReply(error)), on: router)
            } else if t >= p.deadline {
                try refuse(p, router: router)
            } else {
                still.append(p)
            }
        }
        parked = still
    }

    /// The reply to a query: its answer, or an error reply that says what is wrong.
    private func reply(_ type: String, _ f: JSONFields, userId: String?) -> [UInt8] {
        do {
            return try answer(type, f, scope: scope(of: try Delegation.identity(userId, f)))
        } catch let error as WireError {
            return Wire.bytes(ErrorReply(error))
        } catch {
            logger.error("query failed", metadata: ["error": "\(error)"])
            return Wire.bytes(ErrorReply(.unavailable("the read model could not be read", retry: "retry later")))
        }
    }

    /// The units whose petitions `userId` may see, by name: an official's unit and the units below it (an
    /// administrator, who belongs to none, sees none); everything for the system's workers.
    private func scope(of userId: String?) -> [String]? {
        guard let admission, let userId, !userId.hasPrefix(CommandProcessor.servicePrefix) else { return nil }
        let registry = admission.registry
        guard let official = registry.official(acting: userId), !official.unit.isEmpty else { return [] }
        return registry.subtree(official.unit).flatMap { registry.names(of: $0) }.sorted()
    }

    private func answer(_ type: String, _ f: JSONFields, scope: [String]?) throws -> [UInt8] {
        guard type == "status" else {
            let registry = admission?.registry
            return try ReadModelQueries(model: model).answer(type, f, position: checkpoint, now: now(), scope: scope) { text in
                guard let registry, let unit = try? registry.unit(named: text) else { return nil }
                return registry.subtree(unit.code).flatMap { registry.names(of: $0) }.sorted()
            }
        }
        _ = try f.optionalInstant("now")
        return Wire.bytes(ProcessStatus(process: "petition-projector", pid: getpid(), position: checkpoint, head: knownHead, startedAt: startedAt,
                                         undecodable: follower.map { $0.undecodable.isEmpty ? nil : $0.undecodable } ?? nil))
    }
}
