import Foundation
import Synchronization

/// A token bucket per client: `burst` requests at once, then one every `interval`. For the routes anyone may
/// call without logging in (the citizens' tracking view), so a code cannot be guessed by trying many. (No
/// package of the mirror offers one for Hummingbird; this is the whole of it.)
final class RateLimiter: Sendable {
    let burst: Double
    let perSecond: Double
    private let buckets = Mutex<[String: (tokens: Double, at: UInt64)]>([:])

    init(burst: Int, perMinute: Int) {
        self.burst = Double(burst)
        perSecond = Double(perMinute) / 60
    }

    /// Takes a token for `client`: nil when one was left, else the seconds until the next.
    func take(_ client: String, now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Int? {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            var bucket = buckets[client] ?? (burst, now)
            bucket.tokens = min(burst, bucket.tokens + Double(now &- bucket.at) / 1e9 * perSecond)
            bucket.at = now
            defer { buckets[client] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
