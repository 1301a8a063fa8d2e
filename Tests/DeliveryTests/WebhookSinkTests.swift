import Delivery
import Foundation
import Testing
import TestSupport

/// Whether this machine can listen on ::1.
let ipv6LoopbackAvailable: Bool = (try? SilentListener(host: "::1")) != nil

@Suite("WebhookSink: POSTing alerts to a real loopback HTTP receiver")
struct WebhookSinkTests {
    @Test("the receiver gets the alert's JSON with the Idempotency-Key and the other headers; 204 is delivered")
    func delivers() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let alert = sampleAlert()
        let outcome = try WebhookSink(url: server.url(path: "/hooks/petitions")).deliver(alert)
        #expect(outcome == .delivered(detail: "HTTP 204"))
        let request = try #require(server.waitForRequests(1).first)
        #expect(request.method == "POST")
        #expect(request.path == "/hooks/petitions")
        #expect(request.header("Idempotency-Key") == alert.alertId)
        #expect(request.header("Content-Type") == "application/json; charset=utf-8")
        #expect(request.header("User-Agent") == "petition-notifier")
        #expect(request.header("Connection") == "close")
        #expect(request.header("Host") == "127.0.0.1:\(server.port)")
        #expect(request.header("Content-Length") == String(request.body.count))
        #expect(request.body == alert.json())
        #expect(try JSONDecoder().decode(Alert.self, from: Data(request.body)) == alert)
    }

    @Test("a receiver answering 503 gives a retryable outcome naming the status")
    func unavailableIsRetryable() throws {
        let server = try LoopbackHTTPServer(behaviour: .fail(status: 503))
        defer { server.stop() }
        let outcome = try WebhookSink(url: server.url()).deliver(sampleAlert())
        #expect(outcome.isRetryable)
        #expect(outcome.text.contains("503"))
    }

    @Test("408 and 429 are retryable; 400 and 404 are permanent", arguments: [(408, true), (429, true), (400, false), (404, false)])
    func statusClasses(status: Int, retryable: Bool) throws {
        let server = try LoopbackHTTPServer(behaviour: .fail(status: status))
        defer { server.stop() }
        let outcome = try WebhookSink(url: server.url()).deliver(sampleAlert())
        if retryable {
            #expect(outcome.isRetryable, "\(outcome)")
        } else {
            #expect(outcome == .permanent(reason: outcome.text) && outcome.text.contains("\(status)"), "\(outcome)")
        }
    }

    @Test("a receiver that fails twice then recovers gets the same Idempotency-Key on every attempt")
    func retriesCarryTheSameKey() throws {
        let server = try LoopbackHTTPServer(behaviour: .failFirst(2))
        defer { server.stop() }
        let sink = try WebhookSink(url: server.url())
        let alert = sampleAlert()
        let outcomes = (1...3).map { _ in sink.deliver(alert) }
        #expect(outcomes.map(\.isRetryable) == [true, true, false])
        #expect(outcomes[2].isDelivered)
        #expect(Set(server.waitForRequests(3).compactMap { $0.header("Idempotency-Key") }) == [alert.alertId])
    }

    @Test("a closed port gives a retryable outcome at once")
    func closedPortIsRetryableQuickly() throws {
        let sink = try WebhookSink(url: "http://127.0.0.1:\(closedPort())/alerts")
        let (outcome, seconds) = timed { sink.deliver(sampleAlert()) }
        #expect(outcome.isRetryable)
        #expect(outcome.text.contains("refused"), "\(outcome)")
        #expect(seconds < 1)
    }

    @Test("a receiver that never answers gives retryable after the timeout, not much later")
    func silentReceiverIsBoundedByTheTimeout() throws {
        let hole = try SilentListener()
        defer { hole.stop() }
        let sink = try WebhookSink(url: hole.url(), timeout: .milliseconds(400))
        let (outcome, seconds) = timed { sink.deliver(sampleAlert()) }
        #expect(outcome.isRetryable)
        #expect(outcome.text.contains("timed out after 0.4 s"), "\(outcome)")
        #expect(seconds >= 0.35)
        #expect(seconds < 2)
    }

    @Test("host names resolve through getaddrinfo: localhost reaches an IPv4 loopback receiver")
    func resolvesNames() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        #expect(try WebhookSink(url: "http://localhost:\(server.port)/a").deliver(sampleAlert()).isDelivered)
        #expect(server.waitForRequests(1).first?.header("Host") == "localhost:\(server.port)")
    }

    @Test("an IPv6 loopback receiver is reached through a bracketed URL", .enabled(if: ipv6LoopbackAvailable))
    func ipv6() throws {
        let server = try LoopbackHTTPServer(host: "::1")
        defer { server.stop() }
        #expect(server.url().hasPrefix("http://[::1]:"))
        #expect(try WebhookSink(url: server.url()).deliver(sampleAlert()).isDelivered)
        #expect(server.waitForRequests(1).first?.header("Host") == "[::1]:\(server.port)")
    }
}
