import EventSourcing
import Foundation

/// A citizen's personal data, sealed: only a key kept outside the log opens it.
public struct SealedPersonalData: Codable, Hashable, Sendable {
    /// The person's id; their data key is stored under it.
    public var personId: String
    /// AES-GCM sealed box (nonce ‖ ciphertext ‖ tag), base64.
    public var sealed: String

    public init(personId: String, sealed: String) {
        self.personId = personId
        self.sealed = sealed
    }

    /// The event types whose records carry a citizen's sealed data; no other does.
    public static let carriedBy = [PetitionSubmitted.eventType, PetitionDuplicateMerged.eventType]

    /// The citizen's sealed data a record carries, nil for a record of any other type.
    public static func carried(by record: RecordedEvent) throws -> SealedPersonalData? {
        guard carriedBy.contains(record.type) else { return nil }
        switch try EventCodec.decode(record) {
        case .petition(.submitted(let e))?: return e.citizen
        case .petition(.duplicateMerged(let e))?: return e.citizen
        default: return nil
        }
    }
}

/// `petition.submitted.v1`: a clerk recorded a citizen's petition at a session.
public struct PetitionSubmitted: Codable, Hashable, Sendable {
    public static let eventType = "petition.submitted.v1"
    public var petitionId: String
    public var sessionId: String
    public var unit: String
    public var kind: PetitionKind
    public var category: PetitionCategory
    public var content: String
    public var citizen: SealedPersonalData

    public init(petitionId: String, sessionId: String, unit: String, kind: PetitionKind, category: PetitionCategory,
                content: String, citizen: SealedPersonalData) {
        self.petitionId = petitionId
        self.sessionId = sessionId
        self.unit = unit
        self.kind = kind
        self.category = category
        self.content = content
        self.citizen = citizen
    }
}

/// `petition.answered.v1`: the chair answered at the conference.
public struct PetitionAnswered: Codable, Hashable, Sendable {
    public static let eventType = "petition.answered.v1"
    public var petitionId: String
    public var by: String
    public var answer: String

    public init(petitionId: String, by: String, answer: String) {
        self.petitionId = petitionId
        self.by = by
        self.answer = answer
    }
}

/// `petition.referred.v2`: the petition went to a department, with a deadline and the rule that set it.
///
/// Version 1 had no `complexity` and `rule`; it is upcast on read (``EventCodec``).
public struct PetitionReferred: Codable, Hashable, Sendable {
    public static let eventType = "petition.referred.v2"
    public var petitionId: String
    public var department: String
    public var assignee: String
    public var by: String
    /// The last local day (Asia/Ho_Chi_Minh) on which it is on time.
    public var deadline: LocalDate
    /// How complex the chair judged it: it chooses the limit and the extensions allowed.
    public var complexity: Complexity
    /// How the deadline was set, for people: "15 working days (recommendation)", "given by the chair".
    public var rule: String

    public init(petitionId: String, department: String, assignee: String, by: String, deadline: LocalDate,
                complexity: Complexity = .normal, rule: String = "given by the chair") {
        self.petitionId = petitionId
        self.department = department
        self.assignee = assignee
        self.by = by
        self.deadline = deadline
        self.complexity = complexity
        self.rule = rule
    }
}

/// `petition.resolved.v1`: the holding department settled it.
public struct PetitionResolved: Codable, Hashable, Sendable {
    public static let eventType = "petition.resolved.v1"
    public var petitionId: String
    public var by: String
    public var resolution: String

    public init(petitionId: String, by: String, resolution: String) {
        self.petitionId = petitionId
        self.by = by
        self.resolution = resolution
    }
}

/// Events of a petition stream.
public enum PetitionEvent: Hashable, Sendable {
    case submitted(PetitionSubmitted)
    case answered(PetitionAnswered)
    case referred(PetitionReferred)
    case resolved(PetitionResolved)
    case feedback(PetitionFeedback)
    case accepted(PetitionAccepted)
    case extended(PetitionExtended)
    case reassigned(PetitionReassigned)
    case reopened(PetitionReopened)
    case withdrawn(PetitionWithdrawn)
    case merged(PetitionMerged)
    case duplicateMerged(PetitionDuplicateMerged)
    case escalated(PetitionEscalated)
}
