import Foundation
import EventSourcing
import SHA256x8

/// Eight consecutive records of the log, hashed side by side with ``SHA256x8`` and checked as one.
///
/// Each record is hashed with the previous hash stored in it rather than the
/// one just computed, so the eight hashes are independent; the batch holds when
/// each record's stored previous hash is the stored hash of the record before
/// it (the first: the hash verified last) and each recomputed hash equals the
/// stored one. By induction that is the chain checked one record at a time.
final class RecordLanes {
    private let records = (0..<SHA256x8.lanes).map { _ in RecordBytes() }
    /// Per lane: the stored hash (32 bytes a lane). The stored previous hash is where each message starts.
    private let storedHashes = UnsafeMutableRawPointer.allocate(byteCount: SHA256x8.lanes * 32, alignment: 32)
    private let digests = UnsafeMutableRawPointer.allocate(byteCount: SHA256x8.lanes * 32, alignment: 32)
    private let messages = UnsafeMutablePointer<UnsafeRawPointer>.allocate(capacity: SHA256x8.lanes)
    private let blocks = UnsafeMutablePointer<Int>.allocate(capacity: SHA256x8.lanes)

    /// Nil when this CPU cannot run ``SHA256x8`` (it needs AVX2).
    init?() {
        guard CPUFeatures.hasAVX2 else { return nil }
        blocks.initialize(repeating: 0, count: SHA256x8.lanes)
    }

    deinit {
        storedHashes.deallocate()
        digests.deallocate()
        messages.deallocate()
        blocks.deallocate()
    }

    /// Takes the cursor's current record into `lane`, with its stored previous hash and hash (32 bytes each).
    func load(_ lane: Int, record: any EventLogCursor, storedPrevious: UnsafeRawPointer, stored: UnsafeRawPointer) {
        (storedHashes + lane * 32).copyMemory(from: stored, byteCount: 32)
        records[lane].fill(previous: storedPrevious, record: record)
        (messages[lane], blocks[lane]) = records[lane].padded()
    }

    /// Whether lanes 0..<count form the chain after a record whose verified hash is `previous`.
    func verifies(count: Int, after previous: UnsafeRawPointer) -> Bool {
        for lane in count..<SHA256x8.lanes { blocks[lane] = 0 }
        SHA256x8.hash(messages, blocks: blocks, into: digests)
        var before = previous
        for lane in 0..<count {
            guard memcmp(storedPrevious(lane), before, 32) == 0, memcmp(digests + lane * 32, stored(lane), 32) == 0 else { return false }
            before = stored(lane)
        }
        return true
    }

    /// The previous hash stored in the record of `lane`: the first 32 bytes of its message.
    func storedPrevious(_ lane: Int) -> UnsafeRawPointer { messages[lane] }

    /// The hash stored in the record of `lane`.
    func stored(_ lane: Int) -> UnsafeRawPointer { UnsafeRawPointer(storedHashes + lane * 32) }
}

/// What this CPU can run.
enum CPUFeatures {
    /// Whether the CPU (and the kernel) offer AVX2, from the flags in /proc/cpuinfo; false where there is none.
    static let hasAVX2: Bool = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        return flags.split(separator: " ").contains("avx2")
    }()
}
