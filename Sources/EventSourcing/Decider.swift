/// A decider: the pure shape of an aggregate (Chassaing's decider).
///
/// `decide` turns a command and the current state into events, or throws a
/// domain error; `evolve` folds one event into the state and never fails.
public struct Decider<Command, State: Sendable, Event, Failure: Error>: Sendable {
    public let initialState: State
    public let decide: @Sendable (Command, State) throws(Failure) -> [Event]
    public let evolve: @Sendable (State, Event) -> State

    public init(
        initialState: State,
        decide: @escaping @Sendable (Command, State) throws(Failure) -> [Event],
        evolve: @escaping @Sendable (State, Event) -> State
    ) {
        self.initialState = initialState
        self.decide = decide
        self.evolve = evolve
    }

    /// Folds a history into a state, starting from `initialState`.
    public func fold<S: Sequence>(_ events: S) -> State where S.Element == Event {
        events.reduce(initialState, evolve)
    }
}
