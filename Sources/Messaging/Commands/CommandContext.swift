import EventSourcing
import Foundation
import PetitionDomain

/// What a handler decides with: who acts and when, the streams' states through the gateway's one loader
/// (cached between commands, seeing what earlier commands of the same batch decided), new ids, and the vault.
public struct CommandContext {
    public let actor: Actor
    /// What the command does (its handler's action).
    public let action: Action
    /// When it happened.
    public private(set) var occurredAt: Date
    /// Whether the command gave its time (`occurredAt`); else it is now, or what the handler says it is.
    public let timeGiven: Bool
    let processor: CommandProcessor
    /// The key sealed by this command, to store with its events.
    var secret: SecretKey?
    /// The key this command destroys.
    var destroyed: String?
    /// The category whose next number this command took.
    var numbered: String?

    init(actor: Actor, action: Action, occurredAt: Date, timeGiven: Bool = true, processor: CommandProcessor) {
        self.timeGiven = timeGiven
        self.actor = actor
        self.action = action
        self.occurredAt = occurredAt
        self.processor = processor
    }

    /// The state of stream `id` of decider `D`; throws `D.notFound(id)` when it does not exist (if `D` says so).
    /// A petition's holding department is named as the registry names it now (it may have been renamed since).
    public func state<D: StreamDecider>(_ decider: D.Type, _ id: String) throws -> D.State {
        let state = try processor.state(D.self, id)
        if var petition = state as? PetitionState, let ref = petition.departmentRef,
           let name = try registry().department(ref: ref)?.name, name != petition.department {
            petition.department = name
            return petition as! D.State
        }
        return state
    }

    /// Decides `command` on the existing stream `id` of `D`: load its state, decide, check the stream's own
    /// authorization (``StreamDecider/authorize(_:_:id:_:)``).
    public func decide<D: StreamDecider>(_ decider: D.Type, _ id: String, _ command: D.Command) throws -> StreamOutput {
        try decide(D.self, id, command, in: try state(D.self, id))
    }

    /// Decides `command` on stream `id` of `D` whose state the handler already loaded.
    public func decide<D: StreamDecider>(_ decider: D.Type, _ id: String, _ command: D.Command, in state: D.State) throws -> StreamOutput {
        let events = try D.decide(command, state)
        // Out of the actor's units says more than "not your department's" (a namesake elsewhere is not theirs).
        if let scoped = state as? any UnitScoped { try requireScope(scoped.unitCode, of: "\(D.category) \(id)") }
        try D.authorize(actor, action, id: id, state)
        return StreamOutput(D.self, id: id, events: events, after: D.fold(events, into: state), isNew: false)
    }

    /// Decides `command` on a new stream of `D` whose id the gateway gives: the category's next number after
    /// `prefix` (`S000042`, `P000042`: short ids a clerk can read out and type).
    public mutating func create<D: StreamDecider>(_ decider: D.Type, prefix: String, _ command: (_ id: String) -> D.Command) throws -> StreamOutput {
        let id = Self.formatId(prefix, try processor.nextNumber(D.category))
        numbered = D.category
        let events = try D.decide(command(id), D.initialState)
        return StreamOutput(D.self, id: id, events: events, after: D.fold(events), isNew: true)
    }

    /// The next id the gateway would give a new stream of `D` (what ``create(_:prefix:_:)`` will use).
    public func nextId<D: StreamDecider>(_ decider: D.Type, prefix: String) throws -> String {
        Self.formatId(prefix, try processor.nextNumber(D.category))
    }

    /// Dates the command at session `sessionId`'s conference when it gave no time (minutes typed in later still
    /// count in the conference's period, their deadlines from it); a time it gave before the session opened is refused.
    public mutating func dateAtSession(_ sessionId: String) throws {
        let opened = try processor.lastOccurredMillis(of: StreamName(category: Session.category, id: sessionId))
        guard opened > 0 else { return }
        if !timeGiven {
            occurredAt = Timestamp.date(millis: max(opened, 0))
        } else if Timestamp.millis(occurredAt) < opened {
            throw WireError.invalidValue("occurredAt", "\(Timestamp.format(occurredAt)) is before session \(sessionId) opened (\(Timestamp.format(millis: opened))); give when it happened")
        }
    }

    /// Dates the command at `millis` when it gave no time.
    public mutating func dateWhenNotGiven(_ millis: Int64) {
        if !timeGiven, millis > 0 { occurredAt = Timestamp.date(millis: millis) }
    }

    /// When the last event of `stream` that people recorded happened (ms), 0 for none.
    public func lastOccurredMillis(of stream: StreamName) throws -> Int64 { try processor.lastOccurredMillis(of: stream) }

    /// The registry as the log and this batch hold it.
    public func registry() throws -> RegistryState { try processor.registry() }

    /// The registered name of the official that `text` (a command's `by`, `chair` or `approver`: the person the
    /// minutes name) names by id or name; unknown: `not_registered` with the closest. Only an actor of no unit (the
    /// gateway's in-process callers, never an official on the wire) may still name someone the registry does not hold.
    public func registeredOfficial(_ text: String, field: String, near unit: String? = nil, role: Role? = nil) throws -> String {
        let registry = try registry()
        do { return try registry.official(named: text, near: unit, role: role).name } catch {
            guard actor.unit == nil else { throw DomainError.notRegistered("\(field): \(error.message)") }
            return text
        }
    }

    /// For a clerk's minutes: the registered name of the chair `text` names (`by` of an answer or referral the chair
    /// decided at the conference), refused with `invalid_value` when that official holds no chair role; anyone else's
    /// `by` as ``registeredOfficial(_:field:near:role:)`` resolves it.
    public func decidingChair(_ text: String, near unit: String?) throws -> String {
        guard actor.role == .clerk, actor.unit != nil else { return try registeredOfficial(text, field: "by", near: unit, role: .chair) }
        let registry = try registry()
        let official: OfficialAppointed
        do throws(DomainError) { official = try registry.official(named: text, near: unit, role: .chair) } catch {
            throw DomainError.notRegistered("by: \(error.message)")
        }
        guard official.roles.contains(.chair) else {
            throw WireError.invalidValue("by", "\(official.name) (\(official.officialId)) holds no chair role: a clerk records the decision of the chair who decided it at the conference")
        }
        return official.name
    }

    /// Refuses (`out_of_scope`) an official's command on unit `code` unless it is their unit or lies below it: a clerk
    /// or chair on their units' petitions, an officer on those of their department's unit and below (besides holding
    /// it: a department of the same name in another district is not theirs). Workers act everywhere; a unit recorded
    /// before the registry (nil) is in no one's way.
    public func requireScope(_ code: String?, of what: String) throws {
        guard let code, let own = actor.unit, !own.isEmpty, [.clerk, .chair, .departmentOfficer].contains(actor.role) else { return }
        let registry = try registry()
        guard !registry.isWithin(code, own) else { return }
        let name = { (c: String) in registry.units[c].map { "\($0.name) (\(c))" } ?? c }
        throw DomainError.outOfScope("\(what) is in \(name(code)); a \(actor.role.rawValue.replacingOccurrences(of: "_", with: " ")) of \(name(own)) acts only within it and the units below it")
    }

    /// The deadline policy and calendar of `unit`.
    public func deadlineContext(unit: String) -> DeadlineContext { processor.deadlineContext(unit) }

    /// A fresh random id.
    public func newId() -> String { processor.newId() }

    /// Seals a citizen's personal data under a fresh key for `personId`; the key is stored with the command's events.
    public mutating func seal(_ citizen: PersonalData, personId: String) -> SealedPersonalData {
        let (key, sealed) = PersonalDataVault.seal(citizen, personId: personId)
        secret = key
        return sealed
    }

    /// Whether the vault holds `personId`'s key (stored, or sealed earlier in this batch and not destroyed since).
    public func holdsKey(_ personId: String) throws -> Bool { try processor.holdsKey(personId) }

    /// Destroys `personId`'s key with the command's events.
    public mutating func destroyKey(_ personId: String) { destroyed = personId }

    static func formatId(_ prefix: String, _ number: Int64) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
