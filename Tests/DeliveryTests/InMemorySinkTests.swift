import Delivery
import Testing

@Suite("InMemorySink: the scripted sink for the notifier's tests")
struct InMemorySinkTests {
    @Test("it answers with its script in order, then delivered, and records every attempt")
    func scripted() {
        let sink = InMemorySink(script: [.retryable(reason: "down")])
        sink.script(.permanent(reason: "no"))
        let alert = sampleAlert()
        #expect(sink.deliver(alert) == .retryable(reason: "down"))
        #expect(sink.deliver(alert) == .permanent(reason: "no"))
        #expect(sink.deliver(alert) == .delivered(detail: "memory"))
        #expect(sink.attempts == [alert, alert, alert])
    }
}
