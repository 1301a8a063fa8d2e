import Foundation
import Testing
import ZeroMQ

/// CurveZMQ with our ZAP handler: only keys the handler allows reach the server, and each message says who sent it.
@Suite("CurveZMQ and the ZAP handler")
struct CurveTests {
    /// A CURVE ROUTER on a fresh context whose ZAP handler allows exactly `allowed` (key → user id).
    final class Server {
        let context: ZMQContext
        let zap: ZAPHandler
        let router: ZMQSocket
        let endpoint: String
        let keys: CurveKeyPair
        let asked = Box<[String]>()

        init(allowed: [String: String]) throws {
            context = try ZMQContext()
            let asked = asked
            asked.value = []
            zap = try ZAPHandler(context: context) { request in
                asked.value = (asked.value ?? []) + [request.clientKey ?? "(no key)"]
                guard let key = request.clientKey, let user = allowed[key] else { return .deny(reason: "unknown key") }
                return .allow(userId: user)
            }
            keys = try CurveKeyPair.generate()
            router = try context.socket(.router)
            try router.makeCurveServer(keys)
            endpoint = try bindLoopback(router)
        }

        func close() {
            router.close()
            zap.stop()
            context.terminate()
        }
    }

    /// Sends one request from a DEALER set up by `configure`, and returns what the server received (nil: nothing).
    func exchange(_ server: Server, configure: (ZMQSocket) throws -> Void) throws -> (frames: [[UInt8]], userId: String?)? {
        let context = try ZMQContext()
        defer { context.terminate() }
        let dealer = try context.socket(.dealer)
        defer { dealer.close() }
        try configure(dealer)
        try dealer.connect(server.endpoint)
        _ = try dealer.send([[], bytes("petition.answer")], dontWait: true)
        guard try ZMQPoll.readable([server.router], timeoutMs: 1_500)[0] else { return nil }
        return try server.router.receiveAuthenticated(dontWait: true)
    }

    @Test("a client whose key the handler allows is served, and its messages carry the user id the handler gave")
    func registeredKeyIsServed() throws {
        let client = try CurveKeyPair.generate()
        let server = try Server(allowed: [client.publicKey: "official/O0001"])
        defer { server.close() }
        let received = try #require(try exchange(server) { try $0.makeCurveClient(client, serverKey: server.keys.publicKey) })
        #expect(Array(received.frames.dropFirst()) == [[], bytes("petition.answer")])
        #expect(received.userId == "official/O0001")
        #expect(server.asked.value == [client.publicKey])
    }

    @Test("a client with a key the handler does not know never reaches the server")
    func unknownKeyIsRefused() throws {
        let known = try CurveKeyPair.generate(), stranger = try CurveKeyPair.generate()
        let server = try Server(allowed: [known.publicKey: "official/O0001"])
        defer { server.close() }
        #expect(try exchange(server) { try $0.makeCurveClient(stranger, serverKey: server.keys.publicKey) } == nil)
        #expect(server.asked.value == [stranger.publicKey], "the handler was asked, and said no")
    }

    @Test("a client without CURVE, or pinning another server's key, never reaches the server")
    func plainOrWrongServerKeyGetsNothing() throws {
        let client = try CurveKeyPair.generate(), impostor = try CurveKeyPair.generate()
        let server = try Server(allowed: [client.publicKey: "official/O0001"])
        defer { server.close() }
        #expect(try exchange(server) { _ in } == nil)
        #expect(try exchange(server) { try $0.makeCurveClient(client, serverKey: impostor.publicKey) } == nil)
        #expect(server.asked.value == [], "neither got as far as asking")
    }

    @Test("a secret key gives back its public key; keys are 40 characters of Z85 and round-trip through their bytes")
    func keyPairs() throws {
        let pair = try CurveKeyPair.generate()
        #expect(CurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(CurveKeyPair.isKey(pair.publicKey) && pair.publicKey.count == 40)
        #expect(CurveKeyPair(secretKey: "not a key") == nil)
        #expect(!CurveKeyPair.isKey(String(pair.publicKey.dropLast()) + "~"))
        let raw = try #require(CurveKeyPair.bytes(pair.publicKey))
        #expect(raw.count == 32 && CurveKeyPair.text(raw) == pair.publicKey)
        #expect(CurveKeyPair.isAvailable)
    }
}
