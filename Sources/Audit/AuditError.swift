import Foundation

/// An audit could not read what it was asked to check (exit code 2): the message names the path and what to do.
public struct AuditError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The data folder has no event log.
    public static func noLog(_ path: String) -> Self {
        .init("no event log at \(path): give the system's data folder with --data-dir (the one `petitionctl up --data-dir` uses)")
    }
}
