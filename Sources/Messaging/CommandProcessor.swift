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
    private let newId: @Sendable () -> String
    private let logger: Logger

    // The states and versions of streams that exist, each cache bounded (least recently used go first):
    // a command naming a stream that does not exist leaves nothing behind.
    private var sessions: BoundedCache<String, SessionState>
    private var petitions: BoundedCache<String, PetitionState>
    private var alerts: BoundedCache<String, AlertState>
    private var people: BoundedCache<String, PersonState>
    private var versions: BoundedCache<StreamName, Int64>
    private let deadlineContext: @Sendable (String) -> DeadlineContext
    private var nextNumber: [String: Int64] = [:]
    /// The position of the last committed record.
    public private(set) var head: Int64

    /// A committed or refused batch: one reply per request, and what was appended.
    public struct Outcome {
        public var replies: [String]
        public var committed: [RecordedEvent]
    }

    /// How many streams' states and versions are kept between batches, at most (each cache).
    public static let defaultCacheCapacity = 65_536

    /// The number of streams' states and versions cached now (all caches together).
    public var cachedEntries: Int { sessions.count + petitions.count + alerts.count + people.count + versions.count }

    public init(store: any EventStore, now: @escaping @Sendable () -> Date = { Date() },
                newId: @escaping @Sendable () -> String = { RandomId.make() },
                deadlineContext: @escaping @Sendable (_ unit: String) -> DeadlineContext = { _ in DeadlineContext(policy: .standard, calendar: DefaultHolidays.calendar) },
                logger: Logger = Logger(label: "petition.gateway"),
                cacheCapacity: Int = CommandProcessor.defaultCacheCapacity) throws(EventStoreError) {
        self.store = store
        sessions = BoundedCache(capacity: cacheCapacity)
        petitions = BoundedCache(capacity: cacheCapacity)
        alerts = BoundedCache(capacity: cacheCapacity)
        people = BoundedCache(capacity: cacheCapacity)
        versions = BoundedCache(capacity: cacheCapacity)
        self.deadlineContext = deadlineContext
        self.now = now
        self.newId = newId
        self.logger = logger
        head = try store.headPosition()
        nextNumber[Session.category] = try store.streamCount(category: Session.category) + 1
        nextNumber[Petition.category] = try store.streamCount(category: Petition.category) + 1
    }

    /// The working state of one batch: changes seen by later commands of the same batch.
    private struct Pending {
        var sessions: [String: SessionState] = [:]
        var petitions: [String: PetitionState] = [:]
        var alerts: [String: AlertState] = [:]
        var people: [String: PersonState] = [:]
        var versions: [StreamName: Int64] = [:]
        var nextNumber: [String: Int64]
        var batch = AppendBatch()
        var eventCount: Int64 = 0
        var byCommandId: [String: (fingerprint: String, reply: Int)] = [:]
    }

    /// Decides and commits a batch. Requests that failed to decode come as `.failure`.
    public func handle(_ requests: [Result<CommandRequest, WireError>]) -> Outcome {
        let recordedAt = now()
        let startNanos = DispatchTime.now().uptimeNanoseconds
        var pending = Pending(nextNumber: nextNumber)
        let ids = requests.compactMap { try? $0.get().commandId }
        let known: [String: CommandRecord]
        do {
            known = try store.commands(ids)
        } catch {
            let replies = requests.map { r in
                switch r {
                case .success(let c): CommandReply.failure(.unavailable("the log could not be read"), commandId: c.commandId).json
                case .failure(let e): CommandReply.failure(e).json
                }
            }
            return Outcome(replies: replies, committed: [])
        }
        var replies: [String] = []
        var replyIsPending: [Bool] = []
        replies.reserveCapacity(requests.count)

        for request in requests {
            switch request {
            case .failure(let error):
                replies.append((CommandReply.failure(error)).json)
                replyIsPending.append(false)
            case .success(let command):
                let (reply, appended) = decide(command, recordedAt: recordedAt, known: known[command.commandId], pending: &pending, priorReplies: replies)
                replies.append(reply)
                replyIsPending.append(appended)
            }
        }
        guard !pending.batch.isEmpty else { return Outcome(replies: replies, committed: []) }

        let decided = DispatchTime.now().uptimeNanoseconds
        pending.batch.expectedHead = head
        do {
            let committed = try store.append(pending.batch, recordedAt: recordedAt)
            logger.trace("group commit", metadata: ["batch.commands": "\(requests.count)", "decide.ms": "\(Double(decided - startNanos) / 1e6)",
                                                    "append.ms": "\(Double(DispatchTime.now().uptimeNanoseconds - decided) / 1e6)"])
            head += Int64(committed.count)
            sessions.merge(pending.sessions)
            petitions.merge(pending.petitions)
            alerts.merge(pending.alerts)
            people.merge(pending.people)
            versions.merge(pending.versions)
            nextNumber = pending.nextNumber
            return Outcome(replies: replies, committed: committed)
        } catch {
            logger.error("group commit failed", metadata: ["error": "\(error.debugDescription)", "batch.commands": "\(pending.batch.commands.count)"])
            // Forget everything cached: the next command reloads from the log.
            sessions.removeAll(); petitions.removeAll(); alerts.removeAll(); people.removeAll(); versions.removeAll()
            resyncHead()
            for category in [Session.category, Petition.category] {
                if let count = try? store.streamCount(category: category) { nextNumber[category] = count + 1 }
            }
            for (i, request) in requests.enumerated() where replyIsPending[i] {
                replies[i] = (CommandReply.failure(.unavailable("the log could not be written"), commandId: try? request.get().commandId)).json
            }
            return Outcome(replies: replies, committed: [])
        }
    }

    /// Appends a signed checkpoint of the current head (event `audit.checkpoint.v1`) through the same
    /// single writer as commands (its batch expects the head unchanged), and returns the committed record.
    public func appendCheckpoint(signedWith key: Curve25519.Signing.PrivateKey) throws -> RecordedEvent {
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

    /// Re-reads the head after a failed commit.
    private func resyncHead() {
        head = (try? store.headPosition()) ?? head
    }

    /// Decides one command into `pending`; returns its reply and whether it waits for the commit.
    private func decide(_ request: CommandRequest, recordedAt: Date, known: CommandRecord?, pending: inout Pending, priorReplies: [String]) -> (String, Bool) {
        let commandId = request.commandId
        func fail(_ error: WireError) -> (String, Bool) { ((CommandReply.failure(error, commandId: commandId)).json, false) }

        // Idempotency: the same command id gets the same reply.
        if let earlier = pending.byCommandId[commandId] {
            guard earlier.fingerprint == request.fingerprint else { return fail(.commandIdConflict(commandId)) }
            return (priorReplies[earlier.reply], true)
        }
        if let record = known {
            guard record.fingerprint == request.fingerprint else { return fail(.commandIdConflict(commandId)) }
            return (record.reply, false)
        }

        let occurredAt = request.occurredAt ?? recordedAt
        if occurredAt.timeIntervalSince(recordedAt) > 86_400 {
            return fail(.invalidValue("occurredAt", "is in the future (\(Timestamp.format(occurredAt))); give when it happened"))
        }

        /// Events for one stream; the first output is the command's own stream, named in the reply.
        struct Output {
            var stream: StreamName
            var id: String
            var events: [DomainEvent]
            var isNew = false
        }
        var outputs: [Output] = []
        var secret: SecretKey?
        var destroyed: String?
        let actor = request.actor
        do {
            func petition(_ petitionId: String, _ command: PetitionCommand) throws -> Output {
                try actor.authorize(request.command.action)
                let state = try petitionState(petitionId, pending: pending)
                let events = try Petition.decide(command, id: petitionId, state)
                // Checked after deciding, so a petition in the wrong status gets the more useful transition error.
                try actor.authorize(request.command.action, petitionId: petitionId, holder: state.department)
                return Output(stream: StreamName(category: Petition.category, id: petitionId), id: petitionId,
                              events: events.map(DomainEvent.petition))
            }
            switch request.command {
            case let .openSession(unit, title, chair):
                try actor.authorize(.openSession)
                let id = Self.formatId("S", pending.nextNumber[Session.category]!)
                let events = try Session.decide(OpenSession(sessionId: id, unit: unit, title: title, chair: chair), SessionState())
                outputs = [Output(stream: StreamName(category: Session.category, id: id), id: id, events: events.map(DomainEvent.session), isNew: true)]

            case let .submit(sessionId, kind, category, content, citizen):
                try actor.authorize(.submit)
                let session = try sessionState(sessionId, pending: pending)
                let id = Self.formatId("P", pending.nextNumber[Petition.category]!)
                let personId = newId()
                let (key, sealed) = PersonalDataVault.seal(citizen, personId: personId)
                secret = key
                let events = try Petition.decide(.submit(petitionId: id, sessionId: sessionId, session: session, kind: kind,
                                                         category: category, content: content, citizen: sealed),
                                                 id: id, PetitionState())
                outputs = [Output(stream: StreamName(category: Petition.category, id: id), id: id, events: events.map(DomainEvent.petition), isNew: true)]

            case let .answer(petitionId, by, answer):
                outputs = [try petition(petitionId, .answer(by: by, answer: answer))]

            case let .refer(petitionId, department, assignee, by, deadline, complexity):
                let unit = try petitionState(petitionId, pending: pending).unit ?? ""
                outputs = [try petition(petitionId, .refer(department: department, assignee: assignee, by: by, deadline: deadline,
                                                           complexity: complexity, occurredAt: occurredAt, context: deadlineContext(unit)))]

            case let .resolve(petitionId, by, resolution):
                outputs = [try petition(petitionId, .resolve(by: by, resolution: resolution))]

            case let .feedback(petitionId, satisfied, comment):
                outputs = [try petition(petitionId, .feedback(satisfied: satisfied, comment: comment, by: actor.id))]

            case let .accept(petitionId):
                outputs = [try petition(petitionId, .accept(by: actor.id))]

            case let .extend(petitionId, approver, decision, deadline):
                let unit = try petitionState(petitionId, pending: pending).unit ?? ""
                outputs = [try petition(petitionId, .extend(by: actor.id, approver: approver, decision: decision, deadline: deadline,
                                                            context: deadlineContext(unit)))]

            case let .reassign(petitionId, department, assignee, reason):
                outputs = [try petition(petitionId, .reassign(department: department, assignee: assignee, by: actor.id, reason: reason))]

            case let .note(petitionId, text):
                outputs = [try petition(petitionId, .note(by: actor.id, text: text))]
            case let .reopen(petitionId, reason):
                outputs = [try petition(petitionId, .reopen(by: actor.id, reason: reason))]

            case let .withdraw(petitionId, reason):
                outputs = [try petition(petitionId, .withdraw(by: actor.id, reason: reason))]

            case let .merge(petitionId, into, reason):
                let target: PetitionState
                do { target = try petitionState(into, pending: pending) } catch let e as DomainError where e.errorCode == .petitionNotFound {
                    throw WireError.invalidValue("into", "petition \(into) does not exist")
                }
                let duplicate = try petition(petitionId, .merge(into: into, target: target, by: actor.id, reason: reason))
                let citizen = try petitionState(petitionId, pending: pending).citizen!
                let carrier = try Petition.decide(.attachDuplicate(duplicateId: petitionId, citizen: citizen, by: actor.id), id: into, target)
                outputs = [duplicate, Output(stream: StreamName(category: Petition.category, id: into), id: into, events: carrier.map(DomainEvent.petition))]

            case let .escalate(petitionId, level, deadline, due, recipient):
                outputs = [try petition(petitionId, .escalate(level: level, deadline: deadline, due: due, recipient: recipient))]

            case .recordDelivery(let command):
                try actor.authorize(.recordDelivery)
                let alertId: String
                switch command {
                case .delivered(let a, _, _, _, _), .failed(let a, _, _, _, _, _): alertId = a
                }
                guard alertId.utf8.count <= 128, !alertId.isEmpty else { throw WireError.invalidValue("alertId", "must be 1 to 128 characters") }
                let state = try alertState(alertId, pending: pending)
                outputs = [Output(stream: StreamName(category: AlertDelivery.category, id: alertId), id: alertId,
                                  events: try AlertDelivery.decide(command, state).map(DomainEvent.alert))]

            case let .forgetPerson(personId, by, reason):
                try actor.authorize(.forgetPerson)
                let state = try personState(personId, pending: pending)
                let stored = try store.secret(personId) != nil
                let keyExists = !pending.batch.destroyedSecrets.contains(personId) && (stored || pending.batch.secrets.contains { $0.id == personId })
                outputs = [Output(stream: StreamName(category: Person.category, id: personId), id: personId,
                                  events: try Person.forget(personId: personId, by: by, reason: reason, keyExists: keyExists, state).map(DomainEvent.person))]
                destroyed = personId
            }
        } catch let error as DomainError {
            return fail(.domain(error))
        } catch let error as WireError {
            return fail(error)
        } catch {
            return fail(.unavailable("the log could not be read"))
        }

        // Accepted: evolve the batch's view, and place the events.
        let metadata = EventMetadata(actor: actor.recorded, commandId: commandId)
        var deadline: String?
        var primaryVersion: Int64 = 0
        for output in outputs {
            let current: Int64
            if output.isNew {
                current = 0 // The gateway just assigned this id: the stream is new.
            } else {
                do { current = try version(of: output.stream, pending: pending) } catch { return fail(.unavailable("the log could not be read")) }
            }
            var newEvents: [NewEvent] = []
            let id = output.id
            for event in output.events {
                let (type, data) = EventCodec.encode(event)
                newEvents.append(NewEvent(id: newId(), type: type, occurredAt: occurredAt, data: data, metadata: metadata))
                switch event {
                case .session(let e): pending.sessions[id] = Session.evolve(pending.sessions[id] ?? SessionState(), e)
                case .petition(let e):
                    if case .referred(let r) = e { deadline = r.deadline.description }
                    if case .extended(let x) = e { deadline = x.deadline.description }
                    let before = pending.petitions[id] ?? petitions.peek(id) ?? PetitionState()
                    pending.petitions[id] = Petition.evolve(before, e)
                case .alert(let e):
                    pending.alerts[id] = AlertDelivery.evolve(pending.alerts[id] ?? alerts.peek(id) ?? AlertState(), e)
                case .person(let e):
                    pending.people[id] = Person.evolve(pending.people[id] ?? people.peek(id) ?? PersonState(), e)
                }
            }
            let newVersion = current + Int64(newEvents.count)
            if primaryVersion == 0 { primaryVersion = newVersion }
            pending.versions[output.stream] = newVersion
            pending.eventCount += Int64(newEvents.count)
            pending.batch.appends.append(StreamAppend(stream: output.stream, expectedVersion: current == 0 ? .noStream : .exact(current), events: newEvents))
        }
        if case .openSession = request.command { pending.nextNumber[Session.category]! += 1 }
        if case .submit = request.command { pending.nextNumber[Petition.category]! += 1 }
        let primary = outputs[0]
        let reply = CommandReply(ok: true, commandId: commandId, id: primary.id, stream: primary.stream.description,
                                 position: head + pending.eventCount, streamVersion: primaryVersion,
                                 events: pending.batch.appends.suffix(outputs.count).flatMap { $0.events.map(\.type) }, deadline: deadline)
        let replyText = reply.json
        pending.batch.commands.append(CommandRecord(commandId: commandId, fingerprint: request.fingerprint, reply: replyText))
        if let secret { pending.batch.secrets.append(secret) }
        if let destroyed { pending.batch.destroyedSecrets.append(destroyed) }
        pending.byCommandId[commandId] = (request.fingerprint, priorReplies.count)
        return (replyText, true)
    }

    private func alertState(_ id: String, pending: Pending) throws -> AlertState {
        if let s = pending.alerts[id] ?? alerts.get(id) { return s }
        let (state, exists) = try load(StreamName(category: AlertDelivery.category, id: id), from: AlertState()) { state, event in
            if case .alert(let e) = event { state = AlertDelivery.evolve(state, e) }
        }
        if exists { alerts.set(id, state) }
        return state
    }

    private func personState(_ id: String, pending: Pending) throws -> PersonState {
        if let s = pending.people[id] ?? people.get(id) { return s }
        let (state, exists) = try load(StreamName(category: Person.category, id: id), from: PersonState()) { state, event in
            if case .person(let e) = event { state = Person.evolve(state, e) }
        }
        if exists { people.set(id, state) }
        return state
    }

    private func sessionState(_ id: String, pending: Pending) throws -> SessionState {
        if let s = pending.sessions[id] ?? sessions.get(id) { return s }
        let (state, _) = try load(StreamName(category: Session.category, id: id), from: SessionState()) { state, event in
            if case .session(let e) = event { state = Session.evolve(state, e) }
        }
        guard state.exists else { throw DomainError.sessionNotFound(id) }
        sessions.set(id, state)
        return state
    }

    private func petitionState(_ id: String, pending: Pending) throws -> PetitionState {
        if let s = pending.petitions[id] ?? petitions.get(id) { return s }
        let (state, _) = try load(StreamName(category: Petition.category, id: id), from: PetitionState()) { state, event in
            if case .petition(let e) = event { state = Petition.evolve(state, e) }
        }
        guard state.status != .none else { throw DomainError.petitionNotFound(id) }
        petitions.set(id, state)
        return state
    }

    /// Folds a stream from the log into a state, and whether the stream exists; caches the version (its
    /// record count) of a stream that exists.
    private func load<State>(_ stream: StreamName, from initial: State, _ evolve: (inout State, DomainEvent) -> Void) throws -> (State, exists: Bool) {
        var state = initial
        let records = try store.readStream(stream)
        for record in records {
            if let event = try EventCodec.decode(record) { evolve(&state, event) }
        }
        if !records.isEmpty { versions.set(stream, Int64(records.count)) }
        return (state, !records.isEmpty)
    }

    private func version(of stream: StreamName, pending: Pending) throws -> Int64 {
        if let v = pending.versions[stream] ?? versions.get(stream) { return v }
        let v = try store.streamVersion(stream)
        if v > 0 { versions.set(stream, v) }
        return v
    }

    /// `S000042`, `P000042`: short ids a clerk can read out and type.
    static func formatId(_ prefix: String, _ number: Int64) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
