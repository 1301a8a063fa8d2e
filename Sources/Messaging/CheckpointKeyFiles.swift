import Crypto
import EventSourcing
import Foundation

/// The gateway's Ed25519 checkpoint signing key, kept in the data folder.
///
/// `<data>/keys/checkpoint-signing.key` holds the private key (its 32 raw
/// bytes as 64 lower-case hex digits and a newline; mode 0600, folder 0700),
/// `<data>/keys/checkpoint-signing.pub` the public key in the same form. The
/// gateway creates both on its first start. An inspector copies the public key
/// out of the system (`petitionctl audit checkpoint-key`) and gives it to
/// `petitionctl audit verify --public-key`.
public struct CheckpointKeyFiles: Sendable {
    /// The folder holding the keys: `<data>/keys`.
    public let directory: String

    public init(dataDirectory: String) {
        directory = (dataDirectory as NSString).appendingPathComponent("keys")
    }

    public var privateKeyPath: String { (directory as NSString).appendingPathComponent("checkpoint-signing.key") }
    public var publicKeyPath: String { (directory as NSString).appendingPathComponent("checkpoint-signing.pub") }

    /// What went wrong with a key file, and what to do about it.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The private key, created (with its public key file) when there is none yet.
    public func loadOrCreate() throws(Failure) -> Curve25519.Signing.PrivateKey {
        if FileManager.default.fileExists(atPath: privateKeyPath) {
            let key = try loadPrivateKey()
            if !FileManager.default.fileExists(atPath: publicKeyPath) { try writePublicKey(key.publicKey) }
            return key
        }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw Failure(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        let key = Curve25519.Signing.PrivateKey()
        let fd = open(privateKeyPath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(privateKeyPath): \(String(cString: strerror(errno)))") }
        let text = Array((Hex.encode(key.rawRepresentation) + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == text.count, synced == 0 else {
            unlink(privateKeyPath)
            throw Failure(description: "cannot write \(privateKeyPath): \(String(cString: strerror(errno)))")
        }
        try writePublicKey(key.publicKey)
        return key
    }

    /// The existing private key; refuses a file others may read.
    public func loadPrivateKey() throws(Failure) -> Curve25519.Signing.PrivateKey {
        var info = stat()
        guard stat(privateKeyPath, &info) == 0 else {
            throw Failure(description: "cannot read \(privateKeyPath): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw Failure(description: "\(privateKeyPath) may be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 on it")
        }
        guard let text = try? String(contentsOfFile: privateKeyPath, encoding: .utf8),
              let bytes = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw Failure(description: "\(privateKeyPath) is not an Ed25519 private key (64 hex digits); restore it from a backup, or move it away to start a new key")
        }
        return key
    }

    /// The public key from its file.
    public func loadPublicKey() throws(Failure) -> Curve25519.Signing.PublicKey {
        guard let text = try? String(contentsOfFile: publicKeyPath, encoding: .utf8) else {
            throw Failure(description: "no checkpoint key at \(publicKeyPath): start petition-gateway once on this data folder to create it")
        }
        guard let key = Self.publicKey(text) else {
            throw Failure(description: "\(publicKeyPath) is not an Ed25519 public key (64 hex digits)")
        }
        return key
    }

    /// Parses a public key written as 64 hex digits (surrounding white space ignored).
    public static func publicKey(_ text: String) -> Curve25519.Signing.PublicKey? {
        guard let bytes = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
    }

    private func writePublicKey(_ key: Curve25519.Signing.PublicKey) throws(Failure) {
        do {
            try Data((Hex.encode(key.rawRepresentation) + "\n").utf8).write(to: URL(fileURLWithPath: publicKeyPath), options: .atomic)
        } catch {
            throw Failure(description: "cannot write \(publicKeyPath): \(error.localizedDescription)")
        }
    }
}
