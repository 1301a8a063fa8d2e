/// SHA-256 of eight messages at once, one message per lane of 256-bit vectors.
///
/// This module is compiled for Haswell and later (AVX2, see Package.swift):
/// call it only after checking that the CPU has AVX2 (`CPUFeatures.hasAVX2`
/// in Audit does), or the process dies on an illegal instruction. Nothing here
/// is inlinable, so no AVX2 code leaks into a caller's module.
///
/// The messages are already padded (FIPS 180-4 §5.1.1: a 0x80 byte, zeros,
/// the length in bits as 8 bytes big-endian) to whole 64-byte blocks; they may
/// differ in length, and a lane with 0 blocks is left out.
public enum SHA256x8 {
    /// How many messages one call hashes.
    public static let lanes = 8

    /// Pads the message of `length` bytes at `message` in place; returns its length in 64-byte blocks.
    /// The buffer must have room for `paddedLength(length)` bytes.
    public static func pad(_ message: UnsafeMutableRawPointer, length: Int) -> Int {
        let padded = paddedLength(length)
        (message + length).storeBytes(of: 0x80, as: UInt8.self)
        (message + length + 1).initializeMemory(as: UInt8.self, repeating: 0, count: padded - length - 9)
        (message + padded - 8).storeBytes(of: (UInt64(length) &* 8).bigEndian, toByteOffset: 0, as: UInt64.self)
        return padded / 64
    }

    /// The length of a message of `length` bytes once padded.
    public static func paddedLength(_ length: Int) -> Int { (length + 9 + 63) & ~63 }

    /// Hashes `lanes` padded messages: `messages[i]` holds `blocks[i]` blocks; writes 8 × 32 digest bytes to `digests`.
    public static func hash(_ messages: UnsafePointer<UnsafeRawPointer>, blocks: UnsafePointer<Int>, into digests: UnsafeMutableRawPointer) {
        var h0 = Lane(repeating: 0x6a09_e667), h1 = Lane(repeating: 0xbb67_ae85)
        var h2 = Lane(repeating: 0x3c6e_f372), h3 = Lane(repeating: 0xa54f_f53a)
        var h4 = Lane(repeating: 0x510e_527f), h5 = Lane(repeating: 0x9b05_688c)
        var h6 = Lane(repeating: 0x1f83_d9ab), h7 = Lane(repeating: 0x5be0_cd19)
        var most = 0
        for i in 0..<lanes { most = max(most, blocks[i]) }
        roundConstants.withUnsafeBufferPointer { k in
        withUnsafeTemporaryAllocation(of: Lane.self, capacity: 16) { w in
            for block in 0..<most {
                var live = SIMDMask<Lane.MaskStorage>()
                for i in 0..<lanes { live[i] = block < blocks[i] }
                for t in 0..<16 {
                    var word = Lane()
                    for i in 0..<lanes where live[i] {
                        word[i] = UInt32(bigEndian: messages[i].loadUnaligned(fromByteOffset: block &* 64 &+ t &* 4, as: UInt32.self))
                    }
                    w[t] = word
                }
                var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                for t in 0..<64 {
                    let wt: Lane
                    if t < 16 {
                        wt = w[t]
                    } else {
                        let w15 = w[(t &- 15) & 15], w2 = w[(t &- 2) & 15]
                        let s0 = rotate(w15, 7) ^ rotate(w15, 18) ^ (w15 &>> 3)
                        let s1 = rotate(w2, 17) ^ rotate(w2, 19) ^ (w2 &>> 10)
                        wt = w[t & 15] &+ s0 &+ w[(t &- 7) & 15] &+ s1
                        w[t & 15] = wt
                    }
                    let t1 = h &+ (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) &+ ((e & f) ^ (~e & g)) &+ Lane(repeating: k[t]) &+ wt
                    let t2 = (rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                    h = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                }
                // A lane whose message has ended keeps its digest.
                h0.replace(with: h0 &+ a, where: live); h1.replace(with: h1 &+ b, where: live)
                h2.replace(with: h2 &+ c, where: live); h3.replace(with: h3 &+ d, where: live)
                h4.replace(with: h4 &+ e, where: live); h5.replace(with: h5 &+ f, where: live)
                h6.replace(with: h6 &+ g, where: live); h7.replace(with: h7 &+ h, where: live)
            }
        }
        }
        for i in 0..<lanes {
            let digest = digests + i &* 32
            digest.storeBytes(of: h0[i].bigEndian, toByteOffset: 0, as: UInt32.self)
            digest.storeBytes(of: h1[i].bigEndian, toByteOffset: 4, as: UInt32.self)
            digest.storeBytes(of: h2[i].bigEndian, toByteOffset: 8, as: UInt32.self)
            digest.storeBytes(of: h3[i].bigEndian, toByteOffset: 12, as: UInt32.self)
            digest.storeBytes(of: h4[i].bigEndian, toByteOffset: 16, as: UInt32.self)
            digest.storeBytes(of: h5[i].bigEndian, toByteOffset: 20, as: UInt32.self)
            digest.storeBytes(of: h6[i].bigEndian, toByteOffset: 24, as: UInt32.self)
            digest.storeBytes(of: h7[i].bigEndian, toByteOffset: 28, as: UInt32.self)
        }
    }

    private typealias Lane = SIMD8<UInt32>

    @inline(__always)
    private static func rotate(_ x: Lane, _ n: UInt32) -> Lane { (x &>> Lane(repeating: n)) | (x &<< Lane(repeating: 32 &- n)) }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}
