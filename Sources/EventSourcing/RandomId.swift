/// Random (version 4) UUID text, made without Foundation's `UUID` on the hot path.
public enum RandomId {
    /// A fresh lower-case version 4 UUID, e.g. `3f2b8c1e-9a4d-4e7f-8b2c-1d0e9f8a7b6c`.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
            bytes[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
        }
        bytes[6] = 0x40 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        let digits: StaticString = "0123456789abcdef"
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append(0x2D) }
            text.append(digits.utf8Start[Int(b >> 4)])
            text.append(digits.utf8Start[Int(b & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
