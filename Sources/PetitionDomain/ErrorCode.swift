/// Every stable code an error reply can carry (`error.code` on the wire, Schemas/messages/error-reply.json):
/// the one list that the gateway, the projector and every client compare, never string literals.
public enum ErrorCode: String, CaseIterable, Hashable, Sendable, Codable {
    // The domain refused the command (``DomainError``).
    case sessionNotFound = "session_not_found"
    case sessionAlreadyExists = "session_already_exists"
    case petitionNotFound = "petition_not_found"
    case petitionAlreadyExists = "petition_already_exists"
    case invalidTransition = "invalid_transition"
    case deadlineBeforeReferral = "deadline_before_referral"
    case invalidInput = "invalid_input"
    case feedbackAlreadyRecorded = "feedback_already_recorded"
    case alreadyAccepted = "already_accepted"
    case extensionTooLong = "extension_too_long"
    case escalationNotDue = "escalation_not_due"
    case alreadyEscalated = "already_escalated"
    case alreadyDelivered = "already_delivered"
    /// `alert.record` for an alert that was never raised on that petition.
    case alertNotFound = "alert_not_found"
    case notPermitted = "not_permitted"
    case notHolder = "not_holder"
    /// The official's role allows the command, but not on this unit: it is outside their unit and the units below it.
    case outOfScope = "out_of_scope"
    case noCalendar = "no_calendar"
    case extensionNotAllowed = "extension_not_allowed"
    /// A unit's configuration file is wrong: said when a worker starts, never in a reply.
    case invalidConfiguration = "invalid_configuration"
    case personNotFound = "person_not_found"
    case alreadyForgotten = "already_forgotten"
    /// A unit, department or official named by a command is not in the registry (the message names the closest).
    case notRegistered = "not_registered"
    /// The registry already holds that code or name.
    case alreadyRegistered = "already_registered"
    // The message itself is wrong, or the service cannot answer now (the wire's own errors).
    case badRequest = "bad_request"
    case tooLarge = "too_large"
    case unknownType = "unknown_type"
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    case invalidValue = "invalid_value"
    case commandIdConflict = "command_id_conflict"
    /// The command's `expectedVersion` is not its stream's version: the stream changed since the sender read it.
    case versionMismatch = "version_mismatch"
    case unavailable
    /// The gateway holds too much undecided work: the command was not read; retry later with the same command id.
    case overloaded
    case notApplied = "not_applied"
    case notFound = "not_found"
    case erased
    /// Said by a client, not a server: no process answers on the endpoint.
    case notRunning = "not_running"
}
