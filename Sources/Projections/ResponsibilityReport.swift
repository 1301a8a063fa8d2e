/// Who holds what, per department and per official, and how they did: the answer to `responsibility`.
public struct ResponsibilityReport: Encodable, Hashable, Sendable {
    /// The local day (Asia/Ho_Chi_Minh) overdue was judged on, `YYYY-MM-DD`.
    public var today: String
    /// One per (unit, department) that ever held a petition, by unit then department.
    public var departments: [HolderRecord]
    /// One per (unit, department, assignee), by unit, department, assignee.
    public var officials: [HolderRecord]
}

/// One department's or one official's record. Encoded with every key (`null` where there is no value);
/// `assignee` only for officials.
///
/// A department holds a petition from its referral (or a reassignment into it)
/// until it leaves the department; an official from the moment they received it.
/// Reassignment hands it over: it is neither held nor closed by the one who
/// had it. Withdrawn or merged petitions are no longer held and not resolved.
public struct HolderRecord: Encodable, Hashable, Sendable {
    public var unit: String
    public var department: String
    /// The official; nil for a department's record.
    public var assignee: String?
    /// Petitions held now.
    public var holding: Int
    /// When they received the oldest one they hold now (RFC 3339); null when they hold none.
    public var heldSince: String?
    /// Petitions held now whose deadline day has passed.
    public var overdue: Int
    /// Resolved on or before the deadline day (by the resolution's local date).
    public var resolvedOnTime: Int
    /// Resolved after the deadline day.
    public var resolvedLate: Int
    /// Handed over to someone else by reassignment (for a department: to another department).
    public var handedOver: Int
    /// Median days from receiving to resolving, to 0.01; null with no resolution.
    public var medianDaysToResolve: Double?
    /// 90th percentile of the same, to 0.01; null with no resolution.
    public var p90DaysToResolve: Double?
    /// resolvedOnTime ÷ (resolvedOnTime + resolvedLate + overdue), to 0.0001; null when that is 0/0.
    public var onTimeRate: Double?

    enum CodingKeys: String, CodingKey {
        case unit, department, assignee, holding, heldSince, overdue, resolvedOnTime, resolvedLate, handedOver
        case medianDaysToResolve, p90DaysToResolve, onTimeRate
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unit, forKey: .unit)
        try c.encode(department, forKey: .department)
        try c.encodeIfPresent(assignee, forKey: .assignee)
        try c.encode(holding, forKey: .holding)
        try c.encode(heldSince, forKey: .heldSince)
        try c.encode(overdue, forKey: .overdue)
        try c.encode(resolvedOnTime, forKey: .resolvedOnTime)
        try c.encode(resolvedLate, forKey: .resolvedLate)
        try c.encode(handedOver, forKey: .handedOver)
        try c.encode(medianDaysToResolve, forKey: .medianDaysToResolve)
        try c.encode(p90DaysToResolve, forKey: .p90DaysToResolve)
        try c.encode(onTimeRate, forKey: .onTimeRate)
    }
}
