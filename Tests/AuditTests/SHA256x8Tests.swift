import Audit
import Crypto
import Foundation
import SHA256x8
import Testing

/// The eight-lane SHA-256 that `audit verify` uses must give exactly swift-crypto's digests.
@Suite(.enabled(if: ChainVerifier.canHashInLanes, "this CPU has no AVX2"))
struct SHA256x8Tests {
    /// Hashes `messages` (at most 8) side by side; lanes past them are left empty.
    func laneDigests(_ messages: [[UInt8]]) -> [Data] {
        let buffers = messages.map { message in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: SHA256x8.paddedLength(message.count), alignment: 8)
            buffer.copyMemory(from: message, byteCount: message.count)
            return (buffer, SHA256x8.pad(buffer, length: message.count))
        }
        defer { buffers.forEach { $0.0.deallocate() } }
        var pointers = (0..<SHA256x8.lanes).map { i in UnsafeRawPointer(buffers[min(i, buffers.count - 1)].0) }
        var blocks = (0..<SHA256x8.lanes).map { i in i < buffers.count ? buffers[i].1 : 0 }
        var digests = Data(repeating: 0, count: SHA256x8.lanes * 32)
        digests.withUnsafeMutableBytes { out in SHA256x8.hash(&pointers, blocks: &blocks, into: out.baseAddress!) }
        return (0..<messages.count).map { digests.subdata(in: $0 * 32..<($0 + 1) * 32) }
    }

    func expected(_ message: [UInt8]) -> Data { Data(SHA256.hash(data: message)) }

    @Test func eachLaneGivesTheDigestOfItsOwnMessageWhateverTheLengths() {
        var generator = SystemRandomNumberGenerator()
        // Lengths across every padding case (55, 56, 63, 64 bytes) and the log's records (300–1,200 bytes).
        let lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 300, 507, 511, 512, 1_023, 1_200] + (0..<40).map { _ in Int.random(in: 0...2_000) }
        for start in stride(from: 0, to: lengths.count, by: 8) {
            let messages = lengths[start..<min(start + 8, lengths.count)].map { length in (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) } }
            let digests = laneDigests(messages)
            for (message, digest) in zip(messages, digests) {
                #expect(digest == expected(message), "a message of \(message.count) bytes")
            }
        }
    }

    @Test func theKnownAnswerForABC() {
        let digest = laneDigests([Array("abc".utf8)])[0]
        #expect(digest.map { String(format: "%02x", $0) }.joined() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
