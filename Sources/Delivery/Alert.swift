import Foundation

/// One alert to deliver: who must act on which petition, by when, and why.
///
/// `alertId` is stable for one escalation of one petition, so it doubles as the
/// idempotency key: a receiver that sees the same id twice can drop the second.
public struct Alert: Sendable, Codable, Hashable {
    /// Stable id of this alert; also the idempotency key (`Idempotency-Key`, `Message-ID`).
    public var alertId: String
    /// How serious it is, e.g. "warning", "overdue", "escalated".
    public var level: String
    /// The petition the alert is about.
    public var petitionId: String
    /// The administrative unit, e.g. "Xã Vũ Hội".
    public var unit: String
    /// The department the petition was referred to.
    public var department: String
    /// Who holds the petition now.
    public var holder: String
    /// Who the alert is for, e.g. "chair of Xã Vũ Hội".
    public var recipient: String
    /// The deadline, "YYYY-MM-DD".
    public var deadline: String
    /// One line; Vietnamese allowed.
    public var subject: String
    /// The text of the alert.
    public var body: String
    /// When the alert was raised, RFC 3339.
    public var raisedAt: String

    /// An alert from all its fields.
    public init(alertId: String, level: String, petitionId: String, unit: String, department: String, holder: String,
                recipient: String, deadline: String, subject: String, body: String, raisedAt: String) {
        self.alertId = alertId
        self.level = level
        self.petitionId = petitionId
        self.unit = unit
        self.department = department
        self.holder = holder
        self.recipient = recipient
        self.deadline = deadline
        self.subject = subject
        self.body = body
        self.raisedAt = raisedAt
    }

    /// The alert as compact UTF-8 JSON with sorted keys: the webhook body.
    public func json() -> [UInt8] {
        // Encoding a struct of strings cannot fail.
        (try? Array(Self.encoder.encode(self))) ?? []
    }

    /// The encoder for alert JSON: sorted keys, no escaped slashes.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
