import EventSourcing

/// A decider whose streams live in the log under one category: what the gateway's one loader needs to
/// fold a stream's state from the log and to place the events `decide` returns.
public protocol StreamDecider: Decider where Failure == DomainError, State: Sendable {
    /// The stream category, e.g. `petition` (streams `petition-P000001`, …).
    static var category: String { get }
    /// The event as one of the log's domain events.
    static func domainEvent(_ event: Event) -> DomainEvent
    /// This decider's event inside a domain event read from its stream.
    static func event(in event: DomainEvent) -> Event?
    /// The refusal for a command on stream `id` when the stream does not exist; nil when `decide` judges that itself.
    static func notFound(_ id: String) -> DomainError?
    /// Checked after deciding, with the state before: whether `actor` may do `action` on this stream.
    /// The role check comes first, for every command; this is for what depends on the stream (default: nothing more).
    static func authorize(_ actor: Actor, _ action: Action, id: String, _ state: State) throws(DomainError)
}

extension StreamDecider {
    public static func notFound(_ id: String) -> DomainError? { nil }
    public static func authorize(_ actor: Actor, _ action: Action, id: String, _ state: State) throws(DomainError) {}
}

extension Session: StreamDecider {
    public static var initialState: SessionState { SessionState() }
    public static func domainEvent(_ event: SessionEvent) -> DomainEvent { .session(event) }
    public static func event(in event: DomainEvent) -> SessionEvent? { if case .session(let e) = event { e } else { nil } }
    public static func notFound(_ id: String) -> DomainError? { .sessionNotFound(id) }
}

extension Petition: StreamDecider {
    /// A decision on petition `id`.
    public typealias Command = (id: String, decision: any PetitionDecision)
    public static var initialState: PetitionState { PetitionState() }
    public static func decide(_ command: Command, _ state: PetitionState) throws(DomainError) -> [PetitionEvent] {
        if let enumerated = command.decision as? PetitionCommand { return try decide(enumerated, id: command.id, state) }
        guard state.status != .none else { throw .petitionNotFound(command.id) }
        return try command.decision.decide(command.id, state)
    }
    public static func domainEvent(_ event: PetitionEvent) -> DomainEvent { .petition(event) }
    public static func event(in event: DomainEvent) -> PetitionEvent? { if case .petition(let e) = event { e } else { nil } }
    public static func notFound(_ id: String) -> DomainError? { .petitionNotFound(id) }
    /// A department officer acts only on what their department holds. Checked after deciding, so a petition in the
    /// wrong status gets the more useful transition error.
    public static func authorize(_ actor: Actor, _ action: Action, id: String, _ state: PetitionState) throws(DomainError) {
        try actor.authorize(action, petitionId: id, holder: state.department, holderRef: state.departmentRef)
    }
}

/// A decision on one existing petition: what a command does to it. The lifecycle's commands are the cases of
/// ``PetitionCommand``, decided by the transition table in ``Petition``; a command that stands apart from it
/// (a note) is its own type, declared next to its event.
public protocol PetitionDecision: Sendable {
    /// The verb, as a user would say it ("add a note to").
    var verb: String { get }
    /// The events for petition `id` in `state` (the petition exists).
    func decide(_ id: String, _ state: PetitionState) throws(DomainError) -> [PetitionEvent]
}

extension PetitionCommand: PetitionDecision {
    public func decide(_ id: String, _ state: PetitionState) throws(DomainError) -> [PetitionEvent] { try Petition.decide(self, id: id, state) }
}

extension AlertDelivery: StreamDecider {
    public static var initialState: AlertState { AlertState() }
    public static func domainEvent(_ event: AlertEvent) -> DomainEvent { .alert(event) }
    public static func event(in event: DomainEvent) -> AlertEvent? { if case .alert(let e) = event { e } else { nil } }
}

extension Person: StreamDecider {
    public static var initialState: PersonState { PersonState() }
    public static func decide(_ command: Forget, _ state: PersonState) throws(DomainError) -> [PersonEvent] {
        try forget(personId: command.personId, by: command.by, reason: command.reason, keyExists: command.keyExists, state)
    }
    public static func domainEvent(_ event: PersonEvent) -> DomainEvent { .person(event) }
    public static func event(in event: DomainEvent) -> PersonEvent? { if case .person(let e) = event { e } else { nil } }

    /// Erase `personId`'s personal data; `keyExists` says whether the vault still holds their key.
    public struct Forget: Hashable, Sendable {
        public var personId: String
        public var by: String
        public var reason: String
        public var keyExists: Bool
        public init(personId: String, by: String, reason: String, keyExists: Bool) {
            self.personId = personId; self.by = by; self.reason = reason; self.keyExists = keyExists
        }
    }
}

extension PetitionEvent {
    /// The deadline this event puts in force, if it sets one (a referral, an extension): what a command's reply reports.
    public var deadlineSet: LocalDate? {
        switch self {
        case .referred(let r): r.deadline
        case .extended(let x): x.deadline
        default: nil
        }
    }
}
