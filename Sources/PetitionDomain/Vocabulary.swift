/// The kind of a petition (DOMAIN.md): it chooses the deadline policy.
public enum PetitionKind: String, Codable, CaseIterable, Sendable {
    /// kiến nghị
    case recommendation
    /// phản ánh
    case report
    /// khiếu nại
    case complaint
    /// tố cáo
    case denunciation
}

/// The field (lĩnh vực) a petition concerns.
public enum PetitionCategory: String, Codable, CaseIterable, Sendable {
    case land
    case environment
    case agriculture
    case transport
    case irrigation
    case trafficSafety = "traffic_safety"
    case infrastructure
    case socialPolicy = "social_policy"
    case culture
    case administrativeProcedure = "administrative_procedure"
    case securityOrder = "security_order"
    case other
}

/// Where a petition is in its life.
public enum PetitionStatus: String, Codable, Sendable {
    /// Not submitted: the stream does not exist.
    case none
    /// Recorded at the conference, waiting for an answer or a referral.
    case submitted
    /// Answered by the chair at the conference.
    case answered
    /// Held by a department until resolved.
    case referred
    /// Settled by the department.
    case resolved

    /// Whether someone still has to act on it.
    public var isOutstanding: Bool { self == .submitted || self == .referred }
}
