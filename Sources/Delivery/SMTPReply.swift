/// One SMTP reply: a three-digit code and its text lines (multi-line replies use "250-…" then "250 …").
struct SMTPReply: Hashable {
    /// The reply code, e.g. 250.
    let code: Int
    /// The text after the code on each line.
    let lines: [String]

    /// The longest reply accepted, to bound memory.
    static let maxBytes = 64 * 1024

    /// "451 4.7.1 try again later", lines joined with " / ", for messages.
    var text: String {
        let joined = lines.filter { !$0.isEmpty }.joined(separator: " / ")
        let short = joined.count > 200 ? joined.prefix(200) + "…" : Substring(joined)
        return short.isEmpty ? "\(code)" : "\(code) \(short)"
    }

    /// Whether the code is 2xx.
    var isPositive: Bool { (200...299).contains(code) }

    /// A failure of the reply syntax: the peer is not speaking SMTP.
    struct SyntaxError: Error, CustomStringConvertible {
        let description: String
    }

    /// Takes one complete reply off the front of `buffer`; nil if more bytes are needed.
    static func take(from buffer: inout [UInt8]) throws(SyntaxError) -> SMTPReply? {
        var code: Int?
        var lines: [String] = []
        var start = 0
        while let lf = buffer[start...].firstIndex(of: 10) {
            var end = lf
            if end > start, buffer[end - 1] == 13 { end -= 1 }
            let line = String(decoding: buffer[start..<end], as: UTF8.self)
            start = lf + 1
            let chars = Array(line.utf8)
            guard chars.count >= 3, chars[0...2].allSatisfy({ (48...57).contains($0) }), let lineCode = Int(line.prefix(3)) else {
                throw SyntaxError(description: "the server sent \"\(line.prefix(80))\", which is not an SMTP reply")
            }
            guard code == nil || code == lineCode else {
                throw SyntaxError(description: "the server changed reply code inside one reply (\(code!) then \(lineCode))")
            }
            code = lineCode
            let separator = chars.count > 3 ? chars[3] : UInt8(ascii: " ")
            guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
                throw SyntaxError(description: "the server sent \"\(line.prefix(80))\", which is not an SMTP reply")
            }
            lines.append(chars.count > 4 ? String(line.dropFirst(4)) : "")
            if separator == UInt8(ascii: " ") {
                buffer.removeFirst(start)
                return SMTPReply(code: lineCode, lines: lines)
            }
        }
        guard buffer.count <= maxBytes else { throw SyntaxError(description: "the server's reply is longer than \(maxBytes) bytes") }
        return nil
    }
}
