/// A map that holds at most `capacity` entries, forgetting the least recently used ones first.
///
/// Two generations: new and touched entries go into the young one; when it is half full, the old one is
/// dropped and the young one becomes old. A lookup that finds an entry in the old generation moves it back
/// to the young one, so what is in use stays, and memory never exceeds `capacity` entries whatever the input.
struct BoundedCache<Key: Hashable, Value> {
    private var young: [Key: Value] = [:]
    private var old: [Key: Value] = [:]
    /// The most entries kept.
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity >= 16, "a cache holds at least 16 entries (a command touches a few streams)")
        self.capacity = capacity
    }

    /// How many entries are kept.
    var count: Int { young.count + old.count }

    /// The value for `key`, kept as recently used.
    mutating func get(_ key: Key) -> Value? {
        if let value = young[key] { return value }
        guard let value = old.removeValue(forKey: key) else { return nil }
        set(key, value)
        return value
    }

    /// The value for `key`, without touching its recency.
    func peek(_ key: Key) -> Value? { young[key] ?? old[key] }

    mutating func set(_ key: Key, _ value: Value) {
        old.removeValue(forKey: key)
        if young.updateValue(value, forKey: key) == nil, young.count >= capacity / 2 {
            old = young
            young = [:]
        }
    }

    /// Sets every entry of `entries`.
    mutating func merge(_ entries: [Key: Value]) {
        for (key, value) in entries { set(key, value) }
    }

    mutating func removeAll() {
        young.removeAll()
        old.removeAll()
    }
}
