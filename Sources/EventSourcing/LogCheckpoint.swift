import Crypto
import Foundation

/// A signed checkpoint of the log: "the record at `position` had hash `head`", signed with Ed25519.
///
/// The gateway appends one as event `audit.checkpoint.v1` in stream
/// `audit-checkpoints` every so many records. A verifier holding the public
/// key kept outside the system can then prove that the log up to `position`
/// was not rewritten after the checkpoint was signed, even if the rewrite
/// recomputed a consistent hash chain. Keys and signatures are lower-case hex.
public struct LogCheckpoint: Hashable, Sendable, Codable {
    /// The event type under which the gateway appends checkpoints.
    public static let eventType = "audit.checkpoint.v1"
    /// The stream holding every checkpoint.
    public static let stream = StreamName(category: "audit", id: "checkpoints")

    /// The position of the record whose hash is signed.
    public var position: Int64
    /// The hash of the record at `position`, 64 hex digits.
    public var head: String
    /// The Ed25519 public key that signed, 64 hex digits.
    public var publicKey: String
    /// The Ed25519 signature over ``message(position:head:)``, 128 hex digits.
    public var signature: String

    public init(position: Int64, head: String, publicKey: String, signature: String) {
        self.position = position
        self.head = head
        self.publicKey = publicKey
        self.signature = signature
    }

    /// The exact bytes signed: UTF-8 of `petition-log-checkpoint\n<position in decimal>\n<head hex>`.
    public static func message(position: Int64, head: String) -> Data {
        Data("petition-log-checkpoint\n\(position)\n\(head)".utf8)
    }

    /// Signs the hash of the record at `position`.
    public static func sign(position: Int64, head: Data, with key: Curve25519.Signing.PrivateKey) throws -> LogCheckpoint {
        let headHex = Hex.encode(head)
        let signature = try key.signature(for: message(position: position, head: headHex))
        return LogCheckpoint(position: position, head: headHex, publicKey: Hex.encode(key.publicKey.rawRepresentation),
                             signature: Hex.encode(signature))
    }

    /// Whether `signature` is a valid signature by `key` over this checkpoint's position and head.
    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        guard let signatureBytes = Hex.decode(signature) else { return false }
        return key.isValidSignature(signatureBytes, for: Self.message(position: position, head: head))
    }

    /// The event data as stored: JSON with sorted keys, no white space.
    public var json: String {
        "{\"head\":\"\(head)\",\"position\":\(position),\"publicKey\":\"\(publicKey)\",\"signature\":\"\(signature)\"}"
    }

    /// Parses stored event data; nil when it is not a checkpoint.
    public init?(json: String) {
        guard let decoded = try? JSONDecoder().decode(LogCheckpoint.self, from: Data(json.utf8)) else { return nil }
        self = decoded
    }
}
