import Foundation

/// Delivers alerts as plain-text mail over SMTP, on a plain TCP socket.
///
/// No TLS and no authentication yet (no STARTTLS, no AUTH): use it with a relay on
/// the same host or a trusted network. The `Message-ID` is `<alertId@petition-notifier>`,
/// so a mail system can drop a duplicate after a retry. Each step (connect, each
/// command and its reply, the message) has its own timeout. 4xx replies and network
/// failures are retryable, 5xx replies permanent.
public struct SMTPSink: AlertSink {
    /// The mail server's host name or address.
    public let host: String
    /// The mail server's port.
    public let port: Int
    /// The envelope sender and `From:` address.
    public let from: String
    /// The envelope recipients and `To:` addresses.
    public let recipients: [String]
    /// The name given in EHLO.
    public let clientName: String
    /// The limit on each step.
    public let stepTimeout: Duration
    public let name: String
    private let now: @Sendable () -> Date

    /// A sink sending from `from` to `recipients` through `host:port`; throws if an address or setting is unusable.
    public init(host: String, port: Int = 25, from: String, to recipients: [String], clientName: String = "localhost",
                stepTimeout: Duration = .seconds(10), name: String? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) throws(DeliveryError) {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard !bare.isEmpty, bare.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .invalidOption("the SMTP host \"\(host)\"", "must be a host name or address")
        }
        guard (1...65535).contains(port) else { throw .invalidOption("the SMTP port \(port)", "must be 1 to 65535") }
        guard !recipients.isEmpty else { throw .invalidOption("the SMTP recipients", "must name at least one address") }
        guard !clientName.isEmpty, clientName.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .invalidOption("the EHLO name \"\(clientName)\"", "must be a host name without spaces")
        }
        guard stepTimeout > .zero else { throw .invalidOption("the SMTP step timeout", "must be more than zero") }
        for address in [from] + recipients { try Self.check(address) }
        self.host = bare
        self.port = port
        self.from = from
        self.recipients = recipients
        self.clientName = clientName
        self.stepTimeout = stepTimeout
        self.name = name ?? "smtp \(bare.contains(":") ? "[\(bare)]" : bare):\(port)"
        self.now = now
    }

    /// Sends the alert as one mail; blocks until the server accepts or refuses it, or a step times out.
    public func deliver(_ alert: Alert) -> DeliveryOutcome {
        let message = SMTPMessage(alert: alert, from: from, to: recipients, date: now())
        var dialogue = SMTPDialogue(clientName: clientName, from: from, recipients: recipients, data: message.dataBytes)
        do throws(NetworkError) {
            let connection = try TCPConnection.open(host: host, port: port, deadline: Deadline(after: stepTimeout))
            defer { connection.close() }
            var buffer: [UInt8] = []
            while true {
                let awaited = dialogue.step == .greeting ? "the greeting" : "the reply to \(dialogue.step.name)"
                let reply = try readReply(connection, &buffer, awaited: awaited, deadline: Deadline(after: stepTimeout))
                switch dialogue.handle(reply) {
                case .send(let bytes):
                    try connection.send(bytes, deadline: Deadline(after: stepTimeout))
                case .quit(let outcome):
                    quit(connection, &buffer)
                    return outcome
                case .close(let outcome):
                    return outcome
                }
            }
        } catch {
            return .retryable(reason: "SMTP: \(error)")
        }
    }

    /// Reads one whole reply, however many lines and packets it takes.
    private func readReply(_ connection: TCPConnection, _ buffer: inout [UInt8], awaited: String,
                           deadline: Deadline) throws(NetworkError) -> SMTPReply {
        while true {
            do throws(SMTPReply.SyntaxError) {
                if let reply = try SMTPReply.take(from: &buffer) { return reply }
            } catch {
                throw .protocolViolation(connection.peer, error.description)
            }
            guard try connection.receive(into: &buffer, waitingFor: awaited, deadline: deadline) else {
                throw .closed(connection.peer, "before \(awaited)")
            }
        }
    }

    /// Says QUIT and waits briefly for the 221; failures here change nothing.
    private func quit(_ connection: TCPConnection, _ buffer: inout [UInt8]) {
        let deadline = Deadline(after: stepTimeout).capped(at: .seconds(2))
        do throws(NetworkError) {
            try connection.send(Array("QUIT\r\n".utf8), deadline: deadline)
            _ = try readReply(connection, &buffer, awaited: "the reply to QUIT", deadline: deadline)
        } catch {}
    }

    /// Refuses an address that cannot go in `MAIL FROM:<…>`, `RCPT TO:<…>` or a header.
    static func check(_ address: String) throws(DeliveryError) {
        let bytes = Array(address.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            throw .invalidAddress(address, "must be ASCII (international addresses need SMTPUTF8, which is not supported)")
        }
        let forbidden = Set("<>()[],;:\\\"".utf8)
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }) else {
            throw .invalidAddress(address, "must not contain spaces, control characters or any of < > ( ) [ ] , ; : \\ \"")
        }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else {
            throw .invalidAddress(address, "must look like name@domain")
        }
        guard bytes.count <= 254 else { throw .invalidAddress(address, "is longer than 254 characters") }
    }
}
