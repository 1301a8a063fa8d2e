/// What one delivery attempt came to, and whether trying again may help.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The receiver took the alert; `detail` says how, e.g. "HTTP 204".
    case delivered(detail: String)
    /// It failed in a way that may pass (timeout, refused connection, 503, 451): retry later.
    case retryable(reason: String)
    /// The receiver refused the alert for good (400, 550): retrying will not help.
    case permanent(reason: String)

    /// Whether the alert was delivered.
    public var isDelivered: Bool {
        if case .delivered = self { true } else { false }
    }

    /// Whether a later attempt may succeed.
    public var isRetryable: Bool {
        if case .retryable = self { true } else { false }
    }

    /// The detail or the reason, for a log line.
    public var text: String {
        switch self {
        case .delivered(let detail): detail
        case .retryable(let reason), .permanent(let reason): reason
        }
    }
}
