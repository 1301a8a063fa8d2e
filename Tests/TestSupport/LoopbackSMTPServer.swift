import Foundation

/// A real SMTP server on a loopback port that records each message and can refuse MAIL for a while.
///
/// It speaks enough SMTP for a client: 220 greeting, EHLO (250 with 8BITMIME) or HELO, MAIL, RCPT,
/// DATA (354, data until a lone ".", un-dot-stuffed), RSET, NOOP, QUIT (221). No TLS, no AUTH.
public final class LoopbackSMTPServer: @unchecked Sendable {
    /// How the server answers MAIL FROM.
    public enum Behaviour: Sendable, Hashable {
        /// 250 to every MAIL.
        case accept
        /// This code (e.g. 451 or 550) to every MAIL.
        case failMail(code: Int)
        /// 451 to the first `n` MAIL commands after this behaviour was set, 250 after.
        case failMailFirst(Int)
    }

    /// One message as received.
    public struct Message: Sendable, Hashable {
        /// The envelope sender.
        public let from: String
        /// The envelope recipients.
        public let recipients: [String]
        /// The message with dot-stuffing undone, CRLF line ends, without the final ".".
        public let data: String

        /// The unfolded, undecoded value of header `name`.
        public func header(_ name: String) -> String? { MailText.header(name, in: data) }
        /// The Subject with RFC 2047 words decoded.
        public var subject: String? { header("Subject").map(MailText.decodeWords) }
        /// The body text, base64-decoded if it was sent so.
        public var textBody: String? { MailText.textBody(data) }
    }

    private let condition = NSCondition()
    private var received: [Message] = []
    private var mailCommands = 0
    private var current: Behaviour
    private var mailCommandsAtSwitch = 0
    private var listener: LoopbackListener!

    /// Starts listening on `host` ("127.0.0.1" or "::1"), on a port the kernel picks.
    public init(host: String = "127.0.0.1", behaviour: Behaviour = .accept) throws {
        current = behaviour
        listener = try LoopbackListener(host: host) { [weak self] stream in self?.serve(stream) }
    }

    deinit { listener?.stop() }

    /// The port it listens on.
    public var port: Int { listener.port }
    /// The address it listens on.
    public var host: String { listener.host }

    /// How the next MAIL commands are answered; switch it at any time.
    public var behaviour: Behaviour {
        get { condition.withLock { current } }
        set {
            condition.withLock {
                current = newValue
                mailCommandsAtSwitch = mailCommands
            }
        }
    }

    /// The messages accepted so far, oldest first.
    public var messages: [Message] { condition.withLock { received } }

    /// How many MAIL commands arrived, refused ones included.
    public var mailAttempts: Int { condition.withLock { mailCommands } }

    /// Waits until at least `count` messages have arrived or `timeout` passes; the messages by then.
    @discardableResult
    public func waitForMessages(_ count: Int, timeout: Duration = .seconds(5)) -> [Message] {
        let until = Date().addingTimeInterval(timeout.timeInterval)
        condition.lock()
        defer { condition.unlock() }
        while received.count < count, condition.wait(until: until) {}
        return received
    }

    /// Stops listening and closes open connections.
    public func stop() { listener.stop() }

    private func serve(_ stream: LoopbackStream) {
        var from: String?
        var recipients: [String] = []
        guard stream.write("220 loopback.test ESMTP ready\r\n") else { return }
        while let line = stream.readLine() {
            let verb = line.prefix(while: { $0 != " " }).uppercased()
            let reply: String
            switch verb {
            case "EHLO":
                reply = "250-loopback.test greets \(line.dropFirst(5))\r\n250-8BITMIME\r\n250-SIZE 10485760\r\n250 HELP"
            case "HELO":
                reply = "250 loopback.test"
            case "MAIL":
                let code: Int = condition.withLock {
                    mailCommands += 1
                    return switch current {
                    case .accept: 250
                    case .failMail(let code): code
                    case .failMailFirst(let n): mailCommands - mailCommandsAtSwitch <= n ? 451 : 250
                    }
                }
                if code == 250, let address = Self.address(line, after: "MAIL FROM:") {
                    from = address
                    recipients = []
                    reply = "250 2.1.0 Ok"
                } else if code == 250 {
                    reply = "501 5.5.4 Syntax: MAIL FROM:<address>"
                } else {
                    reply = code < 500 ? "\(code) 4.3.0 Try again later" : "\(code) 5.7.1 Sender refused"
                }
            case "RCPT":
                if from == nil {
                    reply = "503 5.5.1 Need MAIL first"
                } else if let address = Self.address(line, after: "RCPT TO:") {
                    recipients.append(address)
                    reply = "250 2.1.5 Ok"
                } else {
                    reply = "501 5.5.4 Syntax: RCPT TO:<address>"
                }
            case "DATA":
                guard let sender = from, !recipients.isEmpty else { reply = "503 5.5.1 Need RCPT first"; break }
                guard stream.write("354 End data with <CR><LF>.<CR><LF>\r\n"), let data = Self.readData(stream) else { return }
                let count: Int = condition.withLock {
                    received.append(Message(from: sender, recipients: recipients, data: data))
                    condition.broadcast()
                    return received.count
                }
                from = nil
                recipients = []
                reply = "250 2.0.0 Ok: queued as \(count)"
            case "RSET":
                from = nil
                recipients = []
                reply = "250 2.0.0 Ok"
            case "NOOP":
                reply = "250 2.0.0 Ok"
            case "QUIT":
                stream.write("221 2.0.0 Bye\r\n")
                return
            default:
                reply = "502 5.5.2 Command not recognized"
            }
            guard stream.write(reply + "\r\n") else { return }
        }
    }

    /// The address in `MAIL FROM:<a>` or `RCPT TO:<a>` (prefix in any case, parameters after ">" ignored).
    private static func address(_ line: String, after prefix: String) -> String? {
        guard line.uppercased().hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<close])
    }

    /// The lines after 354 up to a lone ".", with a leading "." removed from each stuffed line.
    private static func readData(_ stream: LoopbackStream) -> String? {
        var data = ""
        while let line = stream.readLine() {
            if line == "." { return data }
            data += (line.hasPrefix(".") ? String(line.dropFirst()) : line) + "\r\n"
        }
        return nil
    }
}
