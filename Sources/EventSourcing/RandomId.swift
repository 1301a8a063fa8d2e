/// Random (version 4) UUID text, made without Foundation's `UUID` on the hot path.
public enum RandomId {
    /// A fresh lower-case version 4 UUID, e.g. `3f2b8c1e-9a4d-4e7f-8b2c-1d0e9f8a7b6c`.
    public static func make() -> String {
        var raw: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &raw) { RandomBytes.fill($0) }
        return withUnsafeBytes(of: &raw) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for i in 0..<16 {
                    var b = bytes[i]
                    if i == 6 { b = 0x40 | (b & 0x0F) }
                    if i == 8 { b = 0x80 | (b & 0x3F) }
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = 0x2D; o += 1 }
                    out[o] = digit(b >> 4)
                    out[o + 1] = digit(b & 0x0F)
                    o += 2
                }
                return o
            }
        }
    }

    @inline(__always) private static func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}
