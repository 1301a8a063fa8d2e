/// The first line of an HTTP/1.x response, e.g. "HTTP/1.1 204 No Content".
struct HTTPStatusLine: Hashable {
    /// The three-digit status code.
    let code: Int
    /// The reason phrase, possibly empty.
    let reason: String

    /// Parses a status line without its CRLF; nil if it is not HTTP/1.x.
    init?(_ line: some StringProtocol) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3,
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let code = Int(parts[1]), code >= 100 else { return nil }
        self.code = code
        reason = parts.count > 2 ? String(parts[2]).trimmingSpaces : ""
    }

    /// "HTTP 503 Service Unavailable".
    var text: String { reason.isEmpty ? "HTTP \(code)" : "HTTP \(code) \(reason)" }

    /// What this status means for the alert: 2xx delivered; 408, 429, 5xx retry; other 3xx/4xx refused for good.
    var outcome: DeliveryOutcome {
        switch code {
        case 200...299: .delivered(detail: "HTTP \(code)")
        case 408, 429, 500...599: .retryable(reason: "webhook replied \(text)")
        case 300...399: .permanent(reason: "webhook replied \(text); redirects are not followed, configure the final URL")
        case 400...499: .permanent(reason: "webhook refused the alert: \(text)")
        default: .retryable(reason: "webhook replied with unexpected status \(text)")
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
