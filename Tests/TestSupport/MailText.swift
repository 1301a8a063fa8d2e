import Foundation

/// Reading a received mail the way a mail client would: unfolded headers, RFC 2047 words, base64 bodies.
///
/// Written independently of the sender's encoder, so tests check the encoding rather than echo it.
public enum MailText {
    /// The header section and the body of a raw message (split at the first empty line).
    public static func split(_ data: String) -> (headers: String, body: String) {
        guard let blank = data.range(of: "\r\n\r\n") else { return (data, "") }
        return (String(data[..<blank.lowerBound]), String(data[blank.upperBound...]))
    }

    /// The unfolded value of the first header called `name` (any case), in a raw message.
    public static func header(_ name: String, in data: String) -> String? {
        let unfolded = split(data).headers.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
        for line in unfolded.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name.lowercased() else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A header value with its `=?UTF-8?B?…?=` / `=?UTF-8?Q?…?=` words decoded; space between two words is dropped.
    public static func decodeWords(_ value: String) -> String {
        var out = ""
        var pendingSpace = ""
        var previousWasEncoded = false
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            if let decoded = decodeWord(String(token)) {
                if !previousWasEncoded { out += pendingSpace }
                out += decoded
                previousWasEncoded = true
            } else {
                out += pendingSpace + token
                previousWasEncoded = false
            }
            pendingSpace = " "
        }
        return out
    }

    private static func decodeWord(_ token: String) -> String? {
        let parts = token.split(separator: "?", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "=", parts[4] == "=", parts[1].uppercased() == "UTF-8" else { return nil }
        switch parts[2].uppercased() {
        case "B":
            guard let data = Data(base64Encoded: String(parts[3])) else { return nil }
            return String(data: data, encoding: .utf8)
        case "Q":
            var bytes: [UInt8] = []
            var chars = Array(parts[3].utf8)[...]
            while let c = chars.popFirst() {
                if c == UInt8(ascii: "_") { bytes.append(0x20) }
                else if c == UInt8(ascii: "="), chars.count >= 2, let b = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) {
                    bytes.append(b)
                    chars = chars.dropFirst(2)
                } else { bytes.append(c) }
            }
            return String(bytes: bytes, encoding: .utf8)
        default:
            return nil
        }
    }

    /// The body as text: base64-decoded when `Content-Transfer-Encoding: base64`, else as received.
    public static func textBody(_ data: String) -> String? {
        let body = split(data).body
        guard header("Content-Transfer-Encoding", in: data)?.lowercased() == "base64" else { return body }
        let compact = body.replacingOccurrences(of: "\r\n", with: "")
        guard let decoded = Data(base64Encoded: compact) else { return nil }
        return String(data: decoded, encoding: .utf8)
    }
}
