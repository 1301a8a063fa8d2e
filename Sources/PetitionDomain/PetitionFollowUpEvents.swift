import Foundation

/// `petition.feedback.v1`: the citizen said whether the answer or the resolution satisfied them.
public struct PetitionFeedback: Codable, Hashable, Sendable {
    public static let eventType = "petition.feedback.v1"
    public var petitionId: String
    /// What the feedback is about.
    public var on: FeedbackSubject
    public var satisfied: Bool
    public var comment: String
    /// Who recorded it.
    public var by: String

    public init(petitionId: String, on: FeedbackSubject, satisfied: Bool, comment: String, by: String) {
        self.petitionId = petitionId
        self.on = on
        self.satisfied = satisfied
        self.comment = comment
        self.by = by
    }
}

/// `petition.accepted.v1`: the holding department took the referral in hand.
public struct PetitionAccepted: Codable, Hashable, Sendable {
    public static let eventType = "petition.accepted.v1"
    public var petitionId: String
    public var department: String
    public var by: String

    public init(petitionId: String, department: String, by: String) {
        self.petitionId = petitionId
        self.department = department
        self.by = by
    }
}

/// `petition.extended.v1`: the deadline was moved by a recorded decision.
public struct PetitionExtended: Codable, Hashable, Sendable {
    public static let eventType = "petition.extended.v1"
    public var petitionId: String
    /// Who recorded it (the chair).
    public var by: String
    /// Who approved the extension.
    public var approver: String
    /// The decision's reference, e.g. "Quyết định 12/QĐ-UBND".
    public var decision: String
    public var previousDeadline: LocalDate
    public var deadline: LocalDate
    /// 1 for the first extension, 2 for the second.
    public var extensionNumber: Int

    public init(petitionId: String, by: String, approver: String, decision: String, previousDeadline: LocalDate, deadline: LocalDate, extensionNumber: Int) {
        self.petitionId = petitionId
        self.by = by
        self.approver = approver
        self.decision = decision
        self.previousDeadline = previousDeadline
        self.deadline = deadline
        self.extensionNumber = extensionNumber
    }
}

/// `petition.reassigned.v2`: responsibility passed to another department or official.
///
/// Version 1 had no `departmentRef`; it is read as v2 with none.
public struct PetitionReassigned: Codable, Hashable, Sendable {
    public static let eventType = "petition.reassigned.v2"
    public static let v1 = "petition.reassigned.v1"
    public var petitionId: String
    public var fromDepartment: String
    public var fromAssignee: String
    public var department: String
    /// The registered department that holds it now, as ``DepartmentRegistered/ref`` (`unit/code`); nil for a petition
    /// whose unit is not registered.
    public var departmentRef: String?
    public var assignee: String
    public var by: String
    public var reason: String

    public init(petitionId: String, fromDepartment: String, fromAssignee: String, department: String, assignee: String, by: String, reason: String,
                departmentRef: String? = nil) {
        self.petitionId = petitionId
        self.fromDepartment = fromDepartment
        self.fromAssignee = fromAssignee
        self.department = department
        self.departmentRef = departmentRef
        self.assignee = assignee
        self.by = by
        self.reason = reason
    }

    /// Every member always present: no registered department is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(assignee, forKey: .assignee); try c.encode(by, forKey: .by); try c.encode(department, forKey: .department)
        try c.encode(departmentRef, forKey: .departmentRef); try c.encode(fromAssignee, forKey: .fromAssignee)
        try c.encode(fromDepartment, forKey: .fromDepartment); try c.encode(petitionId, forKey: .petitionId); try c.encode(reason, forKey: .reason)
    }
}

/// `petition.reopened.v1`: a closed petition is open again and waits for a referral.
public struct PetitionReopened: Codable, Hashable, Sendable {
    public static let eventType = "petition.reopened.v1"
    public var petitionId: String
    public var by: String
    public var reason: String

    public init(petitionId: String, by: String, reason: String) {
        self.petitionId = petitionId
        self.by = by
        self.reason = reason
    }
}

/// `petition.withdrawn.v1`: the citizen withdrew the petition.
public struct PetitionWithdrawn: Codable, Hashable, Sendable {
    public static let eventType = "petition.withdrawn.v1"
    public var petitionId: String
    /// Who recorded it.
    public var by: String
    public var reason: String

    public init(petitionId: String, by: String, reason: String) {
        self.petitionId = petitionId
        self.by = by
        self.reason = reason
    }
}

/// `petition.merged.v1`: this petition duplicates another, which carries it on.
public struct PetitionMerged: Codable, Hashable, Sendable {
    public static let eventType = "petition.merged.v1"
    public var petitionId: String
    /// The petition that carries it on.
    public var into: String
    public var by: String
    public var reason: String

    public init(petitionId: String, into: String, by: String, reason: String) {
        self.petitionId = petitionId
        self.into = into
        self.by = by
        self.reason = reason
    }
}

/// `petition.duplicate-merged.v1`: a duplicate was merged into this petition; its citizen is informed with this one's.
public struct PetitionDuplicateMerged: Codable, Hashable, Sendable {
    public static let eventType = "petition.duplicate-merged.v1"
    public var petitionId: String
    public var duplicateId: String
    /// The duplicate's citizen, still sealed under their own key.
    public var citizen: SealedPersonalData
    public var by: String

    public init(petitionId: String, duplicateId: String, citizen: SealedPersonalData, by: String) {
        self.petitionId = petitionId
        self.duplicateId = duplicateId
        self.citizen = citizen
        self.by = by
    }
}

/// `petition.escalated.v2`: a rung of the escalation ladder was raised for the current deadline.
///
/// v2 added `alertId`, drawn at random by the gateway so that no one can guess an alert before it is raised;
/// v1 (whose alert id was `<petitionId>.<level>.<deadline>`) is read with that id.
public struct PetitionEscalated: Codable, Hashable, Sendable {
    public static let eventType = "petition.escalated.v2"
    public static let v1 = "petition.escalated.v1"
    public static let eventTypes = [v1, eventType]
    public var petitionId: String
    public var level: EscalationLevel
    /// The deadline this escalation is about: extending it makes a new one due.
    public var deadline: LocalDate
    /// The local day on which this rung fell due.
    public var due: LocalDate
    public var unit: String
    public var department: String
    public var assignee: String
    /// Who is alerted: the holder, the chair of the unit, or the level above.
    public var recipient: String
    /// The alert's id: the stream `alert-<alertId>` records its deliveries.
    public var alertId: String

    /// `alertId` nil gives a v1 escalation's id.
    public init(petitionId: String, level: EscalationLevel, deadline: LocalDate, due: LocalDate, unit: String,
                department: String, assignee: String, recipient: String, alertId: String? = nil) {
        self.alertId = alertId ?? Self.v1AlertId(petitionId: petitionId, level: level, deadline: deadline)
        self.petitionId = petitionId
        self.level = level
        self.deadline = deadline
        self.due = due
        self.unit = unit
        self.department = department
        self.assignee = assignee
        self.recipient = recipient
    }

    private enum CodingKeys: String, CodingKey {
        case petitionId, level, deadline, due, unit, department, assignee, recipient, alertId
    }

    /// Reads v2, and v1 (no `alertId`) with its v1 id.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(petitionId: try c.decode(String.self, forKey: .petitionId), level: try c.decode(EscalationLevel.self, forKey: .level),
                  deadline: try c.decode(LocalDate.self, forKey: .deadline), due: try c.decode(LocalDate.self, forKey: .due),
                  unit: try c.decode(String.self, forKey: .unit), department: try c.decode(String.self, forKey: .department),
                  assignee: try c.decode(String.self, forKey: .assignee), recipient: try c.decode(String.self, forKey: .recipient),
                  alertId: try c.decodeIfPresent(String.self, forKey: .alertId))
    }

    /// A v1 escalation's alert id, `P000001.overdue.2026-04-01`: one per petition, level and deadline, and so guessable.
    public static func v1AlertId(petitionId: String, level: EscalationLevel, deadline: LocalDate) -> String {
        "\(petitionId).\(level.rawValue).\(deadline)"
    }

    /// A new alert's id: readable where it leads (`P000001.overdue.`) and unguessable after it (a random UUID).
    public static func newAlertId(petitionId: String, level: EscalationLevel, random: String) -> String {
        "\(petitionId).\(level.rawValue).\(random)"
    }
}

extension PetitionFeedback: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), on: try r.choice("on", FeedbackSubject.self), satisfied: try r.bool("satisfied"),
                  comment: try r.string("comment"), by: try r.string("by"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("by", by); w.add("comment", comment); w.add("on", on.rawValue); w.add("petitionId", petitionId); w.add("satisfied", bool: satisfied)
    }
    var petitionEvent: PetitionEvent { .feedback(self) }
    var summary: String { "cử tri \(satisfied ? "đồng ý" : "chưa đồng ý") với \(on == .answer ? "câu trả lời" : "kết quả giải quyết") (\(by) ghi)" }
    /// An unsatisfied citizen makes an on-site answer outstanding again.
    func status(after status: PetitionStatus) -> PetitionStatus { on == .answer && !satisfied ? .reopened : status }
    func evolve(_ s: inout PetitionState) { s.awaitingFeedback = nil }
}

extension PetitionAccepted: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), department: try r.string("department"), by: try r.string("by"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("by", by); w.add("department", department); w.add("petitionId", petitionId) }
    var petitionEvent: PetitionEvent { .accepted(self) }
    var summary: String { "\(department) tiếp nhận (\(by))" }
    func evolve(_ s: inout PetitionState) { s.accepted = true }
}

extension PetitionExtended: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), by: try r.string("by"), approver: try r.string("approver"),
                  decision: try r.string("decision"), previousDeadline: try r.date("previousDeadline"),
                  deadline: try r.date("deadline"), extensionNumber: try r.int("extensionNumber"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("approver", approver); w.add("by", by); w.add("deadline", deadline.description); w.add("decision", decision)
        w.add("extensionNumber", int: extensionNumber); w.add("petitionId", petitionId); w.add("previousDeadline", previousDeadline.description)
    }
    var petitionEvent: PetitionEvent { .extended(self) }
    var summary: String { "gia hạn lần \(extensionNumber) từ \(previousDeadline.vietnamese) đến \(deadline.vietnamese) (\(decision), \(approver) duyệt)" }
    func evolve(_ s: inout PetitionState) {
        s.deadline = deadline
        s.extensions = extensionNumber
    }
}

extension PetitionReassigned: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), fromDepartment: try r.string("fromDepartment"), fromAssignee: try r.string("fromAssignee"),
                  department: try r.string("department"), assignee: try r.string("assignee"), by: try r.string("by"), reason: try r.string("reason"),
                  departmentRef: try r.optionalString("departmentRef"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("assignee", assignee); w.add("by", by); w.add("department", department); w.add("departmentRef", optional: departmentRef)
        w.add("fromAssignee", fromAssignee)
        w.add("fromDepartment", fromDepartment); w.add("petitionId", petitionId); w.add("reason", reason)
    }
    var petitionEvent: PetitionEvent { .reassigned(self) }
    var summary: String { "\(by) giao lại từ \(fromDepartment) (\(fromAssignee)) cho \(department) (\(assignee)): \(reason)" }
    func evolve(_ s: inout PetitionState) {
        s.department = department
        s.departmentRef = departmentRef
        s.assignee = assignee
        s.accepted = false
    }
}

extension PetitionReopened: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), by: try r.string("by"), reason: try r.string("reason"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("by", by); w.add("petitionId", petitionId); w.add("reason", reason) }
    var petitionEvent: PetitionEvent { .reopened(self) }
    var summary: String { "\(by) mở lại: \(reason)" }
    func status(after status: PetitionStatus) -> PetitionStatus { .reopened }
    func evolve(_ s: inout PetitionState) { s.awaitingFeedback = nil }
}

extension PetitionWithdrawn: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), by: try r.string("by"), reason: try r.string("reason"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("by", by); w.add("petitionId", petitionId); w.add("reason", reason) }
    var petitionEvent: PetitionEvent { .withdrawn(self) }
    var summary: String { "cử tri rút kiến nghị (\(by) ghi): \(reason)" }
    func status(after status: PetitionStatus) -> PetitionStatus { .withdrawn }
    func evolve(_ s: inout PetitionState) { s.awaitingFeedback = nil }
}

extension PetitionMerged: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), into: try r.string("into"), by: try r.string("by"), reason: try r.string("reason"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("by", by); w.add("into", into); w.add("petitionId", petitionId); w.add("reason", reason) }
    var petitionEvent: PetitionEvent { .merged(self) }
    var summary: String { "\(by) gộp vào \(into): \(reason)" }
    func status(after status: PetitionStatus) -> PetitionStatus { .merged }
    func evolve(_ s: inout PetitionState) {
        s.mergedInto = into
        s.awaitingFeedback = nil
    }
}

extension PetitionDuplicateMerged: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), duplicateId: try r.string("duplicateId"), citizen: try r.sealed("citizen"), by: try r.string("by"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("by", by); w.add("citizen", sealed: citizen); w.add("duplicateId", duplicateId); w.add("petitionId", petitionId)
    }
    var petitionEvent: PetitionEvent { .duplicateMerged(self) }
    var summary: String { "\(by) gộp kiến nghị trùng \(duplicateId) vào đây; cử tri của kiến nghị đó được báo cùng kiến nghị này" }
    func evolve(_ s: inout PetitionState) {}
}

extension PetitionEscalated: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), level: try r.choice("level", EscalationLevel.self), deadline: try r.date("deadline"),
                  due: try r.date("due"), unit: try r.string("unit"), department: try r.string("department"),
                  assignee: try r.string("assignee"), recipient: try r.string("recipient"), alertId: try r.optionalString("alertId"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("alertId", alertId); w.add("assignee", assignee); w.add("deadline", deadline.description); w.add("department", department); w.add("due", due.description)
        w.add("level", level.rawValue); w.add("petitionId", petitionId); w.add("recipient", recipient); w.add("unit", unit)
    }
    var petitionEvent: PetitionEvent { .escalated(self) }
    var summary: String { "cảnh báo \(level.vietnamese.lowercased()), hạn \(deadline.vietnamese), gửi \(recipient)" }
    func evolve(_ s: inout PetitionState) {
        s.escalations.insert(PetitionState.escalationKey(level, deadline))
        s.alerts.insert(alertId)
    }
}
