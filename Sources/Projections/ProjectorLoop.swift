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

    public static let messageTypes = ReadModelQueries.messageTypes + ["status"]
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
        guard type == "status" else { return try ReadModelQueries(model: model).answer(type, f, position: checkpoint, now: now()) }
        _ = try f.optionalInstant("now")
        return Wire.bytes(ProcessStatus(process: "petition-projector", pid: getpid(), position: checkpoint, head: knownHead, startedAt: startedAt,
                                         undecodable: follower.map { $0.undecodable.isEmpty ? nil : $0.undecodable } ?? nil))
    }
}
