import EventSourcing

/// A petition's tracking code: what a citizen is given on the receipt to follow their petition without an
/// account. Twelve symbols of Crockford's base32 (60 random bits, drawn by the gateway when the petition is
/// recorded), written in three groups of four, e.g. `7KQ2-M9XD-4FTR`: short enough to read over the phone,
/// and unguessable, unlike the sequential petition id.
public enum TrackingCode {
    /// Crockford's base32 alphabet: no I, L, O or U, so nothing is misread.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    /// Symbols in a code, without the hyphens.
    public static let length = 12

    /// A fresh random code, hyphenated.
    public static func make() -> String {
        var raw: UInt64 = 0
        withUnsafeMutableBytes(of: &raw) { RandomBytes.fill($0) }
        var symbols: [UInt8] = []
        symbols.reserveCapacity(length + 2)
        for i in 0..<length {
            if i > 0, i % 4 == 0 { symbols.append(0x2D) }
            symbols.append(alphabet[Int((raw >> (UInt64(i) * 5)) & 31)])
        }
        return String(decoding: symbols, as: UTF8.self)
    }

    /// The code a person typed or read out, in its canonical form: case, spaces and hyphens ignored, and the
    /// letters people confuse with digits read as the digits (O as 0, I and L as 1), as Crockford's decoding
    /// does. Nil when it cannot be a tracking code.
    public static func canonical(_ text: String) -> String? {
        var symbols: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x2D, 0x20: continue
            default: break
            }
            var b = byte
            if (0x61...0x7A).contains(b) { b -= 0x20 }
            switch b {
            case 0x4F: b = 0x30
            case 0x49, 0x4C: b = 0x31
            default: break
            }
            guard alphabet.contains(b) else { return nil }
            symbols.append(b)
            if symbols.count > length { return nil }
        }
        guard symbols.count == length else { return nil }
        var out: [UInt8] = []
        for (i, s) in symbols.enumerated() {
            if i > 0, i % 4 == 0 { out.append(0x2D) }
            out.append(s)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
