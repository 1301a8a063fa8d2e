import PetitionDomain

/// One decider's stream states in the gateway: cached between batches (bounded), what each batch being committed
/// changed (kept in the cache once it commits, oldest first), and what the batch being decided changed.
final class StreamStates<D: StreamDecider>: DeciderStates {
    var cache: BoundedCache<String, D.State>
    /// The batches whose commits are under way, oldest first, by batch number: what later batches are decided on,
    /// never evicted before they commit.
    var committing: [(batch: Int, states: [String: D.State])] = []
    var pending: [String: D.State] = [:]

    init(capacity: Int) { cache = BoundedCache(capacity: capacity) }

    /// The state the next command sees: as this batch, else the newest committing one, else the cache left it.
    func get(_ id: String) -> D.State? {
        if let s = pending[id] { return s }
        for overlay in committing.reversed() { if let s = overlay.states[id] { return s } }
        return cache.get(id)
    }

    var count: Int { cache.count }
    func startCommit(batch: Int) {
        if !pending.isEmpty { committing.append((batch, pending)) }
        pending = [:]
    }
    func committed(batch: Int) {
        guard let oldest = committing.first, oldest.batch == batch else { return }
        cache.merge(oldest.states)
        committing.removeFirst()
    }
    func discardPending() { pending = [:] }
    func removeAll() {
        cache.removeAll()
        committing = []
        pending = [:]
    }
}

/// The decider-independent face of ``StreamStates``, for the pipeline.
protocol DeciderStates: AnyObject {
    var count: Int { get }
    /// Batch `batch`, just decided, starts its commit: what it changed is what later batches are decided on.
    func startCommit(batch: Int)
    /// Batch `batch` (the oldest committing) is durable: what it changed joins the cache.
    func committed(batch: Int)
    func discardPending()
    func removeAll()
}
