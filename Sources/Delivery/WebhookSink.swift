/// Delivers alerts by POSTing their JSON to an `http://` webhook, on a plain TCP socket.
///
/// HTTPS is not supported yet (no TLS): an https URL is refused when the sink is made.
/// Each attempt is one HTTP/1.1 request with `Connection: close`, bounded as a whole by
/// `timeout` (connect, send and the response's status line). The `Idempotency-Key`
/// header carries the alert's id, so a receiver can drop a repeat after a retry.
public struct WebhookSink: AlertSink {
    /// Where alerts are posted.
    public let url: WebhookURL
    /// The limit on one whole attempt.
    public let timeout: Duration
    public let name: String

    /// The longest response head read; beyond this the status line alone decides.
    static let maxResponseHead = 16 * 1024

    /// A sink posting to `url` (`http://host[:port]/path`); throws if the URL is invalid or https.
    public init(url: String, timeout: Duration = .seconds(5), name: String? = nil) throws(DeliveryError) {
        self.url = try WebhookURL(url)
        guard timeout > .zero else { throw .invalidOption("the webhook timeout", "must be more than zero") }
        self.timeout = timeout
        self.name = name ?? "webhook \(self.url)"
    }

    /// POSTs the alert's JSON; 2xx delivered, 408/429/5xx and network failures retryable, other 4xx permanent.
    public func deliver(_ alert: Alert) -> DeliveryOutcome {
        let deadline = Deadline(after: timeout)
        do throws(NetworkError) {
            let connection = try TCPConnection.open(host: url.host, port: url.port, deadline: deadline)
            defer { connection.close() }
            try connection.send(request(for: alert), deadline: deadline)
            return try readStatus(connection, deadline: deadline)
        } catch {
            return .retryable(reason: "webhook \(url): \(error)")
        }
    }

    /// The whole request: head and JSON body.
    func request(for alert: Alert) -> [UInt8] {
        let body = alert.json()
        let head = "POST \(url.path) HTTP/1.1\r\n"
            + "Host: \(url.hostHeader)\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Idempotency-Key: \(Self.headerSafe(alert.alertId))\r\n"
            + "User-Agent: petition-notifier\r\n"
            + "Content-Length: \(body.count)\r\n"
            + "Connection: close\r\n"
            + "\r\n"
        return Array(head.utf8) + body
    }

    /// Reads response heads until a final (non-1xx) status, and says what it means.
    private func readStatus(_ connection: TCPConnection, deadline: Deadline) throws(NetworkError) -> DeliveryOutcome {
        var buffer: [UInt8] = []
        while true {
            if let end = Self.headEnd(buffer) ?? (buffer.count > Self.maxResponseHead ? buffer.count : nil) {
                guard let status = Self.statusLine(buffer[..<end]) else {
                    return .retryable(reason: "webhook \(url) replied with something that is not HTTP/1.x")
                }
                if (100...199).contains(status.code), status.code != 101, end < buffer.count {
                    buffer.removeFirst(end + 4)
                    continue
                }
                return status.outcome
            }
            guard try connection.receive(into: &buffer, waitingFor: "the HTTP response", deadline: deadline) else {
                if let status = Self.statusLine(buffer[...]), !(100...199).contains(status.code) { return status.outcome }
                throw .closed(connection.peer, buffer.isEmpty ? "without replying" : "in the middle of its reply")
            }
        }
    }

    /// The offset of the blank line that ends a response head, if it has arrived.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// The status line at the start of `head`, if it is complete and valid.
    static func statusLine(_ head: ArraySlice<UInt8>) -> HTTPStatusLine? {
        guard let cr = head.firstIndex(of: 13) else { return nil }
        return HTTPStatusLine(String(decoding: head[head.startIndex..<cr], as: UTF8.self))
    }

    /// `value` with every byte outside visible ASCII percent-encoded, so it cannot break the header.
    static func headerSafe(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "%") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}
