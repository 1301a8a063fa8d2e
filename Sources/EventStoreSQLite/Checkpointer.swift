import Foundation
import GRDBSQLite

/// Copies committed pages from the write-ahead log into the log's main file on a thread and connection of its own.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the committing thread: the
/// single writer then waits for the copy and the main file's sync before it can decide the next batch (about a fifth
/// of the gateway's time per command, BENCHMARKS.md "ids in time order"). Here the writer only nudges after each
/// commit and a passive checkpoint runs beside it; durability is unchanged (a commit is durable once the WAL is
/// synced, `synchronous = FULL`), and the checkpoint syncs the main file before the WAL may be reused. Should this
/// thread fall behind (a reader holding an old snapshot), the writer still checkpoints itself once the WAL passes
/// ``writerFallbackPages``.
final class Checkpointer: @unchecked Sendable {
    /// Pages (4 KiB) past which the writer checkpoints on its own commit path, as SQLite would at 1,000.
    static let writerFallbackPages = 16_384

    private var connection: OpaquePointer?
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopping = false // under `lock`
    private var running = true // under `lock`

    init(path: String) throws {
        var handle: OpaquePointer?
        let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(opened)"
            sqlite3_close(handle)
            throw CheckpointerError(message: "cannot open \(path) for checkpoints: \(message)")
        }
        // The main file is synced before the WAL is reused, as the writer's own checkpoints do.
        sqlite3_exec(handle, "PRAGMA synchronous = FULL", nil, nil, nil)
        connection = handle
        let thread = Thread { [self] in run() }
        thread.name = "event-log-checkpoint"
        thread.start()
    }

    /// After a commit: checkpoint soon (several nudges before it runs make one checkpoint).
    func nudge() { wake.signal() }

    /// Stops the thread and closes its connection; waits for a checkpoint in progress. Safe to call twice.
    func stop() {
        lock.lock()
        let wasRunning = running && !stopping
        stopping = true
        lock.unlock()
        guard wasRunning else { return }
        wake.signal()
        finished.wait()
    }

    private func run() {
        while true {
            _ = wake.wait(timeout: .now() + 1)
            while wake.wait(timeout: .now()) == .success {} // one checkpoint for every nudge so far
            lock.lock()
            let stop = stopping
            lock.unlock()
            if stop { break }
            // Passive: copies what no reader still needs, never waits for or blocks the writer.
            sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
        sqlite3_close(connection)
        connection = nil
        lock.lock()
        running = false
        lock.unlock()
        finished.signal()
    }

    deinit { stop() }
}

struct CheckpointerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
