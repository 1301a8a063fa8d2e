import Foundation
import Testing
import ZeroMQ

@Suite("ZMQPoll: waiting on several sockets")
struct ZMQPollTests {
    @Test("with nothing to read, poll waits for its timeout and reports no socket readable")
    func timeoutNotReadable() throws {
        try withContext { (context: ZMQContext) throws in
            let router = try context.socket(.router)
            defer { router.close() }
            _ = try bindLoopback(router)
            let started = Date()
            #expect(try ZMQPoll.readable([router], timeoutMs: 100) == [false])
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 0.08)
            #expect(waited < 2)
            #expect(try ZMQPoll.readable([router], timeoutMs: 0) == [false])
        }
    }

    @Test("poll says which of several sockets has a message, in the order given")
    func reportsTheReadableSocket() throws {
        try withContext { (context: ZMQContext) throws in
            let router = try context.socket(.router)
            defer { router.close() }
            let dealer = try context.socket(.dealer)
            defer { dealer.close() }
            try dealer.connect(try bindLoopback(router))
            try dealer.send([bytes("xin chào")])
            #expect(try ZMQPoll.readable([dealer, router], timeoutMs: 5_000) == [false, true])
            _ = try router.receive(dontWait: true)
            #expect(try ZMQPoll.readable([dealer, router], timeoutMs: 10) == [false, false])
        }
    }
}
