import EventSourcing
import Foundation
import Logging
import PetitionDomain
import ZeroMQ

/// The gateway's writer loop: a ROUTER for commands and a PUB for committed events.
///
/// It drains every waiting command (up to `maxBatch`), decides them all, commits
/// them in one transaction, and only then replies and publishes: one fsync for
/// many commands (group commit). While batches commit, the next is decided on
/// what they leave (``CommandProcessor/submit(_:)``); the loop wakes for a
/// finished commit as for a command, and replies at once. A heartbeat on PUB carries
/// the head position, so a quiet subscriber still learns that it missed something.
public final class GatewayLoop: @unchecked Sendable {
    private let context: ZMQContext
    private let endpoints: Endpoints
    private let processor: CommandProcessor
    private let logger: Logger
    private let maxBatch: Int
    private let heartbeatMs: Int
    private let startedAt = Timestamp.format(Date())
    private var checkpoints: CheckpointSigning?
    /// Received commands not yet decided: bounded, served round-robin by connection.
    private let admission = CommandAdmission()
    /// The keys the ZAP handler admits: told of every change to the registry this loop commits.
    private let keys: KeyAdmission?
    /// Who sent each request of the batches being committed, by batch number (their replies come with its outcome).
    private var senders: [Int: [RoutedRequest]] = [:]

    /// With `checkpoints`, the loop appends a signed `audit.checkpoint.v1` whenever their schedule says one is due.
    public init(context: ZMQContext, endpoints: Endpoints, processor: CommandProcessor, logger: Logger,
                maxBatch: Int = 1024, heartbeatMs: Int = 500, checkpoints: CheckpointSigning? = nil, admission keys: KeyAdmission? = nil) {
        self.checkpoints = checkpoints
        self.keys = keys
        self.context = context
        self.endpoints = endpoints
        self.processor = processor
        self.logger = logger
        self.maxBatch = maxBatch
        self.heartbeatMs = heartbeatMs
    }

    /// Serves until the context is shut down. Throws if an endpoint cannot be bound.
    public func run() throws(ZMQError) {
        let router = try context.socket(.router)
        let pub = try context.socket(.pub)
        defer { router.close(); pub.close() }
        try CommandAdmission.configure(router)
        try pub.setHighWaterMarks(send: 1_000_000, receive: 1000)
        try router.serve(endpoints)
        try pub.serve(endpoints)
        try router.bind(endpoints.commands)
        try pub.bind(endpoints.events)
        logger.info("gateway serving", metadata: ["endpoint.commands": "\(endpoints.commands)", "endpoint.events": "\(endpoints.events)", "log.head": "\(processor.head)"])

        var lastHeartbeat = DispatchTime.now().uptimeNanoseconds
        do {
            while true {
                let elapsedMs = Int((DispatchTime.now().uptimeNanoseconds - lastHeartbeat) / 1_000_000)
                let ready = try ZMQPoll.readable([router], orFileDescriptors: [processor.commitFinishedFD],
                                                 timeoutMs: admission.isEmpty ? max(0, heartbeatMs - elapsedMs) : 0)
                // A commit finished: its senders hear at once, before anything new is decided.
                if ready[1] { try deliver(processor.finished(), router: router, pub: pub) }
                if ready[0] || !admission.isEmpty { try serveBatch(router: router, pub: pub) }
                try checkpointIfDue(router: router, pub: pub)
                if DispatchTime.now().uptimeNanoseconds - lastHeartbeat >= UInt64(heartbeatMs) * 1_000_000 {
                    try pub.send([Array("heartbeat".utf8), Array("{\"head\":\(processor.head)}".utf8)], dontWait: true)
                    lastHeartbeat = DispatchTime.now().uptimeNanoseconds
                }
            }
        } catch where error.isTerminated {
            // Commits under way finish before the store closes (their senders retry and get the same replies).
            _ = processor.flush()
            logger.info("gateway stopping", metadata: ["log.head": "\(processor.head)"])
        }
    }

    /// Appends and publishes a signed checkpoint of the head when one is due.
    private func checkpointIfDue(router: ZMQSocket, pub: ZMQSocket) throws(ZMQError) {
        guard let signing = checkpoints else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard signing.schedule.isDue(head: processor.head, nowNanos: now) else { return }
        try deliver(processor.flush(), router: router, pub: pub)
        do {
            let record = try processor.appendCheckpoint(signedWith: signing.key)
            checkpoints?.schedule.appended(at: record.position, nowNanos: now)
            logger.info("checkpoint signed", metadata: ["log.position": "\(record.position - 1)", "log.head": "\(record.position)"])
            try pub.send([Array(record.type.utf8), Array(CloudEvent.json(record).utf8)], dontWait: true)
        } catch let error as ZMQError {
            throw error
        } catch {
            checkpoints?.schedule.postpone(nowNanos: now)
            logger.error("checkpoint could not be appended", metadata: ["error": "\(error)"])
        }
    }

    private func serveBatch(router: ZMQSocket, pub: ZMQSocket) throws(ZMQError) {
        var routed: [RoutedRequest] = []
        var requests: [Result<CommandRequest, WireError>] = []
        var immediate: [(RoutedRequest, [UInt8])] = []
        let dropped = try admission.receive(from: router)
        if dropped > 0 { logger.debug("dropped messages without an envelope", metadata: ["messages": "\(dropped)"]) }
        let taken = admission.nextBatch(maxCount: maxBatch)
        for (request, parsed) in zip(taken, Self.parse(taken)) {
            switch parsed {
            case .status:
                let status = ProcessStatus(process: "petition-gateway", pid: getpid(), position: processor.head,
                                           head: processor.head, startedAt: startedAt, tally: processor.tally)
                immediate.append((request, Wire.bytes(status)))
            case .command(let command):
                requests.append(command)
                routed.append(request)
            }
        }
        for (request, reply) in immediate { try request.reply(reply, on: router) }
        guard !requests.isEmpty else { return }

        let (batch, finished) = processor.submit(requests)
        senders[batch] = routed
        try deliver(finished, router: router, pub: pub)
    }

    private enum Parsed: Sendable {
        case status
        case command(Result<CommandRequest, WireError>)
    }

    /// Bodies parsed into requests, on this thread. (Parsing a batch in chunks on both cores measured slower in
    /// intake: the second core is the commit thread's and the clients'; BENCHMARKS.md, 2026-12-05.)
    private static func parse(_ requests: [RoutedRequest]) -> [Parsed] {
        func one(_ request: RoutedRequest) -> Parsed {
            do {
                let (type, fields) = try RequestBody.parse(request.body)
                if type == "status" { return .status }
                return .command(.success(try CommandRequest(type: type, fields: fields, userId: request.userId)))
            } catch {
                return .command(.failure(error))
            }
        }
        return requests.map(one)
    }

    /// Replies to finished batches' senders and publishes what they committed, in order.
    private func deliver(_ outcomes: [CommandProcessor.Outcome], router: ZMQSocket, pub: ZMQSocket) throws(ZMQError) {
        for outcome in outcomes { try deliver(outcome, to: senders.removeValue(forKey: outcome.batch) ?? [], router: router, pub: pub) }
    }

    private func deliver(_ outcome: CommandProcessor.Outcome, to routed: [RoutedRequest], router: ZMQSocket, pub: ZMQSocket) throws(ZMQError) {
        logger.trace("batch", metadata: ["batch.commands": "\(routed.count)", "batch.events": "\(outcome.committed.count)"])
        if let keys, let last = outcome.committed.last(where: { $0.stream.category == Registry.category }) {
            // A key issued or revoked: admitted, or refused, from the next connection on (before anyone hears of it).
            do { keys.admit(try processor.committedRegistry(), version: last.streamVersion) } catch {
                logger.error("the registry could not be read after a commit; keys change at the next restart", metadata: ["error": "\(error)"])
            }
        }
        for (request, reply) in zip(routed, outcome.replies) {
            try request.reply(Array(reply.utf8), on: router)
        }
        for (event, json) in zip(outcome.committed, outcome.published) {
            try pub.send([Array(event.type.utf8), Array(json.utf8)], dontWait: true)
        }
    }
}

