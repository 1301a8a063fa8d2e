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
    public static let carriedBy = PetitionSubmitted.eventTypes + [PetitionDuplicateMerged.eventType]

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

/// `petition.submitted.v3`: a clerk recorded a citizen's petition at a session.
public struct PetitionSubmitted: Codable, Hashable, Sendable {
    /// v3 added `trackingCode`, v2 `unitCode`; the older versions are read with them absent.
    public static let eventType = "petition.submitted.v3"
    public static let v1 = "petition.submitted.v1"
    public static let v2 = "petition.submitted.v2"
    /// Every version, for readers that look for the records carrying a citizen.
    public static let eventTypes = [v1, v2, eventType]
    public var petitionId: String
    public var sessionId: String
    /// The unit's registered name (the session's).
    public var unit: String
    /// The unit's registered code: whose scope the petition is in; nil for a v1 petition.
    public var unitCode: String?
    public var kind: PetitionKind
    public var category: PetitionCategory
    public var content: String
    public var citizen: SealedPersonalData
    /// The code the citizen follows it by (``TrackingCode``); nil for a petition recorded before v3.
    public var trackingCode: String?

    public init(petitionId: String, sessionId: String, unit: String, unitCode: String? = nil, kind: PetitionKind, category: PetitionCategory,
                content: String, citizen: SealedPersonalData, trackingCode: String? = nil) {
        self.trackingCode = trackingCode
        self.petitionId = petitionId
        self.sessionId = sessionId
        self.unit = unit
        self.unitCode = unitCode
        self.kind = kind
        self.category = category
        self.content = content
        self.citizen = citizen
    }

    /// Every member always present: an older petition's upcast `unitCode` and `trackingCode` are `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(category, forKey: .category); try c.encode(citizen, forKey: .citizen); try c.encode(content, forKey: .content)
        try c.encode(kind, forKey: .kind); try c.encode(petitionId, forKey: .petitionId); try c.encode(sessionId, forKey: .sessionId)
        try c.encode(trackingCode, forKey: .trackingCode); try c.encode(unit, forKey: .unit); try c.encode(unitCode, forKey: .unitCode)
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

/// `petition.referred.v3`: the petition went to a department, with a deadline and the rule that set it.
///
/// Version 1 had no `complexity` and `rule`; it is upcast on read (``EventCodec``). Version 2 had no
/// `departmentRef`; it is read as v3 with none.
public struct PetitionReferred: Codable, Hashable, Sendable {
    public static let eventType = "petition.referred.v3"
    public static let v2 = "petition.referred.v2"
    public var petitionId: String
    /// The department's registered name when it was referred (shown under the registry's name now, see `departmentRef`).
    public var department: String
    /// The registered department that holds it, as ``DepartmentRegistered/ref`` (`unit/code`): what an officer's
    /// department is compared with, and what a rename follows; nil for a petition whose unit is not registered.
    public var departmentRef: String?
    public var assignee: String
    public var by: String
    /// The last local day (Asia/Ho_Chi_Minh) on which it is on time.
    public var deadline: LocalDate
    /// How complex the chair judged it: it chooses the limit and the extensions allowed.
    public var complexity: Complexity
    /// How the deadline was set, for people: "15 working days (recommendation)", "given by the chair".
    public var rule: String

    public init(petitionId: String, department: String, assignee: String, by: String, deadline: LocalDate,
                complexity: Complexity = .normal, rule: String = "given by the chair", departmentRef: String? = nil) {
        self.petitionId = petitionId
        self.department = department
        self.departmentRef = departmentRef
        self.assignee = assignee
        self.by = by
        self.deadline = deadline
        self.complexity = complexity
        self.rule = rule
    }

    /// Every member always present: no registered department is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(assignee, forKey: .assignee); try c.encode(by, forKey: .by); try c.encode(complexity, forKey: .complexity)
        try c.encode(deadline, forKey: .deadline); try c.encode(department, forKey: .department)
        try c.encode(departmentRef, forKey: .departmentRef); try c.encode(petitionId, forKey: .petitionId); try c.encode(rule, forKey: .rule)
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
    case noteAdded(PetitionNoteAdded)

    /// Its payload, through which every consumer finds the type's registration (``EventRegistry``).
    var payload: any PetitionEventPayload {
        switch self {
        case .submitted(let e): e
        case .answered(let e): e
        case .referred(let e): e
        case .resolved(let e): e
        case .feedback(let e): e
        case .accepted(let e): e
        case .extended(let e): e
        case .reassigned(let e): e
        case .reopened(let e): e
        case .withdrawn(let e): e
        case .merged(let e): e
        case .duplicateMerged(let e): e
        case .escalated(let e): e
        case .noteAdded(let e): e
        }
    }

    /// The petition it is about.
    public var petitionId: String { payload.petitionId }

    /// What happened, in one line for a person reading the history.
    public var summary: String { payload.summary }
}

extension PetitionSubmitted: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), sessionId: try r.string("sessionId"), unit: try r.string("unit"),
                  unitCode: try r.optionalString("unitCode"),
                  kind: try r.choice("kind", PetitionKind.self), category: try r.choice("category", PetitionCategory.self),
                  content: try r.string("content"), citizen: try r.sealed("citizen"), trackingCode: try r.optionalString("trackingCode"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("category", category.rawValue); w.add("citizen", sealed: citizen); w.add("content", content)
        w.add("kind", kind.rawValue); w.add("petitionId", petitionId); w.add("sessionId", sessionId)
        w.add("trackingCode", optional: trackingCode); w.add("unit", unit); w.add("unitCode", optional: unitCode)
    }
    var petitionEvent: PetitionEvent { .submitted(self) }
    var summary: String { "ghi nhận tại hội nghị \(sessionId) (\(unit)): \(kind.vietnamese), \(category.vietnamese)" }
    func status(after status: PetitionStatus) -> PetitionStatus { .submitted }
    func evolve(_ s: inout PetitionState) {
        s.petitionId = petitionId
        s.unit = unit
        s.unitCode = unitCode
        s.kind = kind
        s.citizen = citizen
    }
}

extension PetitionAnswered: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), by: try r.string("by"), answer: try r.string("answer"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("answer", answer); w.add("by", by); w.add("petitionId", petitionId) }
    var petitionEvent: PetitionEvent { .answered(self) }
    var summary: String { "\(by) trả lời tại hội nghị" }
    func status(after status: PetitionStatus) -> PetitionStatus { .answered }
    func evolve(_ s: inout PetitionState) { s.awaitingFeedback = .answer }
}

extension PetitionReferred: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), department: try r.string("department"), assignee: try r.string("assignee"),
                  by: try r.string("by"), deadline: try r.date("deadline"), complexity: try r.choice("complexity", Complexity.self),
                  rule: try r.string("rule"), departmentRef: try r.optionalString("departmentRef"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("assignee", assignee); w.add("by", by); w.add("complexity", complexity.rawValue); w.add("deadline", deadline.description)
        w.add("department", department); w.add("departmentRef", optional: departmentRef); w.add("petitionId", petitionId); w.add("rule", rule)
    }
    var petitionEvent: PetitionEvent { .referred(self) }
    var summary: String { "\(by) chuyển \(department) (\(assignee)), hạn \(deadline.vietnamese): \(rule)" }
    func status(after status: PetitionStatus) -> PetitionStatus { .referred }
    func evolve(_ s: inout PetitionState) {
        s.department = department
        s.departmentRef = departmentRef
        s.assignee = assignee
        s.deadline = deadline
        s.complexity = complexity
        s.accepted = false
        s.extensions = 0
        s.awaitingFeedback = nil
    }
}

extension PetitionResolved: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), by: try r.string("by"), resolution: try r.string("resolution"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("by", by); w.add("petitionId", petitionId); w.add("resolution", resolution) }
    var petitionEvent: PetitionEvent { .resolved(self) }
    var summary: String { "\(by) ghi kết quả giải quyết" }
    func status(after status: PetitionStatus) -> PetitionStatus { .resolved }
    func evolve(_ s: inout PetitionState) { s.awaitingFeedback = .resolution }
}
