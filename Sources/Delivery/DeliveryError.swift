/// A sink's configuration was refused. `description` is safe to show a user.
public struct DeliveryError: Error, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidURL
        case tlsNotSupported
        case invalidAddress
        case invalidOption
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
    public var debugDescription: String { detail.isEmpty ? message : "\(message) [\(detail)]" }

    /// A webhook URL that cannot be used; `why` says what to fix.
    public static func invalidURL(_ url: String, _ why: String) -> Self {
        .init(.invalidURL, "webhook URL \"\(url)\" \(why)")
    }
    /// An https URL: TLS is not supported yet.
    public static func tlsNotSupported(_ url: String) -> Self {
        .init(.tlsNotSupported,
              "webhook URL \"\(url)\" uses https, but TLS is not supported yet; use an http:// URL on a trusted network or a local TLS-terminating proxy")
    }
    /// A mail address that cannot be put in an SMTP envelope.
    public static func invalidAddress(_ address: String, _ why: String) -> Self {
        .init(.invalidAddress, "mail address \"\(address)\" \(why)")
    }
    /// Some other setting is out of range.
    public static func invalidOption(_ name: String, _ why: String) -> Self {
        .init(.invalidOption, "\(name) \(why)")
    }

    /// Whether two errors are of the same kind, ignoring their messages.
    public func isSameKind(as other: Self) -> Bool { code == other.code }
}
