#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Time-ordered (version 7, RFC 9562) UUID text, made without Foundation's `UUID` on the hot path.
///
/// The first 48 bits are the Unix time in milliseconds and the next 12 the fraction of that millisecond (RFC 9562's
/// "increased clock precision", about 244 ns), the remaining 62 random; two ids made within the same 244 ns get
/// consecutive time fields, so ids made one after another in this process always sort one after another, so the log's unique indexes (event ids, people's keys, command ids of our own clients) grow at their
/// right edge: a group commit dirties a few index pages instead of one page per command (measured in BENCHMARKS.md,
/// "ids in time order"). Records written before 2026-12-05 carry random version 4 UUIDs; both are UUIDs and nothing
/// reads meaning into an id.
public enum RandomId {
    /// A fresh lower-case version 7 UUID, e.g. `019393f1-6a2b-7c4e-8b2c-1d0e9f8a7b6c`.
    public static func make() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let millis = UInt64(now.tv_sec) &* 1000 &+ UInt64(now.tv_nsec) / 1_000_000
        let fraction = UInt64(now.tv_nsec % 1_000_000) &* 4096 / 1_000_000 // 12 bits
        // The 60-bit time field, strictly after the last one made (also if the clock stepped back).
        var last = lastTime.load(ordering: .relaxed)
        var time = max(millis << 12 | fraction, last &+ 1)
        while true {
            let (exchanged, found) = lastTime.compareExchange(expected: last, desired: time, ordering: .relaxed)
            if exchanged { break }
            last = found
            time = max(time, last &+ 1)
        }
        var raw: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &raw.1) { RandomBytes.fill($0) }
        raw.0 = (time >> 12) << 16 | 0x7000 | (time & 0xFFF) // unix_ts_ms (48) · ver (4) · rand_a (12), most significant first
        raw.0 = raw.0.bigEndian
        return withUnsafeBytes(of: &raw) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for i in 0..<16 {
                    var b = bytes[i]
                    if i == 8 { b = 0x80 | (b & 0x3F) } // variant 10
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = 0x2D; o += 1 }
                    out[o] = digit(b >> 4)
                    out[o + 1] = digit(b & 0x0F)
                    o += 2
                }
                return o
            }
        }
    }

    /// The time field of the last id made (milliseconds << 12 | fraction).
    private static let lastTime = Atomic<UInt64>(0)

    @inline(__always) private static func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}
