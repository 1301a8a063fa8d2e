import Delivery
import Testing

@Suite("Backoff: the retry schedule")
struct BackoffTests {
    @Test("the default schedule starts at 1 s, doubles, and stops at 5 minutes")
    func growsAndCaps() {
        let backoff = Backoff()
        #expect((1...10).map { backoff.delay(afterAttempt: $0) } == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300].map { Duration.seconds($0) })
        #expect(backoff.delay(afterAttempt: 50) == .seconds(300))
        #expect(backoff.delay(afterAttempt: Int.max) == .seconds(300))
        #expect(backoff.delay(afterAttempt: 0) == .seconds(1))
    }

    @Test("jitter shortens delays by at most its fraction, the same way every time for the same alert")
    func jitterIsRepeatable() {
        let backoff = Backoff(initial: .seconds(2), factor: 3, cap: .seconds(60), jitter: 0.5)
        for attempt in 1...6 {
            let full = Backoff(initial: .seconds(2), factor: 3, cap: .seconds(60)).delay(afterAttempt: attempt)
            let a = backoff.delay(afterAttempt: attempt, alertId: "P1-overdue")
            #expect(a == backoff.delay(afterAttempt: attempt, alertId: "P1-overdue"))
            #expect(a <= full && a >= full / 2)
        }
        let spread = Set((0..<20).map { backoff.delay(afterAttempt: 4, alertId: "P\($0)") })
        #expect(spread.count > 10, "different alerts retry at different times")
    }

    @Test("out-of-range settings are clamped rather than giving shrinking or negative delays")
    func clamps() {
        let odd = Backoff(initial: .seconds(10), factor: 0.5, cap: .seconds(1), jitter: 7)
        #expect(odd.factor == 1 && odd.cap == .seconds(10) && odd.jitter == 1)
        #expect(odd.delay(afterAttempt: 3) >= .zero)
    }
}
