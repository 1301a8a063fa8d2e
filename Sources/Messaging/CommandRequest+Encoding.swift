import EventSourcing
import Foundation
import PetitionDomain

extension CommandRequest {
    /// The command message as a client sends it (Schemas/messages/<type>.json): the one encoder every client uses
    /// (petitionctl, the escalator, the notifier), the inverse of ``init(type:fields:userId:)``. It names no actor:
    /// the gateway takes who acts from the connection's key.
    public var wireJSON: String {
        var o = JSONObjectText()
        o.string("type", command.messageType)
        o.string("commandId", commandId)
        if let occurredAt { o.string("occurredAt", Timestamp.format(occurredAt)) }
        command.handler.encodeFields(into: &o)
        return o.text
    }

    /// ``wireJSON`` as the bytes of one message frame.
    public var wireBytes: [UInt8] { Array(wireJSON.utf8) }
}
