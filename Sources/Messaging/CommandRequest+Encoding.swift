import EventSourcing
import Foundation
import PetitionDomain

extension CommandRequest {
    /// The command message as a client sends it (Schemas/messages/<type>.json): the one encoder every client uses
    /// (petitionctl, the escalator, the notifier), the inverse of ``init(type:fields:)``.
    public var wireJSON: String {
        var o = JSONObjectText()
        o.string("type", command.messageType)
        o.string("commandId", commandId)
        o.string("actor", actor.id)
        o.string("role", actor.role.rawValue)
        if let department = actor.department { o.string("actorDepartment", department) }
        if let occurredAt { o.string("occurredAt", Timestamp.format(occurredAt)) }
        command.encodeFields(into: &o)
        return o.text
    }

    /// ``wireJSON`` as the bytes of one message frame.
    public var wireBytes: [UInt8] { Array(wireJSON.utf8) }
}

extension GatewayCommand {
    /// The message type on the wire, e.g. `petition.refer`.
    public var messageType: String {
        switch self {
        case .openSession: "session.open"
        case .submit: "petition.submit"
        case .answer: "petition.answer"
        case .refer: "petition.refer"
        case .resolve: "petition.resolve"
        case .feedback: "petition.feedback"
        case .accept: "petition.accept"
        case .extend: "petition.extend"
        case .reassign: "petition.reassign"
        case .reopen: "petition.reopen"
        case .withdraw: "petition.withdraw"
        case .merge: "petition.merge"
        case .escalate: "petition.escalate"
        case .recordDelivery: "alert.record"
        case .forgetPerson: "person.forget"
        case .note: "petition.note"
        }
    }

    /// Writes the command's own fields, named as the decoder reads them.
    func encodeFields(into o: inout JSONObjectText) {
        switch self {
        case let .openSession(unit, title, chair):
            o.string("unit", unit); o.string("title", title); o.string("chair", chair)
        case let .submit(sessionId, kind, category, content, citizen):
            o.string("sessionId", sessionId); o.string("kind", kind.rawValue); o.string("category", category.rawValue)
            o.string("content", content)
            var c = JSONObjectText()
            c.string("name", citizen.name)
            if let address = citizen.address { c.string("address", address) }
            if let phone = citizen.phone { c.string("phone", phone) }
            o.raw("citizen", c.text)
        case let .answer(petitionId, by, answer):
            o.string("petitionId", petitionId); o.string("by", by); o.string("answer", answer)
        case let .refer(petitionId, department, assignee, by, deadline, complexity):
            o.string("petitionId", petitionId); o.string("department", department); o.string("assignee", assignee); o.string("by", by)
            switch deadline {
            case .days(let n): o.raw("days", String(n))
            case .date(let d): o.string("deadline", d.description)
            case .policy: break
            }
            if complexity != .normal { o.string("complexity", complexity.rawValue) }
        case let .resolve(petitionId, by, resolution):
            o.string("petitionId", petitionId); o.string("by", by); o.string("resolution", resolution)
        case let .feedback(petitionId, satisfied, comment):
            o.string("petitionId", petitionId); o.raw("satisfied", satisfied ? "true" : "false")
            if !comment.isEmpty { o.string("comment", comment) }
        case let .accept(petitionId):
            o.string("petitionId", petitionId)
        case let .extend(petitionId, approver, decision, deadline):
            o.string("petitionId", petitionId); o.string("approver", approver); o.string("decision", decision)
            if let deadline { o.string("deadline", deadline.description) }
        case let .reassign(petitionId, department, assignee, reason):
            o.string("petitionId", petitionId); o.string("department", department); o.string("assignee", assignee); o.string("reason", reason)
        case let .reopen(petitionId, reason), let .withdraw(petitionId, reason):
            o.string("petitionId", petitionId); o.string("reason", reason)
        case let .merge(petitionId, into, reason):
            o.string("petitionId", petitionId); o.string("into", into); o.string("reason", reason)
        case let .escalate(petitionId, level, deadline, due, recipient):
            o.string("petitionId", petitionId); o.string("level", level.rawValue); o.string("deadline", deadline.description)
            o.string("due", due.description); o.string("recipient", recipient)
        case let .recordDelivery(.delivered(alertId, petitionId, sink, attempts, detail)):
            o.string("alertId", alertId); o.string("petitionId", petitionId); o.string("sink", sink)
            o.string("outcome", "delivered"); o.raw("attempts", String(attempts))
            if !detail.isEmpty { o.string("detail", detail) }
        case let .recordDelivery(.failed(alertId, petitionId, sink, attempt, reason, permanent)):
            o.string("alertId", alertId); o.string("petitionId", petitionId); o.string("sink", sink)
            o.string("outcome", "failed"); o.raw("attempt", String(attempt)); o.string("reason", reason)
            o.raw("permanent", permanent ? "true" : "false")
        case let .forgetPerson(personId, by, reason):
            o.string("personId", personId); o.string("by", by); o.string("reason", reason)
        case let .note(petitionId, text):
            o.string("petitionId", petitionId); o.string("text", text)
        }
    }
}

/// A JSON object written member by member, texts escaped by ``JSONText``: the messages' encoder.
struct JSONObjectText {
    private var body = "{"

    /// The object's JSON text.
    var text: String { body + "}" }

    /// A member whose value is already JSON (a number, a boolean, an object).
    mutating func raw(_ key: String, _ json: String) {
        if body.utf8.count > 1 { body += "," }
        JSONText.appendString(key, to: &body)
        body += ":" + json
    }

    /// A member whose value is a string.
    mutating func string(_ key: String, _ value: String) {
        var encoded = ""
        JSONText.appendString(value, to: &encoded)
        raw(key, encoded)
    }
}
