import Delivery
import EventSourcing
import Foundation
import Logging
import Metrics
import Messaging
import PetitionDomain
import ZeroMQ

/// Where the notifier delivers: each a named sink; e-mail recipients per unit.
public struct NotifierSinks: Sendable {
    public var webhook: WebhookSink?
    /// A mail server and sender; recipients come from the unit (`alertEmails`) or `defaultRecipients`.
    public var smtp: (host: String, port: Int, from: String)?
    public var defaultRecipients: [String]
    public var file: FileSink?

    public init(webhook: WebhookSink? = nil, smtp: (host: String, port: Int, from: String)? = nil, defaultRecipients: [String] = [], file: FileSink? = nil) {
        self.webhook = webhook
        self.smtp = smtp
        self.defaultRecipients = defaultRecipients
        self.file = file
    }
}

/// The notifier's loop: follow escalations, deliver each alert to every sink, record each outcome in the log.
///
/// Each sink has its own serial queue, so a failing or slow sink never holds up
/// the others. An outcome is recorded through the gateway (`alert.record`,
/// idempotent by alert and sink); what the log says was delivered is never sent
/// again, also after a restart. An alert delivered but not yet recorded when the
/// notifier died is sent again with the same idempotency key (`Idempotency-Key`
/// header, `Message-ID`), so the receiver can drop the copy.
public final class NotifierLoop: @unchecked Sendable {
    private struct Key: Hashable {
        var alertId: String
        var sink: String
    }

    private let context: ZMQContext
    private let endpoints: Endpoints
    private let sinks: NotifierSinks
    private let directory: UnitDirectory
    private let backoff: Backoff
    private let logger: Logger
    private var alerts: [String: Alert] = [:]
    /// Each petition's kind, from its submission, so an alert names it (a tố cáo is called a tố cáo).
    private var kinds: [String: PetitionKind] = [:]
    private var delivered: Set<Key> = []
    private var abandoned: Set<Key> = []
    private var failures: [Key: Int] = [:]
    /// Handed to a sink's queue and not yet back.
    private var busy: Set<Key> = []
    /// Outcomes waiting to be recorded (resent until the gateway answers).
    private var unrecorded: [String: (body: String, key: Key, delivered: Bool, sentAt: UInt64?)] = [:]
    private let queues: [String: DispatchQueue]
    private let outbox = Outbox()

    private final class Outbox: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(Key, Int, DeliveryOutcome)] = []
        func post(_ item: (Key, Int, DeliveryOutcome)) { lock.withLock { items.append(item) } }
        func take() -> [(Key, Int, DeliveryOutcome)] { lock.withLock { defer { items = [] }; return items } }
    }

    public init(context: ZMQContext, endpoints: Endpoints, sinks: NotifierSinks, directory: UnitDirectory,
                backoff: Backoff = Backoff(), logger: Logger) {
        self.context = context
        self.endpoints = endpoints
        self.sinks = sinks
        self.directory = directory
        self.backoff = backoff
        self.logger = logger
        queues = Dictionary(uniqueKeysWithValues: ["webhook", "email", "file"].map { ($0, DispatchQueue(label: "petition.notifier.\($0)")) })
    }

    /// Serves until the context is shut down.
    public func run() throws {
        let follower = try EventFollower(context: context, endpoints: endpoints, checkpoint: 0, logger: logger) { [self] events in
            for e in events { fold(e) }
        }
        let commands = try context.socket(.dealer)
        defer { follower.close(); commands.close() }
        try commands.setMaxMessageSize(1 << 20)
        try commands.pin(endpoints.pin(.gateway))
        try commands.connect(endpoints.commands)
        logger.info("notifier started", metadata: ["notifier.sinks": "\(sinkNames(unit: "").joined(separator: ","))"])
        do {
            while true {
                let ready = try ZMQPoll.readable(follower.sockets + [commands], timeoutMs: 50)
                try follower.handle(Array(ready[0..<2]))
                if ready[2] { receiveReplies(commands) }
                guard follower.caughtUp else { continue }
                if !caughtUp {
                    caughtUp = true
                    logger.info("caught up with the log", metadata: ["alerts.known": "\(alerts.count)", "alerts.delivered": "\(delivered.count)"])
                    for alert in alerts.values { dispatchAll(alert) }
                }
                for (key, attempt, outcome) in outbox.take() { settle(key, attempt: attempt, outcome) }
                try sendRecords(commands)
            }
        } catch let error as ZMQError where error.isTerminated {
            logger.info("notifier stopping")
        }
    }

    private func sinkNames(unit: String) -> [String] {
        var names: [String] = []
        if sinks.webhook != nil { names.append("webhook") }
        if sinks.smtp != nil, !recipients(unit).isEmpty { names.append("email") }
        if sinks.file != nil { names.append("file") }
        return names
    }

    private func recipients(_ unit: String) -> [String] {
        let own = directory.settings(unit).alertEmails
        return own.isEmpty ? sinks.defaultRecipients : own
    }

    private func fold(_ event: WireEvent) {
        switch event.event {
        case .petition(.submitted(let s))?:
            kinds[s.petitionId] = s.kind
        case .petition(.escalated(let e))?:
            let alert = AlertText.alert(e, raisedAt: Timestamp.format(event.recordedAt), kind: kinds[e.petitionId])
            alerts[alert.alertId] = alert
            dispatchAll(alert)
        case .alert(.delivered(let d))?:
            delivered.insert(Key(alertId: d.alertId, sink: d.sink))
        case .alert(.deliveryFailed(let f))?:
            let key = Key(alertId: f.alertId, sink: f.sink)
            failures[key] = max(failures[key] ?? 0, f.attempt)
            if f.permanent { abandoned.insert(key) }
        default:
            break
        }
    }

    /// Hands an alert to every sink that still owes it, unless not caught up yet (the log may say it was delivered).
    private func dispatchAll(_ alert: Alert) {
        for sink in sinkNames(unit: alert.unit) {
            dispatch(Key(alertId: alert.alertId, sink: sink), after: .zero)
        }
    }

    /// Set once the log has been read to its head: before that, the log may still say an alert was delivered.
    private var caughtUp = false

    private func dispatch(_ key: Key, after delay: Duration) {
        guard caughtUp else { return }
        guard !delivered.contains(key), !abandoned.contains(key), !busy.contains(key), let alert = alerts[key.alertId],
              let queue = queues[key.sink] else { return }
        busy.insert(key)
        let attempt = (failures[key] ?? 0) + 1
        let sink: (any AlertSink)?
        switch key.sink {
        case "webhook": sink = sinks.webhook
        case "email":
            sink = sinks.smtp.flatMap { s in try? SMTPSink(host: s.host, port: s.port, from: s.from, to: recipients(alert.unit)) }
        default: sink = sinks.file
        }
        guard let sink else { busy.remove(key); return }
        let outbox = self.outbox
        let ms = Int(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)
        queue.asyncAfter(deadline: .now() + .milliseconds(ms)) {
            outbox.post((key, attempt, sink.deliver(alert)))
        }
    }

    /// Records an outcome and decides what comes next for that alert and sink.
    private func settle(_ key: Key, attempt: Int, _ outcome: DeliveryOutcome) {
        busy.remove(key)
        guard let alert = alerts[key.alertId] else { return }
        let commandId: String
        let record: AlertDelivery.Command
        switch outcome {
        case .delivered(let detail):
            delivered.insert(key)
            Counter(label: "petition_deliveries_total", dimensions: [("sink", key.sink), ("outcome", "delivered")]).increment()
            commandId = "dlv:\(key.alertId):\(key.sink)"
            record = .delivered(alertId: key.alertId, petitionId: alert.petitionId, sink: key.sink, attempts: attempt, detail: String(detail.prefix(2000)))
            logger.info("alert delivered", metadata: ["alert.id": "\(key.alertId)", "alert.sink": "\(key.sink)", "alert.attempt": "\(attempt)"])
        case .retryable(let reason), .permanent(let reason):
            let permanent = !outcome.isRetryable
            failures[key] = attempt
            if permanent { abandoned.insert(key) }
            Counter(label: "petition_deliveries_total", dimensions: [("sink", key.sink), ("outcome", permanent ? "failed" : "retrying")]).increment()
            if permanent { Counter(label: "petition_deliveries_failed_total", dimensions: [("sink", key.sink)]).increment() }
            commandId = "dlf:\(key.alertId):\(key.sink):\(attempt)"
            record = .failed(alertId: key.alertId, petitionId: alert.petitionId, sink: key.sink, attempt: attempt,
                             reason: String(reason.prefix(2000)), permanent: permanent)
            logger.warning("alert not delivered", metadata: ["alert.id": "\(key.alertId)", "alert.sink": "\(key.sink)",
                                                             "alert.attempt": "\(attempt)", "alert.reason": "\(reason)", "alert.permanent": "\(permanent)"])
            if !permanent { dispatch(key, after: backoff.delay(afterAttempt: attempt, alertId: key.alertId)) }
        }
        let body = CommandRequest(commandId: commandId, occurredAt: nil,
                                  Commands.RecordDelivery(record)).wireJSON
        unrecorded[commandId] = (body, key, outcome.isDelivered, nil)
    }

    private func sendRecords(_ commands: ZMQSocket) throws {
        let t = DispatchTime.now().uptimeNanoseconds
        for (id, r) in unrecorded where r.sentAt.map({ t - $0 > 5_000_000_000 }) ?? true {
            if try commands.send([[], Array(r.body.utf8)], dontWait: true) { unrecorded[id]?.sentAt = t }
        }
    }

    private func receiveReplies(_ commands: ZMQSocket) {
        while let frames = try? commands.receive(dontWait: true), let body = frames.last {
            guard let reply = CommandReply(json: body), let id = reply.commandId, unrecorded[id] != nil else { continue }
            let code = reply.error?.code
            if reply.ok || reply.error?.errorCode == .alreadyDelivered {
                unrecorded[id] = nil
            } else {
                logger.warning("delivery not recorded; will retry", metadata: ["command.id": "\(id)", "error.code": "\(code ?? "?")"])
                unrecorded[id]?.sentAt = DispatchTime.now().uptimeNanoseconds
            }
        }
    }
}
