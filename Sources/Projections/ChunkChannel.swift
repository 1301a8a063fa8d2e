import Foundation

/// A bounded hand-over of chunks from one thread to another: the sender blocks while `capacity` chunks wait.
final class ChunkChannel<Chunk: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [Chunk] = []
    private let capacity: Int
    private var finished = false
    private var cancelled = false
    private var failure: Error?

    init(capacity: Int) { self.capacity = capacity }

    /// Queues `chunk`, waiting for room; false once the receiver cancelled (the sender should stop).
    func send(_ chunk: Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// No more chunks: the sender is done, or failed with `error`.
    func finish(_ error: Error? = nil) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The receiver stops: a blocked sender is let go.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk; nil when the sender finished; throws the sender's failure.
    func receive() throws -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            let chunk = chunks.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }
}
