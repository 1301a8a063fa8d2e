import Crypto
import EventSourcing
import Foundation
import Logging
import PetitionDomain

/// The gateway's decision core: turns a batch of commands into one group commit.
///
/// It is the single writer, so it keeps every stream's version and state it has
/// seen, and knows the log's head: positions in replies are exact before the
/// commit, and the replies are stored in the same transaction as the events.
/// Not thread-safe: one loop owns it.
public final class CommandProcessor {
    private let store: any EventStore
    private let now: @Sendable () -> Date
    let newId: @Sendable () -> String
    private let logger: Logger

    // The states and versions of streams that exist, one cache per decider and one of versions, each bounded
    // (least recently used go first): a command naming a stream that does not exist leaves nothing behind.
    private var deciderStates: [ObjectIdentifier: any DeciderStates] = [:]
    /// Each stream's version and when its last event happened (milliseconds).
    private var versions: BoundedCache<StreamName, StreamPosition>
    private let cacheCapacity: Int
    let deadlineContext: @Sendable (String) -> DeadlineContext
    /// The next number of each category whose streams the gateway numbers (read from the log when first needed).
    private var nextNumbers: [String: Int64] = [:]
    /// The position of the last committed record.
    public private(set) var head: Int64

    /// A committed or refused batch: one reply per request, and what was appended.
    public struct Outcome {
        public var replies: [String]
        public var committed: [RecordedEvent]
        /// The CloudEvent of each committed record (``CloudEvent/json(_:)``), what the gateway publishes.
        public var published: [String] = []
        /// The commit failed: nothing was appended and every command that would have been is refused `unavailable`.
        public var failed = false
        /// The batch's number, as ``CommandProcessor/submit(_:)`` returned it.
        public var batch: Int
    }

    /// How many streams' states and versions are kept between batches, at most (each cache).
    public static let defaultCacheCapacity = 65_536

    /// The number of streams' states and versions cached now (all caches together).
    public var cachedEntries: Int { deciderStates.values.reduce(versions.count) { $0 + $1.count } }

    public init(store: any EventStore, now: @escaping @Sendable () -> Date = { Date() },
                newId: @escaping @Sendable () -> String = { RandomId.make() },
                deadlineContext: @escaping @Sendable (_ unit: String) -> DeadlineContext = { _ in DeadlineContext(policy: .standard, calendar: DefaultHolidays.calendar) },
                logger: Logger = Logger(label: "petition.gateway"),
                cacheCapacity: Int = CommandProcessor.defaultCacheCapacity) throws(EventStoreError) {
        self.store = store
        self.cacheCapacity = cacheCapacity
        versions = BoundedCache(capacity: cacheCapacity)
        self.deadlineContext = deadlineContext
        self.now = now
        self.newId = newId
        self.logger = logger
        worker = try CommitWorker(store: store)
        head = try store.headPosition()
    }

    /// A stream's version and when its last event happened.
    struct StreamPosition {
        var version: Int64
        var lastOccurredMillis: Int64
    }

    /// The working state of one batch: what later commands of the same batch (and, once it is committing, of the
    /// next batch) see; the deciders' states are in their own caches' pending and committing parts.
    private struct Pending {
        var versions: [StreamName: StreamPosition] = [:]
        var nextNumbers: [String: Int64] = [:]
        var batch = AppendBatch()
        var eventCount: Int64 = 0
        /// Each accepted command's fingerprint and reply.
        var byCommandId: [String: (fingerprint: String, reply: String)] = [:]
    }
    private var pending = Pending()

    /// A decided batch: its replies, and what to append.
    private struct Decided {
        var replies: [String] = []
        /// Whether each reply waits for the commit (an accepted command, or a repeat of one not yet committed).
        var replyIsPending: [Bool] = []
        var outcomes: [(type: String, outcome: String, pending: Bool)] = []
        var commandIds: [String?] = []
        var state = Pending()
        var decidedNanos: UInt64 = 0
        var startNanos: UInt64 = 0
        var recordedAt = Date()
        var number = 0
    }

    /// A batch whose commit runs on the ``CommitWorker``'s thread while later ones are decided (``submit(_:)``).
    private struct Committing {
        var decided: Decided
        let done = DispatchSemaphore(value: 0)
        let result = CommitResult()
    }
    /// What the commit queue hands back: the committed records and their CloudEvents (made there, off the deciding thread).
    final class CommitResult: @unchecked Sendable {
        var value: Result<[RecordedEvent], EventStoreError> = .success([])
        var published: [String] = []
    }
    /// The batches being committed, oldest first.
    private var committing: [Committing] = []
    private let worker: CommitWorker
    /// Events of the batches being committed: positions in replies count them.
    private var committingEvents: Int64 = 0
    private var nextBatchNumber = 1
    /// Batches committed or refused at most at once before ``submit(_:)`` waits for the oldest.
    public static let maxBatchesInFlight = 8
    /// Readable whenever a commit has finished: the gateway polls it beside its sockets (``finished()``).
    public var commitFinishedFD: Int32 { worker.finishedFD }

    /// Whether a batch's commit is under way (its replies come from ``finished()``, ``submit(_:)`` or ``flush()``).
    public var isCommitting: Bool { !committing.isEmpty }

    /// The commands decided since the process started, by message type and outcome (`ok`, `replayed` for a
    /// command id seen before, else the error code), and the group commits' count and time: the gateway's own
    /// metrics, which `status` reports (`petition-api` serves them at `/metrics`).
    public private(set) var tally = CommandTally()
    /// The outcome of the command `decide` last ran.
    private var lastOutcome = "ok"

    /// Decides and commits a batch, and returns when it is durable. Requests that failed to decode come as `.failure`.
    public func handle(_ requests: [Result<CommandRequest, WireError>]) -> Outcome {
        precondition(committing.isEmpty, "handle(_:) while batches submitted with submit(_:) are committing: flush() them first")
        let (number, early) = submit(requests)
        let all = early + flush()
        return all.first { $0.batch == number }!
    }

    /// Decides a batch on what the batches still committing leave, and queues its commit after theirs (the gateway's
    /// pipeline): deciding never waits for a disk, unless ``maxBatchesInFlight`` batches are queued already.
    /// Returns the batch's number (its ``Outcome/batch``) and the outcomes of the batches finished meanwhile, in order.
    /// A batch decided on a commit that failed is refused whole (`unavailable`): nothing it saw is in the log.
    public func submit(_ requests: [Result<CommandRequest, WireError>]) -> (batch: Int, finished: [Outcome]) {
        var decided = decide(requests)
        decided.number = nextBatchNumber
        nextBatchNumber += 1
        var outcomes = finished()
        while committing.count >= Self.maxBatchesInFlight { outcomes.append(finishOldest()) }
        if outcomes.contains(where: \.failed) {
            // Decided on batches that are not in the log: refused, as are any still queued after the failure.
            outcomes += flush()
            outcomes.append(finish(decided, .failure(.storage("a batch before it could not be written")), published: []))
            return (decided.number, outcomes)
        }
        decided.state.batch.expectedHead = head + committingEvents
        for states in deciderStates.values { states.startCommit(batch: decided.number) }
        committingEvents += decided.state.eventCount
        let started = Committing(decided: decided)
        worker.enqueue(CommitWorker.Job(batch: decided.state.batch, recordedAt: decided.recordedAt, events: Int(decided.state.eventCount),
                                        result: started.result, done: started.done))
        committing.append(started)
        return (decided.number, outcomes)
    }

    /// The outcomes of the batches whose commits have finished, oldest first, without waiting.
    public func finished() -> [Outcome] {
        var drained = [UInt8](repeating: 0, count: 64)
        while read(commitFinishedFD, &drained, drained.count) > 0 {}
        var outcomes: [Outcome] = []
        while let oldest = committing.first, oldest.done.wait(timeout: .now()) == .success {
            oldest.done.signal() // `finishOldest` waits on it again
            outcomes.append(finishOldest())
        }
        return outcomes
    }

    /// Waits for every batch being committed and returns their outcomes, oldest first.
    public func flush() -> [Outcome] {
        var outcomes: [Outcome] = []
        while !committing.isEmpty { outcomes.append(finishOldest()) }
        return outcomes
    }

    private func finishOldest() -> Outcome {
        let oldest = committing.removeFirst()
        oldest.done.wait()
        committingEvents -= oldest.decided.state.eventCount
        let outcome = finish(oldest.decided, oldest.result.value, published: oldest.result.published)
        if committing.isEmpty { worker.broken = false } // every batch queued after a failure is finished: start afresh
        return outcome
    }

    /// Decides every request of a batch into a fresh ``Pending``.
    private func decide(_ requests: [Result<CommandRequest, WireError>]) -> Decided {
        var decided = Decided()
        decided.recordedAt = now()
        decided.startNanos = DispatchTime.now().uptimeNanoseconds
        pending = Pending()
        for states in deciderStates.values { states.discardPending() }
        defer { pending = Pending() }
        decided.commandIds = requests.map { try? $0.get().commandId }
        let known: [String: CommandRecord]
        do {
            known = try store.commands(decided.commandIds.compactMap { $0 })
        } catch {
            decided.replies = requests.map { r in
                switch r {
                case .success(let c): CommandReply.failure(.unavailable("the log could not be read"), commandId: c.commandId).json
                case .failure(let e): CommandReply.failure(e).json
                }
            }
            decided.replyIsPending = requests.map { _ in false }
            return decided
        }
        decided.replies.reserveCapacity(requests.count)
        for request in requests {
            switch request {
            case .failure(let error):
                decided.replies.append((CommandReply.failure(error)).json)
                decided.replyIsPending.append(false)
                tally.count("undecodable", error.code)
            case .success(let command):
                lastOutcome = "ok"
                let (reply, waits) = decide(command, recordedAt: decided.recordedAt, known: known[command.commandId])
                decided.replies.append(reply)
                decided.replyIsPending.append(waits)
                decided.outcomes.append((command.command.messageType, lastOutcome, waits))
            }
        }
        decided.state = pending
        decided.decidedNanos = DispatchTime.now().uptimeNanoseconds
        return decided
    }

    /// What follows a batch's commit (or its failure): the caches keep what it changed, or forget everything.
    private func finish(_ decided: Decided, _ result: Result<[RecordedEvent], EventStoreError>, published: [String]) -> Outcome {
        var decided = decided
        defer {
            var counts: [CommandTally.Key: Int64] = [:]
            for (type, outcome, _) in decided.outcomes {
                tally.count(type, outcome)
                counts[CommandTally.Key(type: type, outcome: outcome), default: 0] += 1
            }
            tally.report(counts)
        }
        switch result {
        case .success(let committed):
            guard !decided.state.batch.isEmpty else { return Outcome(replies: decided.replies, committed: [], batch: decided.number) }
            logger.trace("group commit", metadata: ["batch.commands": "\(decided.replies.count)", "decide.ms": "\(Double(decided.decidedNanos - decided.startNanos) / 1e6)",
                                                    "append.ms": "\(Double(DispatchTime.now().uptimeNanoseconds - decided.decidedNanos) / 1e6)"])
            head += Int64(committed.count)
            tally.commit(nanoseconds: DispatchTime.now().uptimeNanoseconds - decided.decidedNanos, commands: decided.replies.count, head: head)
            for states in deciderStates.values { states.committed(batch: decided.number) }
            versions.merge(decided.state.versions)
            nextNumbers.merge(decided.state.nextNumbers) { $1 }
            return Outcome(replies: decided.replies, committed: committed, published: published, batch: decided.number)
        case .failure(let error):
            if !decided.state.batch.isEmpty {
                logger.error("group commit failed", metadata: ["error": "\(error.debugDescription)", "batch.commands": "\(decided.state.batch.commands.count)"])
            }
            forgetAll()
            // Accepted commands, and repeats of commands accepted in a batch that was not written either.
            for i in decided.replies.indices where decided.replyIsPending[i] {
                decided.replies[i] = (CommandReply.failure(.unavailable("the log could not be written"), commandId: decided.commandIds[i])).json
            }
            for i in decided.outcomes.indices where decided.outcomes[i].pending { decided.outcomes[i].outcome = ErrorCode.unavailable.rawValue }
            return Outcome(replies: decided.replies, committed: [], failed: true, batch: decided.number)
        }
    }

    /// What the newest batch still committing that knows it says (nil when none does).
    private func inFlight<T>(_ lookup: (Pending) -> T?) -> T? {
        for batch in committing.reversed() { if let found = lookup(batch.decided.state) { return found } }
        return nil
    }

    /// Forgets everything cached after a failed commit: the next command reloads from the log.
    private func forgetAll() {
        for states in deciderStates.values { states.removeAll() }
        versions.removeAll()
        nextNumbers.removeAll()
        resyncHead()
    }

    deinit {
        _ = flush()
        worker.stop()
    }

    /// Appends a signed checkpoint of the current head (event `audit.checkpoint.v1`) through the same
    /// single writer as commands (its batch expects the head unchanged), and returns the committed record.
    public func appendCheckpoint(signedWith key: Curve25519.Signing.PrivateKey) throws -> RecordedEvent {
        precondition(committing.isEmpty, "flush() the batches being committed before appending a checkpoint")
        // The hash is read from the log itself, so a checkpoint never signs a cached value that went stale.
        guard head > 0, let headHash = try store.read(from: head, limit: 1).first?.hash else {
            throw EventStoreError.storage("no record at the head position \(head) to sign")
        }
        let checkpoint = try LogCheckpoint.sign(position: head, head: headHash, with: key)
        let recordedAt = now()
        let event = NewEvent(id: newId(), type: LogCheckpoint.eventType, occurredAt: recordedAt, data: checkpoint.json,
                             metadata: EventMetadata(actor: "system/gateway", commandId: "checkpoint-\(head)"))
        let batch = AppendBatch(appends: [StreamAppend(stream: LogCheckpoint.stream, expectedVersion: .any, events: [event])],
                                expectedHead: head)
        do {
            let committed = try store.append(batch, recordedAt: recordedAt)
            head += Int64(committed.count)
            return committed[0]
        } catch {
            resyncHead()
            throw error
        }
    }

    /// Founds the registry: appends `registry.founded.v1` (its first administrator with `publicKey`) to the registry
    /// stream, which must not exist yet. The gateway does this on its first start on a data folder.
    public func foundRegistry(administratorName: String, publicKey: String) throws -> RecordedEvent {
        precondition(committing.isEmpty, "flush() the batches being committed before founding the registry")
        let founded = RegistryFounded(officialId: RegistryFounded.firstOfficialId, name: administratorName, publicKey: publicKey)
        let (type, data) = EventCodec.encode(.registry(.founded(founded)))
        let recordedAt = now()
        let event = NewEvent(id: newId(), type: type, occurredAt: recordedAt, data: data,
                             metadata: EventMetadata(actor: "system/petition-gateway", commandId: "registry-founded"))
        let stream = StreamName(category: Registry.category, id: Registry.streamId)
        let batch = AppendBatch(appends: [StreamAppend(stream: stream, expectedVersion: .noStream, events: [event])], expectedHead: head)
        do {
            let committed = try store.append(batch, recordedAt: recordedAt)
            head += Int64(committed.count)
            states(Registry.self).cache.removeAll()
            versions.removeAll()
            return committed[0]
        } catch {
            resyncHead()
            throw error
        }
    }

    /// When the last event of `stream` that people recorded happened (ms), 0 for none.
    func lastOccurredMillis(of stream: StreamName) throws -> Int64 { try position(of: stream).lastOccurredMillis }

    /// The version of `stream` (0 when it does not exist), as the log and this processor hold it.
    public func version(of stream: StreamName) throws -> Int64 { try position(of: stream).version }

    /// Re-reads the head after a failed commit.
    private func resyncHead() {
        head = (try? store.headPosition()) ?? head
    }

    /// Runs one command through the pipeline into `pending`: idempotency, the role check, its handler, then
    /// the events placed on their streams; returns its reply and whether it waits for the commit.
    private func decide(_ request: CommandRequest, recordedAt: Date, known: CommandRecord?) -> (String, Bool) {
        let commandId = request.commandId
        func fail(_ error: WireError) -> (String, Bool) {
            lastOutcome = error.code
            return ((CommandReply.failure(error, commandId: commandId)).json, false)
        }

        // Who acts: the official (or worker) whose key the connection authenticated with, in the role this command needs.
        let actor: Actor
        do {
            actor = try request.actor ?? self.actor(for: request.userId, action: request.command.action)
        } catch let error as DomainError {
            return fail(.domain(error))
        } catch {
            return fail(.unavailable("the registry could not be read"))
        }
        let fingerprint = request.fingerprint(by: actor)

        // Idempotency: the same command id gets the same reply.
        // (Accepted earlier in this batch or in the one committing: the same reply, once that commit is durable.)
        if let earlier = pending.byCommandId[commandId] ?? inFlight({ $0.byCommandId[commandId] }) {
            guard earlier.fingerprint == fingerprint else { return fail(.commandIdConflict(commandId)) }
            lastOutcome = "replayed"
            return (earlier.reply, true)
        }
        if let record = known {
            guard record.fingerprint == fingerprint else { return fail(.commandIdConflict(commandId)) }
            lastOutcome = "replayed"
            return (record.reply, false)
        }

        let proposed = request.occurredAt ?? recordedAt
        if proposed.timeIntervalSince(recordedAt) > 86_400 {
            return fail(.invalidValue("occurredAt", "is in the future (\(Timestamp.format(proposed))); give when it happened"))
        }

        var context = CommandContext(actor: actor, action: request.command.action, occurredAt: proposed, timeGiven: request.occurredAt != nil, processor: self)
        let outputs: [StreamOutput]
        do {
            try actor.authorize(context.action)
            outputs = try request.command.handler.decide(in: &context)
        } catch let error as DomainError {
            return fail(.domain(error))
        } catch let error as WireError {
            return fail(error)
        } catch {
            return fail(.unavailable("the log could not be read"))
        }

        // Accepted: place the events, and keep the streams' new states for the rest of the batch. (A handler may
        // have dated a command that gave no time: a petition recorded at a conference is dated at its session.)
        let occurredAt = context.occurredAt
        // A command sent through the HTTP API says so: its causation is the API's request (`petition-api:<command id>`).
        let metadata = EventMetadata(actor: actor.recorded, commandId: commandId, causationId: request.via.map { "\($0):\(commandId)" })
        var deadline: String?
        var trackingCode: String?
        var primaryVersion: Int64 = 0
        var placed: [StreamAppend] = []
        var newVersions: [Int64] = []
        var lastOccurred: [Int64] = []
        for output in outputs {
            let current: Int64
            var previous: Int64 = 0
            if output.isNew {
                current = 0 // The gateway just assigned this id: the stream is new.
            } else {
                let position: StreamPosition
                do { position = try self.position(of: output.stream) } catch { return fail(.unavailable("the log could not be read")) }
                current = position.version
                previous = position.lastOccurredMillis
                // Minutes may be typed in late, but never dated before what the stream already records: a referral
                // before its submission would run a deadline backwards. The system's own records (escalations at
                // their due time, deliveries) are exempt.
                if output.stream == outputs[0].stream, actor.role != .system, current > 0,
                   Timestamp.millis(occurredAt) < position.lastOccurredMillis {
                    return fail(.invalidValue("occurredAt", "\(Timestamp.format(occurredAt)) is before the last event of \(output.stream) (\(Timestamp.format(millis: position.lastOccurredMillis))); give when it happened, not earlier"))
                }
            }
            if output.stream == outputs[0].stream, let expected = request.expectedVersion, expected != current {
                return fail(.domain(.versionMismatch(output.stream.description, expected: expected, actual: current)))
            }
            let newEvents = output.events.map { event in
                let (type, data) = EventCodec.encode(event)
                if case .petition(let e) = event, let set = e.deadlineSet { deadline = set.description }
                if case .petition(.submitted(let s)) = event { trackingCode = s.trackingCode }
                return NewEvent(id: newId(), type: type, occurredAt: occurredAt, data: data, metadata: metadata)
            }
            let newVersion = current + Int64(newEvents.count)
            if primaryVersion == 0 { primaryVersion = newVersion }
            newVersions.append(newVersion)
            // The system's own records do not move it: an escalation is dated when it fell due, not when minutes were kept.
            lastOccurred.append(actor.role == .system ? previous : max(previous, Timestamp.millis(occurredAt)))
            placed.append(StreamAppend(stream: output.stream, expectedVersion: current == 0 ? .noStream : .exact(current), events: newEvents))
        }
        for (i, output) in outputs.enumerated() {
            output.keep(self)
            pending.versions[output.stream] = StreamPosition(version: newVersions[i], lastOccurredMillis: lastOccurred[i])
            pending.eventCount += Int64(placed[i].events.count)
        }
        pending.batch.appends += placed
        if let category = context.numbered { pending.nextNumbers[category] = (try? nextNumber(category)).map { $0 + 1 } }
        let primary = outputs[0]
        let reply = CommandReply(ok: true, commandId: commandId, id: primary.replyId ?? primary.id, stream: primary.stream.description,
                                 position: head + committingEvents + pending.eventCount, streamVersion: primaryVersion,
                                 events: placed.flatMap { $0.events.map(\.type) }, deadline: deadline, trackingCode: trackingCode)
        let replyText = reply.json
        pending.batch.commands.append(CommandRecord(commandId: commandId, fingerprint: fingerprint, reply: replyText))
        if let secret = context.secret { pending.batch.secrets.append(secret) }
        if let destroyed = context.destroyed { pending.batch.destroyedSecrets.append(destroyed) }
        pending.byCommandId[commandId] = (fingerprint, replyText)
        return (replyText, true)
    }

    // MARK: - Who acts

    /// The registry as the log and this batch hold it.
    public func registry() throws -> RegistryState { try state(Registry.self, Registry.streamId) }

    /// The registry as committed batches left it (not what a batch being decided or committed changed): what the
    /// ZAP handler may admit keys by.
    public func committedRegistry() throws -> RegistryState { try state(Registry.self, Registry.streamId, committedOnly: true) }

    /// The actor `userId` stands for (``RoutedRequest/userId``), in the first of `action`'s roles they hold:
    /// a worker service (`service:petition-escalator`) acts as the system; an official's key must be issued and
    /// not revoked (a key revoked while its connection stays open is refused from its next command on).
    public func actor(for userId: String?, action: Action) throws -> Actor {
        guard let userId else {
            throw DomainError.notAdmitted("the connection is not authenticated: connect with CurveZMQ and a registered key (PROTOCOL.md, section 1)")
        }
        if userId.hasPrefix(Self.servicePrefix) { return Actor(id: String(userId.dropFirst(Self.servicePrefix.count)), role: .system) }
        let registry = try registry()
        let official: OfficialAppointed
        if let id = Delegation.official(userId) {
            guard let named = registry.officials[id] else { throw DomainError.notRegistered("official \(id) is not registered") }
            official = named
        } else {
            guard let credential = registry.credentials[userId], let holder = registry.officials[credential.officialId] else {
                throw DomainError.notAdmitted("key \(userId) is not registered")
            }
            guard !credential.revoked else { throw DomainError.notAdmitted("key \(userId) of \(holder.officialId) was revoked; ask the administrator for a new one") }
            official = holder
        }
        guard !registry.inactive.contains(official.officialId) else { throw DomainError.notAdmitted("\(official.officialId) (\(official.name)) was deactivated") }
        guard let role = action.roles.first(where: official.roles.contains) else {
            throw DomainError.notPermitted(role: official.roles.first ?? .clerk, action: action.description, allowed: action.roles)
        }
        let department = official.department.flatMap { registry.departments[official.unit]?[$0]?.name }
        return Actor(id: official.officialId, role: role, department: department,
                     unit: official.unit.isEmpty ? nil : official.unit, departmentCode: official.department,
                     formerDepartmentNames: official.department.map { registry.formerDepartmentNames[official.unit + "/" + $0] ?? [] } ?? [])
    }

    /// How the ZAP handler names a worker service in `User-Id`.
    public static let servicePrefix = "service:"

    // MARK: - The one loader, for handlers (through ``CommandContext``)

    /// The states of decider `D`'s streams.
    func states<D: StreamDecider>(_ decider: D.Type) -> StreamStates<D> {
        if let states = deciderStates[ObjectIdentifier(D.self)] { return states as! StreamStates<D> }
        let states = StreamStates<D>(capacity: cacheCapacity)
        deciderStates[ObjectIdentifier(D.self)] = states
        return states
    }

    /// The state of stream `id` of `D`: as this batch left it, else cached, else folded from the log (and cached,
    /// with its version, when the stream exists). Throws `D.notFound(id)` for a stream that does not exist.
    func state<D: StreamDecider>(_ decider: D.Type, _ id: String, committedOnly: Bool = false) throws -> D.State {
        let states = states(D.self)
        if let s = committedOnly ? states.cache.get(id) : states.get(id) { return s }
        let stream = StreamName(category: D.category, id: id)
        let records = try store.readStream(stream)
        guard !records.isEmpty else {
            if let error = D.notFound(id) { throw error }
            return D.initialState
        }
        var state = D.initialState
        for record in records {
            if let event = try EventCodec.decode(record).flatMap(D.event(in:)) { state = D.evolve(state, event) }
        }
        versions.set(stream, StreamPosition(version: Int64(records.count), lastOccurredMillis: Self.lastRecorded(records)))
        states.cache.set(id, state)
        return state
    }

    /// The number the next new stream of `category` gets: one more than the streams the log and this batch hold.
    func nextNumber(_ category: String) throws -> Int64 {
        if let n = pending.nextNumbers[category] ?? inFlight({ $0.nextNumbers[category] }) ?? nextNumbers[category] { return n }
        let n = try store.streamCount(category: category) + 1
        nextNumbers[category] = n
        return n
    }

    /// Whether the vault holds `personId`'s key: stored, or sealed earlier in this batch, and not destroyed in it.
    func holdsKey(_ personId: String) throws -> Bool {
        guard !pending.batch.destroyedSecrets.contains(personId) else { return false }
        if pending.batch.secrets.contains(where: { $0.id == personId }) { return true }
        if let held = inFlight({ before -> Bool? in
            if before.batch.destroyedSecrets.contains(personId) { return false }
            return before.batch.secrets.contains(where: { $0.id == personId }) ? true : nil
        }) { return held }
        return try store.secret(personId) != nil
    }

    /// When the latest of `records` that people recorded happened (the system's own records left out), in milliseconds.
    private static func lastRecorded(_ records: [RecordedEvent]) -> Int64 {
        records.lazy.filter { !$0.metadata.actor.hasPrefix("system/") }.map { Timestamp.millis($0.occurredAt) }.max() ?? 0
    }

    private func position(of stream: StreamName) throws -> StreamPosition {
        if let p = pending.versions[stream] ?? inFlight({ $0.versions[stream] }) ?? versions.get(stream) { return p }
        let records = try store.readStream(stream)
        guard let last = records.last else { return StreamPosition(version: 0, lastOccurredMillis: 0) }
        let p = StreamPosition(version: last.streamVersion, lastOccurredMillis: Self.lastRecorded(records))
        versions.set(stream, p)
        return p
    }
}

/// The gateway's commit thread: appends what the processor queues, every batch waiting when it is free joined into
/// one transaction (one sync of the disk for all of them, in order), while the processor decides the next.
final class CommitWorker: @unchecked Sendable {
    struct Job {
        var batch: AppendBatch
        var recordedAt: Date
        /// The events of `batch`: its share of the joined transaction's records.
        var events: Int
        var result: CommandProcessor.CommitResult
        var done: DispatchSemaphore
    }

    private let store: any EventStore
    private let condition = NSCondition()
    private var queue: [Job] = [] // under `condition`
    private var stopping = false // under `condition`
    private var _broken = false // under `condition`
    private let stopped = DispatchSemaphore(value: 0)
    /// Readable whenever a job has finished.
    let finishedFD: Int32
    private let finishedWriteFD: Int32

    init(store: any EventStore) throws(EventStoreError) {
        self.store = store
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .storage("cannot make the commit thread's wake-up pipe: errno \(errno)") }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        (finishedFD, finishedWriteFD) = (fds[0], fds[1])
        let thread = Thread { [self] in run() }
        thread.name = "gateway-commit"
        thread.start()
    }

    /// Set when a commit fails: every job queued after it is refused without being appended (each was decided on
    /// what the failed one would have left), until the processor has finished them all and clears it.
    var broken: Bool {
        get { condition.withLock { _broken } }
        set { condition.withLock { _broken = newValue } }
    }

    func enqueue(_ job: Job) {
        condition.withLock {
            queue.append(job)
            condition.signal()
        }
    }

    /// Ends the thread once the queue is empty (the processor flushes before) and closes the pipe.
    func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
        stopped.wait()
        close(finishedFD)
        close(finishedWriteFD)
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                break
            }
            let jobs = queue
            queue = []
            let broken = _broken
            condition.unlock()
            commit(jobs, broken: broken)
            for job in jobs { job.done.signal() }
            var one: UInt8 = 1
            _ = write(finishedWriteFD, &one, 1)
        }
        stopped.signal()
    }

    private func commit(_ jobs: [Job], broken: Bool) {
        guard !broken else {
            for job in jobs { job.result.value = .failure(.storage("a batch before it could not be written")) }
            return
        }
        var joined = AppendBatch(expectedHead: jobs.first(where: { !$0.batch.isEmpty })?.batch.expectedHead)
        for job in jobs where !job.batch.isEmpty {
            joined.appends += job.batch.appends
            joined.commands += job.batch.commands
            joined.secrets += job.batch.secrets
            joined.destroyedSecrets += job.batch.destroyedSecrets
        }
        guard !joined.isEmpty else { return }
        do throws(EventStoreError) {
            // One recorded time for the transaction: the newest batch's (none is before what it decided on).
            let committed = try store.append(joined, recordedAt: jobs.last!.recordedAt)
            var start = 0
            for job in jobs {
                let records = Array(committed[start..<start + job.events])
                start += job.events
                job.result.value = .success(records)
                job.result.published = records.map(CloudEvent.json)
            }
        } catch {
            for job in jobs { job.result.value = .failure(error) }
            condition.withLock { _broken = true }
        }
    }
}

