import Synchronization

/// A sink that keeps alerts in memory and answers with scripted outcomes: for the notifier's tests.
public final class InMemorySink: AlertSink {
    private struct State {
        var script: [DeliveryOutcome]
        var attempts: [Alert] = []
    }

    public let name: String
    private let state: Mutex<State>

    /// A sink answering with `script` in order, then `.delivered(detail: "memory")` for ever.
    public init(name: String = "memory", script: [DeliveryOutcome] = []) {
        self.name = name
        state = Mutex(State(script: script))
    }

    /// Records the attempt and returns the next scripted outcome.
    public func deliver(_ alert: Alert) -> DeliveryOutcome {
        state.withLock { s in
            s.attempts.append(alert)
            return s.script.isEmpty ? .delivered(detail: "memory") : s.script.removeFirst()
        }
    }

    /// Every alert passed to `deliver`, in order, failed attempts included.
    public var attempts: [Alert] { state.withLock { $0.attempts } }

    /// Adds outcomes to the end of the script.
    public func script(_ outcomes: DeliveryOutcome...) { state.withLock { $0.script += outcomes } }
}
