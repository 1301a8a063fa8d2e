/// Somewhere alerts go: a webhook, a mail server, a log file.
///
/// `deliver` blocks until the attempt ends (each sink bounds it with a timeout);
/// the notifier calls it on its own worker threads, never on Swift's cooperative pool.
/// A sink never throws: every failure is a `DeliveryOutcome` saying whether to retry.
public protocol AlertSink: Sendable {
    /// A short name for logs, e.g. "webhook 127.0.0.1:8080".
    var name: String { get }
    /// Tries once to deliver `alert`; blocks until done or timed out.
    func deliver(_ alert: Alert) -> DeliveryOutcome
}
