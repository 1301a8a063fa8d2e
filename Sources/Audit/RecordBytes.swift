import Crypto
import Foundation
import GRDBSQLite
import SHA256x8

/// Hashes one row of the `events` table from its raw column bytes, exactly as `HashChain.hash` does.
///
/// The bytes hashed are the previous hash, then position, stream, stream version,
/// id, type, occurredAt, recordedAt, data, actor, command id, correlation id and
/// causation id: integers as 8 bytes big-endian, texts as their 8-byte length and
/// their UTF-8 bytes (the bytes SQLite stores, read without making Swift strings).
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

    /// The column order of the scan's SELECT; see ``ChainVerifier``.
    static let columns = "position, stream, stream_version, id, type, occurred_at, recorded_at, data, actor, command_id, correlation_id, causation_id, previous_hash, hash"

    /// SHA-256 of `previous` (32 bytes) and the canonical bytes of the current row of `statement`.
    func hash(previous: UnsafeRawPointer, row statement: OpaquePointer) -> SHA256.Digest {
        fill(previous: previous, row: statement)
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
        return hasher.finalize()
    }

    /// Pads the bytes of the row last filled for ``SHA256x8``; returns the start of the message and its length in blocks.
    func padded() -> (message: UnsafeRawPointer, blocks: Int) {
        reserve(SHA256x8.paddedLength(count) - count)
        return (UnsafeRawPointer(buffer), SHA256x8.pad(buffer, length: count))
    }

    /// Copies `previous` (32 bytes) and the canonical bytes of the current row of `statement` into the buffer.
    func fill(previous: UnsafeRawPointer, row statement: OpaquePointer) {
        count = 0
        append(previous, 32)
        int(sqlite3_column_int64(statement, 0))
        text(statement, 1)
        int(sqlite3_column_int64(statement, 2))
        text(statement, 3)
        text(statement, 4)
        int(sqlite3_column_int64(statement, 5))
        int(sqlite3_column_int64(statement, 6))
        for column: Int32 in 7...11 { text(statement, column) }
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

    private func text(_ statement: OpaquePointer, _ column: Int32) {
        // The blob accessor gives a text's UTF-8 bytes as stored, without the copy that adding a terminator costs.
        let pointer = sqlite3_column_blob(statement, column)
        let length = Int(sqlite3_column_bytes(statement, column))
        int(Int64(length))
        append(pointer, length)
    }
}
