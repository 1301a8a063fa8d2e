/// A failure of the event store. `description` is safe to show a user.
public struct EventStoreError: Error, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private enum Code: Hashable, Sendable {
        case wrongExpectedVersion
        case headMoved
        case duplicateEventId
        case duplicateCommand
        case storage
        case corrupt
    }

    private let code: Code
    /// What went wrong, for a user.
    public let message: String
    /// Details for an operator.
    public let detail: String

    private init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { message }
    /// Whether a stored record could not be read back (the record is at fault, not the store).
    public var isCorrupt: Bool { code == .corrupt }
    public var debugDescription: String { detail.isEmpty ? message : "\(message) [\(detail)]" }

    /// The stream was not at the version the writer expected.
    public static func wrongExpectedVersion(_ stream: StreamName, expected: ExpectedVersion, actual: Int64) -> Self {
        .init(.wrongExpectedVersion, "stream \(stream) is at version \(actual), expected \(expected)")
    }
    /// The log's head was not where the single writer expected: another process appended.
    public static func headMoved(expected: Int64, actual: Int64) -> Self {
        .init(.headMoved, "the event log's head is at \(actual), expected \(expected): another writer appended to it",
              detail: "only one petition-gateway may write to a data folder")
    }
    /// An event id was already in the log.
    public static func duplicateEventId(_ id: String) -> Self {
        .init(.duplicateEventId, "event id \(id) is already in the log")
    }
    /// A command id was already recorded.
    public static func duplicateCommand(_ id: String) -> Self {
        .init(.duplicateCommand, "command id \(id) was already handled")
    }
    /// The backend failed (disk, lock, SQL).
    public static func storage(_ detail: String) -> Self {
        .init(.storage, "the event store could not complete the operation", detail: detail)
    }
    /// A stored record could not be read back.
    public static func corrupt(_ detail: String) -> Self {
        .init(.corrupt, "a stored record is unreadable", detail: detail)
    }

    /// Whether two errors are of the same kind, ignoring their messages.
    public func isSameKind(as other: Self) -> Bool { code == other.code }
}
