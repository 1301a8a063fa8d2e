import Delivery
import Foundation
import Testing
import TestSupport

@Suite("SMTPSink: mailing alerts to a real loopback SMTP server")
struct SMTPSinkTests {
    private func sink(_ server: LoopbackSMTPServer, to: [String] = ["chu-tich@vuhoi.gov.vn"]) throws -> SMTPSink {
        try SMTPSink(host: server.host, port: server.port, from: "notifier@vuhoi.gov.vn", to: to,
                     stepTimeout: .seconds(5), now: { Date(timeIntervalSince1970: 1_740_787_200) })
    }

    @Test("the server receives one message whose decoded subject and body are the Vietnamese text sent, with the Message-ID")
    func delivers() throws {
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let alert = sampleAlert()
        let outcome = try sink(server, to: ["chu-tich@vuhoi.gov.vn", "van-phong@vuhoi.gov.vn"]).deliver(alert)
        #expect(outcome.isDelivered, "\(outcome)")
        #expect(outcome.text.hasPrefix("SMTP 250"))
        let message = try #require(server.waitForMessages(1).first)
        #expect(message.from == "notifier@vuhoi.gov.vn")
        #expect(message.recipients == ["chu-tich@vuhoi.gov.vn", "van-phong@vuhoi.gov.vn"])
        #expect(message.subject == alert.subject)
        #expect(message.textBody == alert.body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(message.header("Message-ID") == "<P000123-overdue-2025-03-01@petition-notifier>")
        #expect(message.header("Date") == "Sat, 01 Mar 2025 00:00:00 +0000")
        #expect(message.header("From") == "petition-notifier <notifier@vuhoi.gov.vn>")
        #expect(message.header("To") == "chu-tich@vuhoi.gov.vn, van-phong@vuhoi.gov.vn")
        #expect(message.header("MIME-Version") == "1.0")
        #expect(message.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(message.header("Content-Transfer-Encoding") == "base64")
        #expect(message.header("Subject")?.hasPrefix("=?UTF-8?B?") == true)
        let lines = message.data.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 && $0.unicodeScalars.allSatisfy(\.isASCII) }, "7-bit lines of at most 78 characters")
    }

    @Test("a body line starting with \".\" and a line that is just \".\" come through intact")
    func dotLinesRoundTrip() throws {
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let body = ".Dòng bắt đầu bằng dấu chấm\n.\n..hai chấm\nhết"
        #expect(try sink(server).deliver(sampleAlert(body: body)).isDelivered)
        let message = try #require(server.waitForMessages(1).first)
        #expect(message.textBody == body.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("a 451 to MAIL gives retryable; once the server recovers the same alert is delivered")
    func temporaryFailureIsRetryable() throws {
        let server = try LoopbackSMTPServer(behaviour: .failMailFirst(1))
        defer { server.stop() }
        let sink = try sink(server)
        let first = sink.deliver(sampleAlert())
        #expect(first.isRetryable, "\(first)")
        #expect(first.text.contains("451"))
        #expect(sink.deliver(sampleAlert()).isDelivered)
        #expect(server.waitForMessages(1).count == 1)
        #expect(server.mailAttempts == 2)
    }

    @Test("a 550 to MAIL gives permanent")
    func refusalIsPermanent() throws {
        let server = try LoopbackSMTPServer(behaviour: .failMail(code: 550))
        defer { server.stop() }
        let outcome = try sink(server).deliver(sampleAlert())
        #expect(outcome == .permanent(reason: outcome.text))
        #expect(outcome.text.contains("550") && outcome.text.contains("MAIL FROM"), "\(outcome)")
        #expect(server.messages.isEmpty)
    }

    @Test("a closed port gives retryable at once; a server that never greets gives retryable after the step timeout")
    func networkFailuresAreRetryable() throws {
        let refused = try SMTPSink(host: "127.0.0.1", port: closedPort(), from: "a@b.vn", to: ["c@d.vn"])
        let (outcome, seconds) = timed { refused.deliver(sampleAlert()) }
        #expect(outcome.isRetryable && seconds < 1, "\(outcome)")

        let hole = try SilentListener()
        defer { hole.stop() }
        let silent = try SMTPSink(host: hole.host, port: hole.port, from: "a@b.vn", to: ["c@d.vn"], stepTimeout: .milliseconds(300))
        let (late, waited) = timed { silent.deliver(sampleAlert()) }
        #expect(late.isRetryable)
        #expect(late.text.contains("timed out after 0.3 s waiting for the greeting"), "\(late)")
        #expect(waited >= 0.25 && waited < 2)
    }

    @Test("addresses that would break the envelope are refused when the sink is made")
    func badAddressesRefused() {
        for address in ["no-at-sign", "a@b.vn>\r\nRCPT TO:<x@y.vn", "tên@vuhoi.vn", "a b@c.vn", "@c.vn"] {
            #expect(throws: DeliveryError.self, "\(address)") {
                _ = try SMTPSink(host: "127.0.0.1", from: "a@b.vn", to: [address])
            }
        }
        #expect(throws: DeliveryError.self) { _ = try SMTPSink(host: "127.0.0.1", from: "a@b.vn", to: []) }
    }
}
