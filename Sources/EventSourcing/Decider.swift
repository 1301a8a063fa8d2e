/// A decider: the pure shape of an aggregate (Chassaing's decider), and what the gateway runs.
///
/// `decide` turns a command and the current state into events, or throws a
/// domain error; `evolve` folds one event into the state and never fails.
/// The gateway loads a stream's state by folding its events with `evolve` from
/// `initialState` (keeping it cached between commands), and appends what
/// `decide` returns.
public protocol Decider {
    associatedtype Command
    associatedtype State: Sendable
    associatedtype Event
    associatedtype Failure: Error

    /// The state of a stream with no events.
    static var initialState: State { get }
    /// The events `command` causes in `state`; throws when the command is refused.
    static func decide(_ command: Command, _ state: State) throws(Failure) -> [Event]
    /// The state after `event`.
    static func evolve(_ state: State, _ event: Event) -> State
}

extension Decider {
    /// Folds a history into a state, starting from `initialState`.
    public static func fold<S: Sequence>(_ events: S) -> State where S.Element == Event {
        events.reduce(initialState, evolve)
    }

    /// Folds `events` into `state`.
    public static func fold<S: Sequence>(_ events: S, into state: State) -> State where S.Element == Event {
        events.reduce(state, evolve)
    }
}
