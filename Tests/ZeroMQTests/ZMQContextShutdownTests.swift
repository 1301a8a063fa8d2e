import Foundation
import Testing
import ZeroMQ

@Suite("ZMQContext: shutting down")
struct ZMQContextShutdownTests {
    @Test("shutting the context down wakes a receive blocked on another thread with a terminated error")
    func shutdownWakesBlockedReceive() throws {
        let context = try ZMQContext()
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Box<Result<[[UInt8]]?, ZMQError>>()
        let thread = Thread {
            defer { finished.signal() }
            let socket: ZMQSocket
            do {
                socket = try context.socket(.dealer)
                _ = try bindLoopback(socket)
            } catch {
                outcome.value = .failure(error as? ZMQError ?? ZMQError(code: -1, operation: "setup"))
                ready.signal()
                return
            }
            ready.signal()
            do {
                outcome.value = .success(try socket.receive())
            } catch {
                outcome.value = .failure(error as? ZMQError ?? ZMQError(code: -1, operation: "receive"))
            }
            socket.close()
        }
        thread.start()
        ready.wait()
        Thread.sleep(forTimeInterval: 0.1)
        context.shutdown()
        try #require(finished.wait(timeout: .now() + 5) == .success, "the blocked receive did not return after shutdown")
        context.terminate()

        guard case .failure(let error)? = outcome.value else {
            Issue.record("receive should have failed, got \(String(describing: outcome.value))")
            return
        }
        #expect(error.isTerminated)
        #expect(!error.isWouldBlock)
        #expect(!error.isInterrupted)
    }

    @Test("after shutdown no new socket can be opened, and the error says the context is terminated")
    func noSocketsAfterShutdown() throws {
        let context = try ZMQContext()
        context.shutdown()
        let error = try #require(throws: ZMQError.self) { try context.socket(.router) }
        #expect(error.isTerminated)
        context.terminate()
    }

    @Test("terminate returns promptly once sockets are closed, even with unsent messages (small linger)")
    func terminateWithPendingMessages() throws {
        let context = try ZMQContext()
        let dealer = try context.socket(.dealer)
        try dealer.connect("tcp://127.0.0.1:1")
        try dealer.send([bytes("never delivered")], dontWait: true)
        dealer.close()
        let started = Date()
        context.terminate()
        #expect(Date().timeIntervalSince(started) < 2)
    }
}
