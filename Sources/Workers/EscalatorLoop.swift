import EventSourcing
import Foundation
import Logging
import Metrics
import Messaging
import PetitionDomain
import ZeroMQ

/// The escalator's loop: rebuild the schedule from history, follow events, and at each tick send
/// the rungs that fell due to the gateway as `petition.escalate` commands.
///
/// Nothing is sent before the schedule has caught up with the log, so a petition
/// resolved while the escalator was down is never escalated. Each command's id is
/// `esc:<petition>:<level>:<deadline>`: resent after a restart or a lost reply, it
/// lands in the log exactly once.
public final class EscalatorLoop: @unchecked Sendable {
    private let context: ZMQContext
    private let endpoints: Endpoints
    private let schedule: EscalationSchedule
    private let clock: @Sendable () -> Date?
    private let tickMs: Int
    private let logger: Logger
    /// Commands sent and not yet answered, by command id, with when they were sent.
    private var inFlight: [String: (due: EscalationDue, sentAt: UInt64)] = [:]
    public static let replyTimeoutNanos: UInt64 = 10_000_000_000
    public static let retryAfterMillis: Int64 = 2_000

    /// `clock` gives "now"; nil (an unreadable clock file) skips the tick.
    public init(context: ZMQContext, endpoints: Endpoints, directory: UnitDirectory, clock: @escaping @Sendable () -> Date?,
                tickMs: Int = 1000, logger: Logger) {
        self.context = context
        self.endpoints = endpoints
        self.schedule = EscalationSchedule(directory: directory)
        self.clock = clock
        self.tickMs = tickMs
        self.logger = logger
    }

    /// Serves until the context is shut down.
    public func run() throws {
        let follower = try EventFollower(context: context, endpoints: endpoints, checkpoint: 0, logger: logger) { [schedule] events in
            for e in events { if let event = e.event { schedule.apply(event) } }
        }
        let commands = try context.socket(.dealer)
        defer { follower.close(); commands.close() }
        try commands.setMaxMessageSize(1 << 20)
        try commands.pin(endpoints.pin(.gateway))
        try commands.connect(endpoints.commands)
        logger.info("escalator started", metadata: ["endpoint.commands": "\(endpoints.commands)"])
        var lastTick: UInt64 = 0
        var announced = false
        do {
            while true {
                let ready = try ZMQPoll.readable(follower.sockets + [commands], timeoutMs: min(tickMs, 200))
                try follower.handle(Array(ready[0..<2]))
                if ready[2] { receiveReplies(commands) }
                let t = DispatchTime.now().uptimeNanoseconds
                guard follower.caughtUp else { continue }
                if !announced {
                    logger.info("schedule rebuilt from history", metadata: ["log.position": "\(follower.checkpoint)", "schedule.held": "\(schedule.heldCount)"])
                    announced = true
                }
                if t - lastTick >= UInt64(tickMs) * 1_000_000 {
                    lastTick = t
                    try tick(commands)
                }
            }
        } catch let error as ZMQError where error.isTerminated {
            logger.info("escalator stopping")
        }
    }

    private func tick(_ commands: ZMQSocket) throws {
        let t = DispatchTime.now().uptimeNanoseconds
        for (id, f) in inFlight where t - f.sentAt > Self.replyTimeoutNanos {
            inFlight[id] = nil
            schedule.retry(f.due, at: 0)
        }
        defer { report() }
        guard let now = clock() else {
            logger.warning("the clock could not be read: no escalation this tick")
            return
        }
        let nowMillis = Timestamp.millis(now)
        for due in schedule.due(at: nowMillis, limit: 5_000) {
            let body = Self.command(due)
            guard try commands.send([[], Array(body.utf8)], dontWait: true) else {
                schedule.retry(due, at: nowMillis + Self.retryAfterMillis)
                continue
            }
            inFlight[due.commandId] = (due, t)
            Counter(label: "petition_escalations_due_total").increment()
            logger.info("escalation due", metadata: ["petition.id": "\(due.petitionId)", "escalation.level": "\(due.level.rawValue)",
                                                     "petition.deadline": "\(due.deadline)", "escalation.recipient": "\(due.recipient)"])
        }
    }

    /// What the escalator holds, for the process's /metrics: petitions watched and escalations sent but not yet recorded.
    private func report() {
        Gauge(label: "petition_escalations_watched").record(schedule.heldCount)
        Gauge(label: "petition_escalations_in_flight").record(inFlight.count)
    }

    private func receiveReplies(_ commands: ZMQSocket) {
        while let frames = try? commands.receive(dontWait: true), let body = frames.last {
            guard let reply = CommandReply(json: body), let id = reply.commandId, let sent = inFlight.removeValue(forKey: id) else { continue }
            if reply.ok {
                Counter(label: "petition_escalations_recorded_total").increment()
                continue
            }
            switch reply.error?.errorCode {
            case .alreadyEscalated?, .escalationNotDue?:
                continue // Raised already, or no longer held with that deadline: nothing to do.
            default:
                logger.warning("escalation not recorded; retrying", metadata: ["petition.id": "\(sent.due.petitionId)", "error.code": "\(reply.error?.code ?? "?")"])
                schedule.retry(sent.due, at: (clock().map(Timestamp.millis) ?? 0) + Self.retryAfterMillis)
            }
        }
    }

    /// The `petition.escalate` command for a rung that fell due.
    static func command(_ due: EscalationDue) -> String {
        CommandRequest(commandId: due.commandId, occurredAt: Timestamp.date(millis: due.dueAt),
                       Commands.Escalate(petitionId: due.petitionId, level: due.level, deadline: due.deadline, due: due.due, recipient: due.recipient)).wireJSON
    }
}
