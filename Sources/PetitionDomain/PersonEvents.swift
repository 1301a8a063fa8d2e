/// `person.forgotten.v1`: a citizen's personal data was erased by destroying their key (crypto-shredding).
///
/// Every petition, answer, referral and escalation stays in the log and the chain
/// still verifies; only the sealed name, address and phone can no longer be opened.
public struct PersonForgotten: Codable, Hashable, Sendable {
    public static let eventType = "person.forgotten.v1"
    /// The person whose key was destroyed (the `personId` of their petitions).
    public var personId: String
    /// Who decided the erasure (the official responsible, as given in the command).
    public var by: String
    /// Why: the request or decision it follows, e.g. the citizen's written request.
    public var reason: String

    public init(personId: String, by: String, reason: String) {
        self.personId = personId
        self.by = by
        self.reason = reason
    }
}

/// Events of a person stream (`person-<personId>`).
public enum PersonEvent: Hashable, Sendable {
    case forgotten(PersonForgotten)
}

/// What the log knows of a person.
public struct PersonState: Hashable, Sendable {
    public var forgotten = false

    public init() {}
}

/// Erasing a person: once, and only a person the system has a key for.
public enum Person {
    public static let category = "person"

    /// Forget `personId`; `keyExists` says whether the vault still holds their key.
    public static func forget(personId: String, by: String, reason: String, keyExists: Bool, _ state: PersonState) throws(DomainError) -> [PersonEvent] {
        try require(by, "by", max: 200)
        try require(reason, "reason", max: 2000)
        guard !state.forgotten else { throw .alreadyForgotten(personId) }
        guard keyExists else { throw .personNotFound(personId) }
        return [.forgotten(PersonForgotten(personId: personId, by: by, reason: reason))]
    }

    public static func evolve(_ state: PersonState, _ event: PersonEvent) -> PersonState {
        var s = state
        switch event {
        case .forgotten: s.forgotten = true
        }
        return s
    }
}

extension PersonForgotten: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(personId: try r.string("personId"), by: try r.string("by"), reason: try r.string("reason"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("by", by); w.add("personId", personId); w.add("reason", reason) }
    var event: DomainEvent { .person(.forgotten(self)) }
    var summary: String { "personal data of \(personId) forgotten by \(by): \(reason)" }
}
