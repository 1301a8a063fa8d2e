#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Cryptographically secure random bytes, drawn from one buffer the kernel's generator fills a chunk at a time.
///
/// Each byte is handed out once and wiped from the buffer as it goes, so keys and nonces stay as unpredictable
/// and as distinct as when each came from its own kernel call: only the system calls are shared (one per
/// ``chunkSize`` bytes instead of one per key, nonce and id). Thread-safe.
public enum RandomBytes {
    /// Bytes fetched from the kernel per refill.
    public static let chunkSize = 8192

    /// The buffer and how much of it is handed out; `lock` guards both.
    private final class Pool: @unchecked Sendable {
        let lock = NSLock()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: RandomBytes.chunkSize, alignment: 16)
        var used = RandomBytes.chunkSize

        func take(into out: UnsafeMutableRawBufferPointer) {
            lock.lock()
            defer { lock.unlock() }
            var written = 0
            while written < out.count {
                if used == buffer.count { RandomBytes.system(fill: buffer); used = 0 }
                let n = min(out.count - written, buffer.count - used)
                let from = UnsafeMutableRawBufferPointer(rebasing: buffer[used..<(used + n)])
                UnsafeMutableRawBufferPointer(rebasing: out[written..<(written + n)]).copyMemory(from: UnsafeRawBufferPointer(from))
                from.initializeMemory(as: UInt8.self, repeating: 0)
                used += n
                written += n
            }
        }
    }

    private static let pool = Pool()

    /// Fills `out` with random bytes.
    public static func fill(_ out: UnsafeMutableRawBufferPointer) {
        pool.take(into: out)
    }

    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer` straight from the kernel's generator (`/dev/urandom`, kept open, one read per chunk).
    static func system(fill buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        var filled = 0
        while filled < buffer.count {
            let n = urandom >= 0 ? read(urandom, buffer.baseAddress! + filled, buffer.count - filled) : -1
            if n > 0 { filled += n; continue }
            if n < 0, errno == EINTR { continue }
            // No /dev/urandom (a chroot without it): the standard library's generator, 8 bytes a call.
            var generator = SystemRandomNumberGenerator()
            for i in filled..<buffer.count { buffer[i] = generator.next() }
            return
        }
        #else
        arc4random_buf(buffer.baseAddress!, buffer.count)
        #endif
    }

    #if os(Linux)
    /// Opened on first use, only ever by the pool's lock holder.
    private nonisolated(unsafe) static let urandom: Int32 = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    #endif
}
