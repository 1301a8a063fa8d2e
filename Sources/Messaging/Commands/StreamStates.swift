import PetitionDomain

/// One decider's stream states in the gateway: cached between batches (bounded), what the batch being committed
/// changed (kept in the cache once it commits), and what the batch being decided changed.
final class StreamStates<D: StreamDecider>: DeciderStates {
    var cache: BoundedCache<String, D.State>
    /// The batch whose commit is under way: what the next batch is decided on, never evicted before it commits.
    var committing: [String: D.State] = [:]
    var pending: [String: D.State] = [:]

    init(capacity: Int) { cache = BoundedCache(capacity: capacity) }

    /// The state the next command sees: as this batch, else the committing one, else the cache left it.
    func get(_ id: String) -> D.State? { pending[id] ?? committing[id] ?? cache.get(id) }

    var count: Int { cache.count }
    func startCommit() {
        committing = pending
        pending = [:]
    }
    func committed() {
        cache.merge(committing)
        committing = [:]
    }
    func discardPending() { pending = [:] }
    func removeAll() {
        cache.removeAll()
        committing = [:]
        pending = [:]
    }
}

/// The decider-independent face of ``StreamStates``, for the pipeline.
protocol DeciderStates: AnyObject {
    var count: Int { get }
    /// The batch just decided starts its commit: what it changed is what the next batch is decided on.
    func startCommit()
    /// The committing batch is durable: what it changed joins the cache.
    func committed()
    func discardPending()
    func removeAll()
}
