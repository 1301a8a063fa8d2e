import Foundation

/// An exponential retry schedule: `initial`, then times `factor` after each failure, never above `cap`.
///
/// A pure value: the same attempt (and alert id, when jitter is on) always gives the same delay,
/// so tests are repeatable. Jitter takes up to that fraction off each delay, drawn from a hash
/// of the alert id and the attempt, which spreads retries of many alerts apart.
public struct Backoff: Sendable, Hashable {
    /// The delay after the first failed attempt.
    public let initial: Duration
    /// How much each delay grows over the one before; at least 1.
    public let factor: Double
    /// The longest delay.
    public let cap: Duration
    /// The fraction, 0 to 1, that jitter may take off a delay; 0 means none.
    public let jitter: Double

    /// A schedule; out-of-range values are clamped (factor ≥ 1, cap ≥ initial ≥ 0, jitter in 0...1).
    public init(initial: Duration = .seconds(1), factor: Double = 2, cap: Duration = .seconds(300), jitter: Double = 0) {
        self.initial = max(initial, .zero)
        self.factor = factor.isFinite ? max(factor, 1) : 1
        self.cap = max(cap, self.initial)
        self.jitter = jitter.isFinite ? min(max(jitter, 0), 1) : 0
    }

    /// The wait after failed attempt `n` (1 for the first failure): initial × factor^(n-1), capped, less any jitter.
    public func delay(afterAttempt n: Int, alertId: String = "") -> Duration {
        let initialSeconds = initial.inSeconds
        let capSeconds = cap.inSeconds
        let growth = pow(factor, Double(max(n, 1) - 1))
        // pow may give infinity for a huge n; min keeps the cap, and 0 × ∞ cannot happen as initial > 0 is checked.
        var seconds = initialSeconds > 0 ? min(initialSeconds * growth, capSeconds) : 0
        if jitter > 0 {
            seconds *= 1 - jitter * Self.unitFraction(alertId, n)
        }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// A number in [0, 1) from FNV-1a of the alert id and attempt: fixed for the same inputs on every run.
    private static func unitFraction(_ alertId: String, _ n: Int) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(alertId.utf8) + withUnsafeBytes(of: Int64(n).littleEndian, Array.init) {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }
}
