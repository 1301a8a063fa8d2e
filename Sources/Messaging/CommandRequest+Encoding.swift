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
        command.handler.encodeFields(into: &o)
        return o.text
    }

    /// ``wireJSON`` as the bytes of one message frame.
    public var wireBytes: [UInt8] { Array(wireJSON.utf8) }
}
