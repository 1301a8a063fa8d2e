/// A point on the monotonic clock by which a blocking step must finish.
struct Deadline {
    /// The instant it expires.
    let end: ContinuousClock.Instant
    /// The time allowed, for messages.
    let allowed: Duration

    /// A deadline `duration` from now.
    init(after duration: Duration) {
        end = .now + duration
        allowed = duration
    }

    /// Whether it has passed.
    var hasPassed: Bool { ContinuousClock.now >= end }

    /// The time left, in whole milliseconds rounded up, for `poll`; 0 once passed.
    var pollMilliseconds: Int32 {
        let left = end - .now
        guard left > .zero else { return 0 }
        let ms = left.components.seconds * 1000 + (left.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    /// The earlier of this deadline and one `duration` from now.
    func capped(at duration: Duration) -> Deadline {
        let other = Deadline(after: duration)
        return other.end < end ? other : self
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// "5 s", "0.25 s": a duration for a message, to the millisecond.
    var secondsText: String {
        let ms = (inSeconds * 1000).rounded()
        if ms.truncatingRemainder(dividingBy: 1000) == 0 { return "\(Int(ms / 1000)) s" }
        return "\(ms / 1000) s"
    }
}
