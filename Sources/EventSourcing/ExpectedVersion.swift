/// What a writer expects a stream's version to be before its append.
///
/// Versions count events: a stream with no events has version 0, its first
/// event has version 1.
public enum ExpectedVersion: Hashable, Sendable {
    /// Append whatever the stream's version.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have exactly this version.
    case exact(Int64)

    /// Whether a stream at `current` satisfies this expectation.
    public func admits(_ current: Int64) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return current == 0
        case .exact(let version): return current == version
        }
    }
}
