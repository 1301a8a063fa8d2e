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

/// `petition.reassigned.v1`: responsibility passed to another department or official.
public struct PetitionReassigned: Codable, Hashable, Sendable {
    public static let eventType = "petition.reassigned.v1"
    public var petitionId: String
    public var fromDepartment: String
    public var fromAssignee: String
    public var department: String
    public var assignee: String
    public var by: String
    public var reason: String

    public init(petitionId: String, fromDepartment: String, fromAssignee: String, department: String, assignee: String, by: String, reason: String) {
        self.petitionId = petitionId
        self.fromDepartment = fromDepartment
        self.fromAssignee = fromAssignee
        self.department = department
        self.assignee = assignee
        self.by = by
        self.reason = reason
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

/// `petition.escalated.v1`: a rung of the escalation ladder was raised for the current deadline.
public struct PetitionEscalated: Codable, Hashable, Sendable {
    public static let eventType = "petition.escalated.v1"
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

    public init(petitionId: String, level: EscalationLevel, deadline: LocalDate, due: LocalDate, unit: String,
                department: String, assignee: String, recipient: String) {
        self.petitionId = petitionId
        self.level = level
        self.deadline = deadline
        self.due = due
        self.unit = unit
        self.department = department
        self.assignee = assignee
        self.recipient = recipient
    }

    /// The alert's stable id: one per petition, level and deadline.
    public var alertId: String { Self.alertId(petitionId: petitionId, level: level, deadline: deadline) }

    /// `P000001.overdue.2026-04-01`.
    public static func alertId(petitionId: String, level: EscalationLevel, deadline: LocalDate) -> String {
        "\(petitionId).\(level.rawValue).\(deadline)"
    }
}
