import Crypto
import EventSourcing
import Foundation
import SHA256x8

/// Hashes one record from its stored bytes (an ``EventLogCursor``'s), exactly as `HashChain.hash` does.
///
/// The bytes hashed are the previous hash, then position, stream, stream version,
/// id, type, occurredAt, recordedAt, data, actor, command id, correlation id and
/// causation id: integers as 8 bytes big-endian, texts as their 8-byte length and
/// their UTF-8 bytes (the bytes the store holds, read without making Swift strings).
/// One buffer is reused for every row.
final class RecordBytes {
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var count = 0

    init() {
        capacity = 4096
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// SHA-256 of `previous` (32 bytes) and the canonical bytes of the cursor's current record.
    func hash(previous: UnsafeRawPointer, record: any EventLogCursor) -> SHA256.Digest {
        fill(previous: previous, record: record)
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
        return hasher.finalize()
    }

    /// Pads the bytes of the row last filled for ``SHA256x8``; returns the start of the message and its length in blocks.
    func padded() -> (message: UnsafeRawPointer, blocks: Int) {
        reserve(SHA256x8.paddedLength(count) - count)
        return (UnsafeRawPointer(buffer), SHA256x8.pad(buffer, length: count))
    }

    /// Copies `previous` (32 bytes) and the canonical bytes of the cursor's current record into the buffer.
    func fill(previous: UnsafeRawPointer, record: any EventLogCursor) {
        count = 0
        append(previous, 32)
        int(record.integer(.position))
        text(record.bytes(.stream))
        int(record.integer(.streamVersion))
        text(record.bytes(.id))
        text(record.bytes(.type))
        int(record.integer(.occurredAt))
        int(record.integer(.recordedAt))
        for field in [RecordField.data, .actor, .commandId, .correlationId, .causationId] { text(record.bytes(field)) }
    }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        grown.copyMemory(from: buffer, byteCount: count)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    private func append(_ bytes: UnsafeRawPointer?, _ length: Int) {
        guard length > 0, let bytes else { return }
        reserve(length)
        (buffer + count).copyMemory(from: bytes, byteCount: length)
        count += length
    }

    private func int(_ value: Int64) {
        reserve(8)
        (buffer + count).storeBytes(of: value.bigEndian, as: Int64.self)
        count += 8
    }

    private func text(_ bytes: UnsafeRawBufferPointer) {
        int(Int64(bytes.count))
        append(bytes.baseAddress, bytes.count)
    }
}
