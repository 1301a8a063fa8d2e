import EventSourcing
import Foundation
import PetitionDomain

extension Commands {
    /// `petition.escalate`: raise a rung of the escalation ladder for a deadline (the escalator's command).
    public struct Escalate: PetitionCommandHandler {
        public static let messageType = "petition.escalate"
        public static let action = Action.escalate
        public var petitionId: String
        public var level: EscalationLevel
        public var deadline: LocalDate
        public var due: LocalDate
        public var recipient: String

        public init(petitionId: String, level: EscalationLevel, deadline: LocalDate, due: LocalDate, recipient: String) {
            self.petitionId = petitionId; self.level = level; self.deadline = deadline; self.due = due; self.recipient = recipient
        }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(petitionId: try f.petitionId(), level: try f.choice("level", EscalationLevel.self), deadline: try f.date("deadline"),
                      due: try f.date("due"), recipient: try f.string("recipient", maxLength: 200))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("petitionId", petitionId); o.string("level", level.rawValue); o.string("deadline", deadline.description)
            o.string("due", due.description); o.string("recipient", recipient)
        }

        public var fingerprintFields: [String] { [petitionId, level.rawValue, deadline.description, due.description, recipient] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let alertId = PetitionEscalated.newAlertId(petitionId: petitionId, level: level, random: context.newId())
            return [try context.decide(Petition.self, petitionId, (petitionId, PetitionCommand.escalate(level: level, deadline: deadline, due: due,
                                                                                                       recipient: recipient, alertId: alertId)))]
        }
    }

    /// `alert.record`: the notifier records an alert's delivery outcome on one sink.
    public struct RecordDelivery: CommandHandler {
        public static let messageType = "alert.record"
        public static let action = Action.recordDelivery
        public var outcome: AlertDelivery.Command

        public init(_ outcome: AlertDelivery.Command) { self.outcome = outcome }

        public init(fields f: JSONFields) throws(WireError) {
            let alertId = try f.identifier("alertId")
            let pid = try f.petitionId()
            let sink = try f.string("sink", maxLength: 64)
            switch try f.string("outcome", maxLength: 16) {
            case "delivered":
                guard let attempts = try f.optionalInt("attempts"), attempts >= 1, attempts <= 1_000_000 else {
                    throw .invalidValue("attempts", "must be a whole number of attempts, at least 1")
                }
                self.init(.delivered(alertId: alertId, petitionId: pid, sink: sink, attempts: Int(attempts),
                                     detail: try f.optionalString("detail", maxLength: 2000) ?? ""))
            case "failed":
                guard let attempt = try f.optionalInt("attempt"), attempt >= 1, attempt <= 1_000_000 else {
                    throw .invalidValue("attempt", "must be the attempt's number, at least 1")
                }
                self.init(.failed(alertId: alertId, petitionId: pid, sink: sink, attempt: Int(attempt),
                                  reason: try f.string("reason", maxLength: 2000), permanent: try f.optionalBool("permanent") ?? false))
            case let other:
                throw .invalidValue("outcome", "must be delivered or failed, got \"\(other)\"")
            }
        }

        public func encodeFields(into o: inout JSONObjectText) {
            switch outcome {
            case let .delivered(alertId, petitionId, sink, attempts, detail):
                o.string("alertId", alertId); o.string("petitionId", petitionId); o.string("sink", sink); o.string("outcome", "delivered")
                o.raw("attempts", String(attempts))
                if !detail.isEmpty { o.string("detail", detail) }
            case let .failed(alertId, petitionId, sink, attempt, reason, permanent):
                o.string("alertId", alertId); o.string("petitionId", petitionId); o.string("sink", sink); o.string("outcome", "failed")
                o.raw("attempt", String(attempt)); o.string("reason", reason)
                o.raw("permanent", permanent ? "true" : "false")
            }
        }

        public var fingerprintFields: [String] {
            switch outcome {
            case let .delivered(alertId, petitionId, sink, attempts, detail):
                [alertId, petitionId, sink, "delivered", String(attempts), detail]
            case let .failed(alertId, petitionId, sink, attempt, reason, permanent):
                [alertId, petitionId, sink, "failed", String(attempt), reason, permanent ? "1" : "0"]
            }
        }

        /// The alert whose delivery it records.
        public var alertId: String {
            switch outcome {
            case .delivered(let a, _, _, _, _), .failed(let a, _, _, _, _, _): a
            }
        }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            guard alertId.utf8.count <= 128, !alertId.isEmpty else { throw WireError.invalidValue("alertId", "must be 1 to 128 characters") }
            let petitionId = switch outcome { case .delivered(_, let p, _, _, _), .failed(_, let p, _, _, _, _): p }
            let petition = try context.state(Petition.self, petitionId)
            guard petition.status != .none else { throw DomainError.petitionNotFound(petitionId) }
            guard petition.alerts.contains(alertId) else { throw DomainError.alertNotFound(alertId, petitionId: petitionId) }
            return [try context.decide(AlertDelivery.self, alertId, outcome)]
        }
    }

    /// `person.forget`: erase a person's personal data by destroying their key (the events stay, sealed for good).
    public struct ForgetPerson: CommandHandler {
        public static let messageType = "person.forget"
        public static let action = Action.forgetPerson
        public var personId: String
        public var by: String
        public var reason: String

        public init(personId: String, by: String, reason: String) { self.personId = personId; self.by = by; self.reason = reason }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(personId: try f.identifier("personId", maxBytes: 64), by: try f.string("by", maxLength: 200),
                      reason: try f.string("reason", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("personId", personId); o.string("by", by); o.string("reason", reason) }

        public var fingerprintFields: [String] { [personId, by, reason] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let state = try context.state(Person.self, personId)
            let forget = Person.Forget(personId: personId, by: try context.registeredOfficial(by, field: "by", role: .chair), reason: reason,
                                       keyExists: try context.holdsKey(personId))
            let output = try context.decide(Person.self, personId, forget, in: state)
            context.destroyKey(personId)
            return [output]
        }
    }
}

extension Action {
    /// Recording who saw personal data: the gateway's history endpoint does it before it hands any out.
    public static let recordAccess = Action("record an access to personal data", roles: [.system], service: "petition-gateway")
}

extension Commands {
    /// `access.record`: an official saw citizens' personal data, or searched for citizens by name (sent by the
    /// gateway's history endpoint, and only by it, before it answers).
    public struct RecordAccess: CommandHandler {
        public static let messageType = "access.record"
        public static let action = Action.recordAccess
        public var accessed: PersonalDataAccessed

        public init(_ accessed: PersonalDataAccessed) { self.accessed = accessed }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(PersonalDataAccessed(officialId: try f.identifier("officialId", maxBytes: 64), access: try f.choice("access", PersonalDataAccess.self),
                                           stream: try f.optionalString("stream", maxLength: 200),
                                           personIds: try f.optionalStringArray("personIds", maxCount: 1000, maxLength: 64) ?? [],
                                           purpose: try f.string("purpose", maxLength: 500)))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("officialId", accessed.officialId); o.string("access", accessed.access.rawValue)
            if let stream = accessed.stream { o.string("stream", stream) }
            o.strings("personIds", accessed.personIds); o.string("purpose", accessed.purpose)
        }

        public var fingerprintFields: [String] {
            [accessed.officialId, accessed.access.rawValue, absentable(accessed.stream), accessed.personIds.joined(separator: "\u{1}"), accessed.purpose]
        }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            [try context.decide(AccessLog.self, accessed.officialId, accessed)]
        }
    }
}
