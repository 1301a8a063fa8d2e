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

    private var sessions: [String: SessionState] = [:]
    private var petitions: [String: PetitionState] = [:]
    private var versions: [StreamName: Int64] = [:]
    private var nextNumber: [String: Int64] = [:]
    /// The position of the last committed record.
    public private(set) var head: Int64

    /// A committed or refused batch: one reply per request, and what was appended.
    public struct Outcome {
        public var replies: [String]
        public var committed: [RecordedEvent]
    }

    public init(store: any EventStore, now: @escaping @Sendable () -> Date = { Date() },
                newId: @escaping @Sendable () -> String = { RandomId.make() },
                logger: Logger = Logger(label: "petition.gateway")) throws(EventStoreError) {
        self.store = store
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
            sessions.merge(pending.sessions) { $1 }
            petitions.merge(pending.petitions) { $1 }
            versions.merge(pending.versions) { $1 }
            nextNumber = pending.nextNumber
            return Outcome(replies: replies, committed: committed)
        } catch {
            logger.error("group commit failed", metadata: ["error": "\(error.debugDescription)", "batch.commands": "\(pending.batch.commands.count)"])
            // Forget everything cached: the next command reloads from the log.
            sessions.removeAll(); petitions.removeAll(); versions.removeAll()
            head = (try? store.headPosition()) ?? head
            for category in [Session.category, Petition.category] {
                if let count = try? store.streamCount(category: category) { nextNumber[category] = count + 1 }
            }
            for (i, request) in requests.enumerated() where replyIsPending[i] {
                replies[i] = (CommandReply.failure(.unavailable("the log could not be written"), commandId: try? request.get().commandId)).json
            }
            return Outcome(replies: replies, committed: [])
        }
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

        let stream: StreamName
        let id: String
        let domainEvents: [DomainEvent]
        var secret: SecretKey?
        do {
            switch request.command {
            case let .openSession(unit, title, chair):
                id = Self.formatId("S", pending.nextNumber[Session.category]!)
                stream = StreamName(category: Session.category, id: id)
                let events = try Session.decide(OpenSession(sessionId: id, unit: unit, title: title, chair: chair), SessionState())
                domainEvents = events.map(DomainEvent.session)

            case let .submit(sessionId, kind, category, content, citizen):
                let session = try sessionState(sessionId, pending: pending)
                id = Self.formatId("P", pending.nextNumber[Petition.category]!)
                stream = StreamName(category: Petition.category, id: id)
                let personId = newId()
                let (key, sealed) = PersonalDataVault.seal(citizen, personId: personId)
                secret = key
                let events = try Petition.decide(.submit(petitionId: id, sessionId: sessionId, session: session, kind: kind,
                                                         category: category, content: content, citizen: sealed),
                                                 id: id, PetitionState())
                domainEvents = events.map(DomainEvent.petition)

            case let .answer(petitionId, by, answer):
                (id, stream) = (petitionId, StreamName(category: Petition.category, id: petitionId))
                let state = try petitionState(petitionId, pending: pending)
                domainEvents = try Petition.decide(.answer(by: by, answer: answer), id: petitionId, state).map(DomainEvent.petition)

            case let .refer(petitionId, department, assignee, by, deadline):
                (id, stream) = (petitionId, StreamName(category: Petition.category, id: petitionId))
                let state = try petitionState(petitionId, pending: pending)
                domainEvents = try Petition.decide(.refer(department: department, assignee: assignee, by: by, deadline: deadline, occurredAt: occurredAt),
                                                   id: petitionId, state).map(DomainEvent.petition)

            case let .resolve(petitionId, by, resolution):
                (id, stream) = (petitionId, StreamName(category: Petition.category, id: petitionId))
                let state = try petitionState(petitionId, pending: pending)
                domainEvents = try Petition.decide(.resolve(by: by, resolution: resolution), id: petitionId, state).map(DomainEvent.petition)
            }
        } catch let error as DomainError {
            return fail(.domain(error))
        } catch let error as WireError {
            return fail(error)
        } catch {
            return fail(.unavailable("the log could not be read"))
        }

        // Accepted: evolve the batch's view, and place the events.
        let current: Int64
        switch request.command {
        case .openSession, .submit:
            // The gateway just assigned this id: the stream is new.
            current = 0
        default:
            do { current = try version(of: stream, pending: pending) } catch { return fail(.unavailable("the log could not be read")) }
        }
        let metadata = EventMetadata(actor: request.actor, commandId: commandId)
        var newEvents: [NewEvent] = []
        var deadline: String?
        for event in domainEvents {
            let (type, data) = EventCodec.encode(event)
            newEvents.append(NewEvent(id: newId(), type: type, occurredAt: occurredAt, data: data, metadata: metadata))
            switch event {
            case .session(let e): pending.sessions[id] = Session.evolve(pending.sessions[id] ?? SessionState(), e)
            case .petition(let e):
                if case .referred(let r) = e { deadline = r.deadline.description }
                let before = pending.petitions[id] ?? petitions[id] ?? PetitionState()
                pending.petitions[id] = Petition.evolve(before, e)
            }
        }
        if case .openSession = request.command { pending.nextNumber[Session.category]! += 1 }
        if case .submit = request.command { pending.nextNumber[Petition.category]! += 1 }
        let newVersion = current + Int64(newEvents.count)
        pending.versions[stream] = newVersion
        pending.eventCount += Int64(newEvents.count)
        let reply = CommandReply(ok: true, commandId: commandId, id: id, stream: stream.description,
                                 position: head + pending.eventCount, streamVersion: newVersion,
                                 events: newEvents.map(\.type), deadline: deadline)
        let replyText = reply.json
        pending.batch.appends.append(StreamAppend(stream: stream, expectedVersion: current == 0 ? .noStream : .exact(current), events: newEvents))
        pending.batch.commands.append(CommandRecord(commandId: commandId, fingerprint: request.fingerprint, reply: replyText))
        if let secret { pending.batch.secrets.append(secret) }
        pending.byCommandId[commandId] = (request.fingerprint, priorReplies.count)
        return (replyText, true)
    }

    private func sessionState(_ id: String, pending: Pending) throws -> SessionState {
        if let s = pending.sessions[id] ?? sessions[id] { return s }
        let state = try load(StreamName(category: Session.category, id: id), from: SessionState()) { state, event in
            if case .session(let e) = event { state = Session.evolve(state, e) }
        }
        guard state.exists else { throw DomainError.sessionNotFound(id) }
        sessions[id] = state
        return state
    }

    private func petitionState(_ id: String, pending: Pending) throws -> PetitionState {
        if let s = pending.petitions[id] ?? petitions[id] { return s }
        let state = try load(StreamName(category: Petition.category, id: id), from: PetitionState()) { state, event in
            if case .petition(let e) = event { state = Petition.evolve(state, e) }
        }
        guard state.status != .none else { throw DomainError.petitionNotFound(id) }
        petitions[id] = state
        return state
    }

    /// Folds a stream from the log into a state, and caches the stream's version (its record count).
    private func load<State>(_ stream: StreamName, from initial: State, _ evolve: (inout State, DomainEvent) -> Void) throws -> State {
        var state = initial
        let records = try store.readStream(stream)
        for record in records {
            if let event = try EventCodec.decode(record) { evolve(&state, event) }
        }
        versions[stream] = Int64(records.count)
        return state
    }

    private func version(of stream: StreamName, pending: Pending) throws -> Int64 {
        if let v = pending.versions[stream] ?? versions[stream] { return v }
        let v = try store.streamVersion(stream)
        versions[stream] = v
        return v
    }

    /// `S000042`, `P000042`: short ids a clerk can read out and type.
    static func formatId(_ prefix: String, _ number: Int64) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
