import Foundation
import Testing
@testable import EventSourcing

@Suite("RandomBytes: keys, nonces and ids from one buffer of kernel random bytes")
struct RandomBytesTests {
    @Test("draws across many refills never repeat, and a draw larger than the buffer is filled whole")
    func distinctAcrossRefills() {
        // 32-byte draws (a person's key) through several refills of the buffer: no two alike, none all zero.
        let draws = (0..<(4 * RandomBytes.chunkSize / 32)).map { _ in RandomBytes.bytes(32) }
        #expect(Set(draws).count == draws.count)
        #expect(!draws.contains([UInt8](repeating: 0, count: 32)))
        let big = RandomBytes.bytes(3 * RandomBytes.chunkSize + 5)
        #expect(big.count == 3 * RandomBytes.chunkSize + 5)
        // Uniform bytes: every value turns up in 24 KiB (a zero-filled tail would skew the count of zeros).
        #expect(Set(big).count == 256)
        #expect(big.filter { $0 == 0 }.count < big.count / 64)
    }

    @Test("ids are distinct version 7 UUIDs that sort in the order they were made, so the log's indexes grow at one end")
    func uuids() throws {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let ids = (0..<10_000).map { _ in RandomId.make() }
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let b = Array(id.utf8)
            #expect(b.count == 36 && b[8] == 0x2D && b[13] == 0x2D && b[14] == 0x37 && b[18] == 0x2D && b[23] == 0x2D)
            #expect("89ab".utf8.contains(b[19]))
        }
        // Made one after another, they sort one after another (each index insert lands at the right edge)...
        #expect(ids == ids.sorted())
        // ...because they begin with the time they were made, in milliseconds.
        let millis = try #require(UInt64(ids[0].prefix(8) + ids[0].dropFirst(9).prefix(4), radix: 16))
        #expect(millis >= before && millis <= after)
        // The rest is random: the last 12 hex digits of two consecutive ids differ.
        #expect(Set(ids.map { $0.suffix(12) }).count == ids.count)
    }
}
