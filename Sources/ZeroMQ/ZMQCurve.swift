import CZeroMQ

/// A CurveZMQ key pair (RFC 26), each key in Z85 text: 40 characters for 32 bytes.
public struct CurveKeyPair: Hashable, Sendable {
    public let publicKey: String
    public let secretKey: String

    /// A fresh key pair from libzmq (libsodium's random generator).
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else { throw ZMQError.last("zmq_curve_keypair") }
        return CurveKeyPair(publicKey: String(cString: pub), secretKey: String(cString: sec))
    }

    /// The pair of a secret key; nil when `secretKey` is not 40 characters of Z85.
    public init?(secretKey: String) {
        guard Self.isKey(secretKey) else { return nil }
        var pub = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&pub, secretKey) == 0 else { return nil }
        self.init(publicKey: String(cString: pub), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Whether `text` is a key in Z85: 40 characters of its alphabet.
    public static func isKey(_ text: String) -> Bool {
        let alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
        return text.utf8.count == 40 && text.utf8.allSatisfy(alphabet.contains)
    }

    /// The 32 bytes of a Z85 key, nil when it is not one.
    public static func bytes(_ key: String) -> [UInt8]? {
        guard isKey(key) else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&out, key) != nil else { return nil }
        return out
    }

    /// The Z85 text of 32 key bytes.
    public static func text(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 32 else { return nil }
        var out = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&out, bytes, 32) != nil else { return nil }
        return String(cString: out)
    }

    /// Whether this libzmq was built with CURVE (libsodium).
    public static var isAvailable: Bool { zmq_has("curve") != 0 }
}

extension ZMQSocket {
    /// Makes this socket a CURVE server with `keys`: every peer must complete the handshake and be allowed by
    /// the context's ``ZAPHandler`` before any message passes. Call before `bind`, and only on a context whose
    /// ZAP handler is running: libzmq 4.3 accepts every key when no handler is bound: start ``ZAPHandler`` first.
    public func makeCurveServer(_ keys: CurveKeyPair, domain: String = "petition") throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVER, Int32(1))
        try setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(keys.secretKey.utf8))
        try setOption(ZMQ_ZAP_DOMAIN, bytes: Array(domain.utf8))
    }

    /// Makes this socket a CURVE client with `keys`, accepting only the server whose public key is `serverKey`
    /// (pinned: a process that took the server's port without its secret key never completes the handshake).
    /// Call before `connect`.
    public func makeCurveClient(_ keys: CurveKeyPair, serverKey: String) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVERKEY, bytes: Array(serverKey.utf8))
        try setOption(ZMQ_CURVE_PUBLICKEY, bytes: Array(keys.publicKey.utf8))
        try setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(keys.secretKey.utf8))
    }
}
