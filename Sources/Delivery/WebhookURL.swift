/// A parsed `http://host[:port]/path` webhook address.
///
/// Only plain http: https is refused with a clear error because TLS is not supported yet.
/// IPv6 literals go in brackets (`http://[::1]:8080/alerts`); user info is refused.
public struct WebhookURL: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address, without brackets.
    public let host: String
    /// The TCP port, 80 unless given.
    public let port: Int
    /// The request target: the path and query, starting with "/"; no fragment.
    public let path: String

    /// Parses and checks `text`; throws a `DeliveryError` that says what to fix.
    public init(_ text: String) throws(DeliveryError) {
        let lower = text.lowercased()
        if lower.hasPrefix("https://") { throw .tlsNotSupported(text) }
        guard lower.hasPrefix("http://") else {
            if let scheme = lower.range(of: "://").map({ lower[..<$0.lowerBound] }), !scheme.isEmpty {
                throw .invalidURL(text, "uses \(scheme)://; only http:// is supported")
            }
            throw .invalidURL(text, "must start with http://")
        }
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .invalidURL(text, "must be printable ASCII without spaces; percent-encode other characters")
        }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = rest[authorityEnd...]
        if let hash = target.firstIndex(of: "#") { target = target[..<hash] }
        path = target.isEmpty ? "/" : target.hasPrefix("/") ? String(target) : "/" + target
        guard !authority.contains("@") else { throw .invalidURL(text, "must not contain a user name or password") }
        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL(text, "has an IPv6 address without its closing \"]\"") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw .invalidURL(text, "has text after the IPv6 address") }
            portPart = after.isEmpty ? nil : after.dropFirst()
            guard hostPart.contains(":"), hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw .invalidURL(text, "has an invalid IPv6 address")
            }
        } else {
            let colons = authority.filter { $0 == ":" }.count
            guard colons <= 1 else { throw .invalidURL(text, "has too many \":\"; put an IPv6 address in brackets") }
            if let colon = authority.firstIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            } else {
                hostPart = authority
                portPart = nil
            }
            guard hostPart.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }) else {
                throw .invalidURL(text, "has an invalid host name")
            }
        }
        guard !hostPart.isEmpty else { throw .invalidURL(text, "has no host") }
        host = String(hostPart)
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy(\.isASCII), let number = Int(portPart), (1...65535).contains(number) else {
                throw .invalidURL(text, "has an invalid port; use 1 to 65535")
            }
            port = number
        } else {
            port = 80
        }
    }

    /// The value of the `Host` header: the host, bracketed if IPv6, and the port unless 80.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    /// The URL in canonical form, e.g. "http://127.0.0.1:8080/alerts".
    public var description: String { "http://\(hostHeader)\(path)" }
}
