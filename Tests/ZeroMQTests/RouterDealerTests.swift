import Foundation
import Testing
import ZeroMQ

@Suite("ZMQ ROUTER and DEALER over TCP")
struct RouterDealerTests {
    @Test("binding port * on 127.0.0.1 gives a concrete endpoint a peer can connect to")
    func lastEndpointAfterWildcardBind() throws {
        try withContext { (context: ZMQContext) throws in
            let router = try context.socket(.router)
            defer { router.close() }
            let endpoint = try bindLoopback(router)
            let portText = try #require(endpoint.split(separator: ":").last)
            let port = try #require(Int(portText))
            #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
            #expect((1...65_535).contains(port))
        }
    }

    @Test("a multipart message crosses intact both ways, including empty frames and a 200 KB frame")
    func multipartRoundTrip() throws {
        try withContext { (context: ZMQContext) throws in
            let router = try context.socket(.router)
            defer { router.close() }
            let dealer = try context.socket(.dealer)
            defer { dealer.close() }
            try dealer.connect(try bindLoopback(router))

            let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let frames: [[UInt8]] = [[], bytes("petition.submit"), [], big, bytes("Đất đai"), []]
            #expect(try dealer.send(frames))
            let received = try #require(try receive(router))
            try #require(received.count == frames.count + 1, "expected the peer's routing id and \(frames.count) frames")
            let routingId = received[0]
            #expect(!routingId.isEmpty)
            #expect(Array(received.dropFirst()) == frames)
            #expect(received[4].count == 200_000)

            let reply: [[UInt8]] = [[], bytes(#"{"ok":true}"#), big, []]
            #expect(try router.send([routingId] + reply))
            let back = try #require(try receive(dealer))
            #expect(back == reply)
        }
    }

    @Test("a single-frame message and an all-empty message arrive as sent, in order")
    func smallMessagesInOrder() throws {
        try withContext { (context: ZMQContext) throws in
            let router = try context.socket(.router)
            defer { router.close() }
            let dealer = try context.socket(.dealer)
            defer { dealer.close() }
            try dealer.connect(try bindLoopback(router))
            try dealer.send([bytes("một")])
            try dealer.send([[]])
            try dealer.send([bytes("hai"), bytes("ba")])
            #expect(try receive(router).map { Array($0.dropFirst()) } == [bytes("một")])
            #expect(try receive(router).map { Array($0.dropFirst()) } == [[]])
            #expect(try receive(router).map { Array($0.dropFirst()) } == [bytes("hai"), bytes("ba")])
        }
    }

    @Test("receive(dontWait:) returns nil at once when nothing is waiting")
    func dontWaitReturnsNil() throws {
        try withContext { (context: ZMQContext) throws in
            let router = try context.socket(.router)
            defer { router.close() }
            let dealer = try context.socket(.dealer)
            defer { dealer.close() }
            try dealer.connect(try bindLoopback(router))
            let started = Date()
            #expect(try router.receive(dontWait: true) == nil)
            #expect(try dealer.receive(dontWait: true) == nil)
            #expect(Date().timeIntervalSince(started) < 1)
        }
    }

    @Test("a frame larger than the socket's maximum message size is not delivered; one at the limit is")
    func oversizeFrameNotDelivered() throws {
        try withContext { (context: ZMQContext) throws in
            let router = try context.socket(.router)
            defer { router.close() }
            try router.setMaxMessageSize(1_000)
            let dealer = try context.socket(.dealer)
            defer { dealer.close() }
            try dealer.connect(try bindLoopback(router))

            try dealer.send([[UInt8](repeating: 0x61, count: 1_000)])
            let atLimit = try #require(try receive(router))
            #expect(atLimit.last?.count == 1_000)

            try dealer.send([[UInt8](repeating: 0x62, count: 1_001)])
            #expect(try receive(router, timeoutMs: 300) == nil)
        }
    }

    @Test("the default maximum message size is 1 MiB")
    func defaultMaximum() {
        #expect(ZMQSocket.defaultMaxMessageSize == 1_048_576)
    }

    @Test("a closed socket refuses to be used, and closing twice is harmless")
    func closedSocket() throws {
        try withContext { (context: ZMQContext) throws in
            let dealer = try context.socket(.dealer)
            dealer.close()
            dealer.close()
            #expect(dealer.lastEndpoint == nil)
            let error = try #require(throws: ZMQError.self) { try dealer.send([bytes("x")]) }
            #expect(error.description.contains("closed socket"))
            #expect(throws: ZMQError.self) { try dealer.receive(dontWait: true) }
            #expect(throws: ZMQError.self) { try dealer.connect("tcp://127.0.0.1:1") }
        }
    }

    @Test("binding an endpoint that is already taken fails with an error naming it")
    func bindConflict() throws {
        try withContext { (context: ZMQContext) throws in
            let first = try context.socket(.router)
            defer { first.close() }
            let endpoint = try bindLoopback(first)
            let second = try context.socket(.router)
            defer { second.close() }
            let error = try #require(throws: ZMQError.self) { try second.bind(endpoint) }
            #expect(error.description.contains(endpoint))
            #expect(!error.isTerminated)
        }
    }
}
