@testable import Delivery
import Testing

@Suite("SMTPDialogue and SMTPReply: the client's half of the conversation")
struct SMTPDialogueTests {
    private func reply(_ text: String) throws -> SMTPReply {
        var buffer = Array(text.utf8)
        return try #require(try SMTPReply.take(from: &buffer))
    }

    @Test("a multi-line reply is read whole, and only once its last line has arrived")
    func multiLine() throws {
        var buffer = Array("250-mail.vuhoi.vn\r\n250-8BITMIME\r\n".utf8)
        #expect(try SMTPReply.take(from: &buffer) == nil)
        buffer += Array("250 SIZE 1000\r\n220 next".utf8)
        let reply = try #require(try SMTPReply.take(from: &buffer))
        #expect(reply.code == 250)
        #expect(reply.lines == ["mail.vuhoi.vn", "8BITMIME", "SIZE 1000"])
        #expect(String(decoding: buffer, as: UTF8.self) == "220 next")
    }

    @Test("a line that is not a reply is a syntax error")
    func garbage() {
        var buffer = Array("HTTP/1.1 400 Bad Request\r\n".utf8)
        #expect(throws: SMTPReply.SyntaxError.self) { try SMTPReply.take(from: &buffer) }
    }

    @Test("the dialogue walks greeting, EHLO, MAIL, each RCPT, DATA and the message, then quits delivered")
    func happyPath() throws {
        var dialogue = SMTPDialogue(clientName: "notifier", from: "a@b.vn", recipients: ["c@d.vn", "e@f.vn"], data: Array(".\r\n".utf8))
        let sent = try ["220 hi", "250-hi\r\n250 8BITMIME", "250 ok", "250 ok", "250 ok", "354 go"].map { text -> String in
            guard case .send(let bytes) = dialogue.handle(try reply(text + "\r\n")) else { return "?" }
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(sent == ["EHLO notifier\r\n", "MAIL FROM:<a@b.vn>\r\n", "RCPT TO:<c@d.vn>\r\n", "RCPT TO:<e@f.vn>\r\n", "DATA\r\n", ".\r\n"])
        #expect(dialogue.handle(try reply("250 queued\r\n")) == .quit(.delivered(detail: "SMTP 250 queued")))
    }

    @Test("a server that does not know EHLO gets HELO; 4xx is retryable, 5xx permanent, 421 closes at once")
    func failures() throws {
        var old = SMTPDialogue(clientName: "n", from: "a@b.vn", recipients: ["c@d.vn"], data: [])
        _ = old.handle(try reply("220 hi\r\n"))
        #expect(old.handle(try reply("502 what\r\n")) == .send(Array("HELO n\r\n".utf8)))

        var busy = SMTPDialogue(clientName: "n", from: "a@b.vn", recipients: ["c@d.vn"], data: [])
        guard case .close(let closing) = busy.handle(try reply("421 busy\r\n")) else { Issue.record("421 should close"); return }
        #expect(closing.isRetryable)

        var refused = SMTPDialogue(clientName: "n", from: "a@b.vn", recipients: ["c@d.vn"], data: [])
        _ = refused.handle(try reply("220 hi\r\n"))
        _ = refused.handle(try reply("250 hi\r\n"))
        _ = refused.handle(try reply("250 ok\r\n"))
        guard case .quit(let outcome) = refused.handle(try reply("550 no such user\r\n")) else { Issue.record("550 should quit"); return }
        #expect(outcome == .permanent(reason: "SMTP server answered RCPT TO for c@d.vn with 550 no such user"))
    }
}
