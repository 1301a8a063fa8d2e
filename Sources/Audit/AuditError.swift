/// Why an audit could not run; `description` says what to do.
public struct AuditError: Error, CustomStringConvertible {
    public let description: String

    private init(_ description: String) { self.description = description }

    /// The data folder has no event log.
    public static func noLog(_ path: String) -> Self {
        .init("no event log at \(path): give the system's data folder with --data-dir (the one `petitionctl up --data-dir` uses)")
    }
}
