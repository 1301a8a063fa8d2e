import EventSourcing
import PetitionDomain

/// What a command decided for one stream: its new events, and the stream's state after them.
public struct StreamOutput {
    public let stream: StreamName
    /// The stream's id within its category (what a reply names).
    public let id: String
    /// What the reply names as the command's result when not the stream's id (e.g. a unit's code in the registry stream).
    public var replyId: String?
    public let events: [DomainEvent]
    /// Whether the gateway just made this stream (a new session or petition): it expects no stream there.
    let isNew: Bool
    /// Keeps the state after the events as the stream's state for the rest of the batch.
    let keep: (CommandProcessor) -> Void

    init<D: StreamDecider>(_ decider: D.Type, id: String, events: [D.Event], after: D.State, isNew: Bool) {
        stream = StreamName(category: D.category, id: id)
        self.id = id
        self.events = events.map(D.domainEvent)
        self.isNew = isNew
        keep = { processor in processor.states(D.self).pending[id] = after }
    }
}
