/// The client side of one SMTP transaction as a state machine: given each reply, it says what to do next.
///
/// The owner does the IO (`SMTPSink`); tests feed replies and check the actions.
struct SMTPDialogue {
    /// What the owner should do after a reply.
    enum Action: Hashable {
        /// Send these bytes, then read the next reply.
        case send([UInt8])
        /// Send QUIT (best effort, its reply does not matter), close, and report the outcome.
        case quit(DeliveryOutcome)
        /// Close at once (the server is closing too) and report the outcome.
        case close(DeliveryOutcome)
    }

    /// The step whose reply is awaited.
    enum Step: Hashable {
        case greeting, ehlo, helo, mailFrom, rcptTo(Int), data, message

        /// The step, as a message names it.
        var name: String {
            switch self {
            case .greeting: "the greeting"
            case .ehlo: "EHLO"
            case .helo: "HELO"
            case .mailFrom: "MAIL FROM"
            case .rcptTo: "RCPT TO"
            case .data: "DATA"
            case .message: "the message"
            }
        }
    }

    /// The name this client gives in EHLO/HELO.
    let clientName: String
    /// The envelope sender.
    let from: String
    /// The envelope recipients, at least one.
    let recipients: [String]
    /// The dot-stuffed message ending with ".\r\n".
    let data: [UInt8]
    /// The step whose reply is awaited.
    private(set) var step: Step = .greeting

    init(clientName: String, from: String, recipients: [String], data: [UInt8]) {
        self.clientName = clientName
        self.from = from
        self.recipients = recipients
        self.data = data
    }

    /// The next action after `reply` to the current step.
    mutating func handle(_ reply: SMTPReply) -> Action {
        switch step {
        case .greeting:
            guard reply.code == 220 else { return fail(reply) }
            return command(.ehlo, "EHLO \(clientName)")
        case .ehlo:
            if reply.code == 250 { return command(.mailFrom, "MAIL FROM:<\(from)>") }
            // An old server that does not know EHLO: say HELO instead.
            if [500, 502, 504].contains(reply.code) { return command(.helo, "HELO \(clientName)") }
            return fail(reply)
        case .helo:
            guard reply.code == 250 else { return fail(reply) }
            return command(.mailFrom, "MAIL FROM:<\(from)>")
        case .mailFrom:
            guard reply.code == 250 else { return fail(reply) }
            return command(.rcptTo(0), "RCPT TO:<\(recipients[0])>")
        case .rcptTo(let index):
            guard reply.code == 250 || reply.code == 251 else { return fail(reply, detail: " for \(recipients[index])") }
            let next = index + 1
            return next < recipients.count ? command(.rcptTo(next), "RCPT TO:<\(recipients[next])>") : command(.data, "DATA")
        case .data:
            guard reply.code == 354 else { return fail(reply) }
            step = .message
            return .send(data)
        case .message:
            guard reply.code == 250 else { return fail(reply) }
            return .quit(.delivered(detail: "SMTP \(reply.text)"))
        }
    }

    private mutating func command(_ next: Step, _ line: String) -> Action {
        step = next
        return .send(Array((line + "\r\n").utf8))
    }

    /// 4xx retryable, 5xx permanent, anything else unexpected (retryable); 421 means the server is closing.
    private func fail(_ reply: SMTPReply, detail: String = "") -> Action {
        let what = "SMTP server answered \(step.name)\(detail) with \(reply.text)"
        let outcome: DeliveryOutcome = switch reply.code {
        case 400...499: .retryable(reason: what)
        case 500...599: .permanent(reason: what)
        default: .retryable(reason: "unexpected reply: \(what)")
        }
        return reply.code == 421 ? .close(outcome) : .quit(outcome)
    }
}
