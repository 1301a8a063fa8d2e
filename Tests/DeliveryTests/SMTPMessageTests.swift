@testable import Delivery
import Foundation
import Testing

@Suite("SMTPMessage: headers, encoded words, base64 lines and dot-stuffing")
struct SMTPMessageTests {
    @Test("dot-stuffing doubles a leading dot on every line, the first one included")
    func dotStuffing() {
        #expect(SMTPMessage.dotStuffed(".a\r\nb\r\n.\r\n..c\r\n") == "..a\r\nb\r\n..\r\n...c\r\n")
        #expect(SMTPMessage.dotStuffed("a.b\r\n") == "a.b\r\n")
    }

    @Test("the DATA payload ends with a lone dot line and has no unstuffed dot line before it")
    func dataEnds() {
        let message = SMTPMessage(alert: sampleAlert(), from: "a@b.vn", to: ["c@d.vn"], date: Date(timeIntervalSince1970: 0))
        let data = String(decoding: message.dataBytes, as: UTF8.self)
        #expect(data.hasSuffix("\r\n.\r\n"))
        #expect(!data.dropLast(3).contains("\r\n.\r\n"))
    }

    @Test("non-ASCII subjects become UTF-8 B encoded words of at most 75 characters; ASCII subjects stay plain")
    func encodedWords() {
        let long = String(repeating: "Kiến nghị quá hạn ", count: 6)
        let encoded = SMTPMessage.headerText(long)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        let decoded = words.map { word in
            String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self)
        }.joined()
        #expect(decoded == long)
        #expect(SMTPMessage.headerText("Overdue petition P000123") == "Overdue petition P000123")
        #expect(SMTPMessage.headerText("two\nlines") == "two lines")
        #expect(SMTPMessage.headerText("looks =?like?= a word").hasPrefix("=?UTF-8?B?"))
    }

    @Test("base64 bodies are cut into 76-character lines")
    func base64Lines() {
        let lines = SMTPMessage.base64Lines(Array(String(repeating: "Đường nội đồng ", count: 20).utf8))
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        #expect(lines.last!.count <= 76)
    }

    @Test("the Message-ID is <alertId@petition-notifier>, with unsafe bytes escaped")
    func messageId() {
        #expect(SMTPMessage.messageId("P000123-overdue-2025-03-01") == "<P000123-overdue-2025-03-01@petition-notifier>")
        #expect(SMTPMessage.messageId("a b>c") == "<a=20b=3Ec@petition-notifier>")
        #expect(SMTPMessage.messageId(".a..b.") == "<=2Ea.=2Eb=2E@petition-notifier>")
    }
}
