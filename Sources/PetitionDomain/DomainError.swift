/// A command the domain refuses. `description` is safe to show a user; `code` is stable on the wire.
public struct DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The codes the domain refuses with: the domain's part of ``ErrorCode``.
    public typealias Code = ErrorCode

    private let kind: Code
    /// What is wrong and what to do, for a user.
    public let message: String

    private init(_ kind: Code, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The stable wire code, e.g. `invalid_transition`.
    public var code: String { kind.rawValue }
    /// The same code, typed: what callers compare.
    public var errorCode: ErrorCode { kind }
    public var description: String { message }

    public static func sessionNotFound(_ id: String) -> Self {
        .init(.sessionNotFound, "session \(id) does not exist; open it first with `petitionctl session open`")
    }
    public static func sessionAlreadyExists(_ id: String) -> Self {
        .init(.sessionAlreadyExists, "session \(id) is already open")
    }
    public static func notRegistered(_ message: String) -> Self { .init(.notRegistered, message) }
    /// An official acting on a unit outside their own unit and the units below it.
    public static func outOfScope(_ message: String) -> Self { .init(.outOfScope, message) }
    /// The sender is no one the registry admits (no key, or a key revoked since it connected): `not_permitted`.
    public static func notAdmitted(_ message: String) -> Self { .init(.notPermitted, message) }
    public static func alreadyRegistered(_ message: String) -> Self { .init(.alreadyRegistered, message) }
    public static func petitionNotFound(_ id: String) -> Self {
        .init(.petitionNotFound, "petition \(id) does not exist; check the id with `petitionctl outstanding`")
    }
    public static func petitionAlreadyExists(_ id: String) -> Self {
        .init(.petitionAlreadyExists, "petition \(id) was already submitted")
    }
    /// A command that makes no sense in the petition's current status.
    public static func invalidTransition(_ id: String, _ action: String, status: PetitionStatus, hint: String) -> Self {
        .init(.invalidTransition, "cannot \(action) petition \(id): it is \(status.rawValue); \(hint)")
    }
    public static func deadlineBeforeReferral(deadline: LocalDate, referral: LocalDate) -> Self {
        .init(.deadlineBeforeReferral, "deadline \(deadline) is before the referral date \(referral); give a later deadline")
    }
    public static func invalidInput(_ field: String, _ problem: String) -> Self {
        .init(.invalidInput, "\(field): \(problem)")
    }
    public static func feedbackAlreadyRecorded(_ id: String) -> Self {
        .init(.feedbackAlreadyRecorded, "the citizen's feedback on petition \(id) was already recorded; reopen it with `petitionctl reopen` if they are still unsatisfied")
    }
    public static func alreadyAccepted(_ id: String, department: String) -> Self {
        .init(.alreadyAccepted, "petition \(id) was already accepted by \(department)")
    }
    public static func extensionTooLong(_ id: String, requested: LocalDate, limit: LocalDate) -> Self {
        .init(.extensionTooLong, "cannot extend petition \(id) to \(requested): the deadline policy allows at most \(limit) for this extension")
    }
    public static func escalationNotDue(_ id: String, level: EscalationLevel, deadline: LocalDate) -> Self {
        .init(.escalationNotDue, "no \(level.rawValue) is due for petition \(id) and deadline \(deadline): it is no longer held with that deadline")
    }
    public static func alreadyEscalated(_ id: String, level: EscalationLevel, deadline: LocalDate) -> Self {
        .init(.alreadyEscalated, "the \(level.rawValue) for petition \(id) and deadline \(deadline) was already raised")
    }
    public static func personNotFound(_ id: String) -> Self {
        .init(.personNotFound, "no person \(id) has personal data here; the id is the personId shown by `petitionctl show P`")
    }
    public static func alreadyForgotten(_ id: String) -> Self {
        .init(.alreadyForgotten, "person \(id) was already forgotten: their personal data can no longer be read")
    }
    /// A command sent with the version of its stream it last saw (`expectedVersion`, HTTP's `If-Match`), after the
    /// stream moved on.
    public static func versionMismatch(_ stream: String, expected: Int64, actual: Int64) -> Self {
        .init(.versionMismatch, "\(stream) is at version \(actual), not \(expected): it changed since it was read; read it again and decide anew")
    }
    /// A delivery recorded for an alert that was never raised on that petition.
    public static func alertNotFound(_ alertId: String, petitionId: String) -> Self {
        .init(.alertNotFound, "no alert \(alertId) was raised on petition \(petitionId); a delivery is recorded only for an alert the escalator raised")
    }
    public static func alreadyDelivered(_ alertId: String, sink: String) -> Self {
        .init(.alreadyDelivered, "alert \(alertId) was already delivered to \(sink)")
    }
    /// The actor's role may not do this.
    public static func notPermitted(role: Role, action: String, allowed: [Role]) -> Self {
        .init(.notPermitted, "a \(role.rawValue.replacingOccurrences(of: "_", with: " ")) may not \(action); this is done by: \(allowed.map(\.rawValue).joined(separator: ", "))")
    }
    /// A department officer acting on what another department holds.
    public static func notHolder(_ id: String, department: String, holder: String?) -> Self {
        .init(.notHolder, "petition \(id) is not held by \(department)\(holder.map { " but by \($0)" } ?? ""); an officer acts only on what the department holds")
    }
    /// A date in a year the working-day calendar has no holiday file for.
    public static func noCalendar(year: Int64) -> Self {
        .init(.noCalendar, "no holiday calendar for \(year): add the file holidays/\(year).json to the unit's configuration")
    }
    /// An extension beyond what the deadline policy allows; `reason` says which limit.
    public static func extensionNotAllowed(_ reason: String) -> Self {
        .init(.extensionNotAllowed, reason)
    }
    /// A configuration file (holiday calendar, deadline policy) that cannot be used, naming the file and the field path.
    public static func invalidConfiguration(_ source: String, _ path: String, _ problem: String) -> Self {
        .init(.invalidConfiguration, path.isEmpty ? "\(source): \(problem)" : "\(source): \(path): \(problem)")
    }
}
