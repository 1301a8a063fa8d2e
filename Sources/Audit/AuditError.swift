import Foundation
import Projections

/// An audit could not be done (exit code 2): a file could not be read or written, or what was asked cannot be given.
/// The message names the path or the option, and what to do.
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

    /// The log holds a record of a type this version does not read (written by a newer version).
    public static func unknownEvent(type: String, position: Int64) -> Self {
        .init("the log holds an event of type \(type) at position \(position), which this version of petitionctl does not know; use the version of petitionctl the gateway runs")
    }

    /// Runs `body`, reporting a failure of the rebuild code it calls (``RebuildError``: the log or a read model could not
    /// be read or written) as an audit error with the same message, so an audit's caller handles one error type.
    static func converting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RebuildError {
            throw AuditError(error.description)
        }
    }
}
