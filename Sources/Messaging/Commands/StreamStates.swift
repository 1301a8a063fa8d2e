import PetitionDomain

/// One decider's stream states in the gateway: cached between batches (bounded), and what the batch being
/// decided changed, kept only when it commits.
final class StreamStates<D: StreamDecider>: DeciderStates {
    var cache: BoundedCache<String, D.State>
    var pending: [String: D.State] = [:]

    init(capacity: Int) { cache = BoundedCache(capacity: capacity) }

    var count: Int { cache.count }
    func keepPending() {
        cache.merge(pending)
        pending = [:]
    }
    func discardPending() { pending = [:] }
    func removeAll() {
        cache.removeAll()
        pending = [:]
    }
}

/// The decider-independent face of ``StreamStates``, for the pipeline.
protocol DeciderStates: AnyObject {
    var count: Int { get }
    func keepPending()
    func discardPending()
    func removeAll()
}
