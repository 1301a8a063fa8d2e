/// Where an alert is: delivered once any sink has it, failed once every sink tried refused it for good, pending otherwise
/// (no sink has recorded anything yet, or one is still retrying).
public enum AlertStatus: String, Codable, CaseIterable, Hashable, Sendable {
    case pending
    case delivered
    case failed

    /// The state in Vietnamese, for pages and petitionctl.
    public var vietnamese: String {
        switch self {
        case .pending: "chờ gửi"
        case .delivered: "đã gửi"
        case .failed: "không gửi được"
        }
    }
}

/// One escalation's alert and its delivery to each sink. Encoded with every key, `null` where there is no value.
public struct AlertView: Codable, Hashable, Sendable {
    /// `<petitionId>.<level>.<deadline>`.
    public var alertId: String
    public var petitionId: String
    /// warning, overdue or escalated.
    public var level: String
    public var unit: String
    public var department: String
    public var assignee: String
    /// Who is alerted.
    public var recipient: String
    /// The deadline the alert is about, `YYYY-MM-DD`.
    public var deadline: String
    /// The local day the rung fell due, `YYYY-MM-DD`.
    public var due: String
    /// When the log recorded the escalation (RFC 3339).
    public var raisedAt: String
    /// The escalation's log position.
    public var position: Int64
    public var state: AlertStatus
    /// One per sink that recorded a delivery or a failure, by sink name.
    public var deliveries: [AlertDeliveryView]
}

/// An alert's delivery to one sink. Encoded with every key, `null` where there is no value.
public struct AlertDeliveryView: Codable, Hashable, Sendable {
    /// Delivered; retrying after a failure that may pass; failed for good.
    public enum State: String, Codable, Hashable, Sendable {
        case delivered
        case retrying
        case failed
    }

    /// The sink's name, e.g. `webhook`, `email`, `file`.
    public var sink: String
    public var state: State
    /// Attempts so far (on delivery: how many it took).
    public var attempts: Int64
    /// The reason of the last failed attempt.
    public var lastError: String?
    /// When the last attempt failed (RFC 3339).
    public var lastFailedAt: String?
    /// When it was delivered (RFC 3339).
    public var deliveredAt: String?
    /// What the sink answered on delivery, e.g. "HTTP 204".
    public var detail: String?
    /// The sink refused it for good; the notifier stopped.
    public var permanent: Bool

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sink, forKey: .sink)
        try c.encode(state, forKey: .state)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(lastFailedAt, forKey: .lastFailedAt)
        try c.encode(deliveredAt, forKey: .deliveredAt)
        try c.encode(detail, forKey: .detail)
        try c.encode(permanent, forKey: .permanent)
    }
}
