import Foundation

/// The mail an alert becomes: RFC 5322 headers and a base64 UTF-8 text body.
struct SMTPMessage {
    /// The alert being sent.
    let alert: Alert
    /// The envelope and `From:` address.
    let from: String
    /// The `To:` addresses.
    let to: [String]
    /// The `Date:` header's time.
    let date: Date

    /// The longest UTF-8 run in one encoded-word, so that "Subject: " plus one word fits in 78 characters.
    static let encodedWordBytes = 39

    /// The message, CRLF line ends, before dot-stuffing.
    var text: String {
        var lines = [
            "From: petition-notifier <\(from)>",
            "To: " + to.joined(separator: ",\r\n "),
            "Subject: " + Self.headerText(alert.subject),
            "Date: " + DateText.rfc5322(date),
            "Message-ID: " + Self.messageId(alert.alertId),
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "",
        ]
        lines += Self.base64Lines(Array(Self.canonicalLineEnds(alert.body).utf8))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// What is sent after DATA: the dot-stuffed message and the "." line that ends it.
    var dataBytes: [UInt8] { Array((Self.dotStuffed(text) + ".\r\n").utf8) }

    /// `<alertId@petition-notifier>`, with bytes not allowed in a message id written "=XX".
    static func messageId(_ alertId: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/?^_`{|}~".utf8)
        let bytes = Array(alertId.utf8)
        var local = ""
        for (i, byte) in bytes.enumerated() {
            let dotFits = byte == UInt8(ascii: ".") && i > 0 && i < bytes.count - 1 && !local.hasSuffix(".")
            if allowed.contains(byte) || dotFits {
                local.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                local += "=" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "<\(local.isEmpty ? "alert" : local)@petition-notifier>"
    }

    /// A header value: as is if plain printable ASCII, else RFC 2047 `=?UTF-8?B?…?=` words folded onto lines.
    static func headerText(_ value: String) -> String {
        let oneLine = value.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
        let plain = oneLine.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if plain, !oneLine.contains("=?"), oneLine.utf8.count <= 900 { return oneLine }
        var words: [String] = []
        var run: [UInt8] = []
        for character in oneLine {
            let bytes = Array(String(character).utf8)
            if !run.isEmpty, run.count + bytes.count > encodedWordBytes {
                words.append(encodedWord(run))
                run = []
            }
            run += bytes
        }
        if !run.isEmpty || words.isEmpty { words.append(encodedWord(run)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }

    /// `bytes` in base64, cut into lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(76)))
            rest = rest.dropFirst(76)
        }
        return lines
    }

    /// Text with every line end as CRLF, the canonical form of text/plain.
    static func canonicalLineEnds(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" })
            .joined(separator: "\r\n")
    }

    /// RFC 5321 dot-stuffing: a "." is added in front of every line that starts with ".".
    static func dotStuffed(_ text: String) -> String {
        var out = text.hasPrefix(".") ? "." : ""
        out += text.replacingOccurrences(of: "\r\n.", with: "\r\n..")
        return out
    }
}
