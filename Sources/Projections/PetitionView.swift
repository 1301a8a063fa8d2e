import Foundation

/// One petition as the read model sees it.
public struct PetitionView: Codable, Hashable, Sendable {
    public var petitionId: String
    public var sessionId: String
    public var unit: String
    public var kind: String
    public var category: String
    public var content: String
    public var status: String
    public var personId: String
    public var submittedAt: String
    public var answeredAt: String?
    public var answeredBy: String?
    public var answer: String?
    public var department: String?
    public var assignee: String?
    public var referredBy: String?
    public var referredAt: String?
    public var deadline: String?
    public var resolvedAt: String?
    public var resolvedBy: String?
    public var resolution: String?
    /// When the holding department accepted the referral.
    public var acceptedAt: String?
    /// How many times the deadline was extended.
    public var extensions: Int64
    /// The petition this duplicate was merged into.
    public var mergedInto: String?
    /// The highest escalation raised for the current deadline: warning, overdue or escalated.
    public var escalation: String?
    /// The citizen's last feedback: satisfied or unsatisfied.
    public var feedback: String?
    /// The code the citizen follows it by (on their receipt); absent for a petition recorded before codes.
    public var trackingCode: String?
    /// Who must act now: the session's chair while it waits, the assignee once referred.
    public var holder: String?
    /// Since when the holder has had it.
    public var heldSince: String?
    /// Referred, unresolved, and past the end of its deadline day (Asia/Ho_Chi_Minh).
    public var overdue: Bool
    /// Whole days past the deadline, 0 when not overdue.
    public var daysOverdue: Int64
    /// The log position of the last event applied to this petition.
    public var lastPosition: Int64
}

/// Which outstanding petitions to list.
public struct OutstandingFilter: Hashable, Sendable {
    public var unit: String?
    public var department: String?
    /// Only petitions this official holds.
    public var assignee: String?
    public var overdueOnly: Bool
    /// Only these units (the caller's scope); nil for all.
    public var scope: [String]?
    /// Only those after the page that gave this cursor.
    public var after: PageCursor?

    public init(unit: String? = nil, department: String? = nil, assignee: String? = nil, overdueOnly: Bool = false, scope: [String]? = nil,
                after: PageCursor? = nil) {
        self.scope = scope
        self.after = after
        self.unit = unit
        self.department = department
        self.assignee = assignee
        self.overdueOnly = overdueOnly
    }
}
