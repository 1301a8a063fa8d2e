import Crypto
import Foundation

/// The key that wraps every per-person key and folded name kept beside the log (AES-256-GCM), held apart from the
/// log file: a copy of the log alone opens no one. It lives in `keys/personal-data.key` of the data folder (mode
/// 0600, made on the gateway's first start), or comes from the environment (`PETITION_KEK`, 32 bytes in base64) so
/// that an operator can keep it off the disk altogether.
public struct KeyEncryptionKey: @unchecked Sendable { // SymmetricKey is immutable
    private let key: SymmetricKey
    /// A wrapped key: nonce, ciphertext, tag.
    public static let wrappedKeySize = 12 + 32 + 16
    /// How a wrapped folded name begins (what an earlier version kept in clear does not).
    public static let namePrefix = "k1:"

    public init?(_ bytes: Data) {
        guard bytes.count == 32 else { return nil }
        key = SymmetricKey(data: bytes)
    }

    /// A fresh key, and its bytes (to be written where the operator keeps it).
    public static func generate() -> (KeyEncryptionKey, Data) {
        let bytes = Data(RandomBytes.bytes(32))
        return (KeyEncryptionKey(bytes)!, bytes)
    }

    /// `data` sealed: nonce, ciphertext and tag.
    public func wrap(_ data: Data) -> Data {
        // Sealing with a fresh 12-byte nonce cannot fail.
        let box = try! AES.GCM.seal(data, using: key, nonce: AES.GCM.Nonce(data: Data(RandomBytes.bytes(12))))
        return box.combined!
    }

    /// What ``wrap(_:)`` sealed; nil when `data` was not sealed with this key.
    public func unwrap(_ data: Data) -> Data? {
        guard let box = try? AES.GCM.SealedBox(combined: data) else { return nil }
        return try? AES.GCM.open(box, using: key)
    }

    /// A person's key as kept: wrapped (an earlier version's 32 bytes in clear stay readable until wrapped).
    public func openKey(_ stored: Data) -> Data? {
        stored.count == 32 ? stored : unwrap(stored)
    }

    /// A folded name as kept: `k1:` and the sealed text in base64.
    public func wrapName(_ name: String) -> String {
        Self.namePrefix + wrap(Data(name.utf8)).base64EncodedString()
    }

    /// A folded name as kept, opened (an earlier version's clear text as it is; '' stays '').
    public func openName(_ stored: String) -> String? {
        guard stored.hasPrefix(Self.namePrefix) else { return stored }
        return Data(base64Encoded: String(stored.dropFirst(Self.namePrefix.count))).flatMap(unwrap).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The key-encryption key of the log at `logPath`: `PETITION_KEK` when set, else `keys/personal-data.key` beside
    /// the log; nil when there is neither. Throws when what is there is not a key.
    public static func load(forLogAt logPath: String) throws -> KeyEncryptionKey? {
        if let key = try fromEnvironment() { return key }
        let file = path(forLogAt: logPath)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), let key = KeyEncryptionKey(bytes) else {
            throw EventStoreError.storage("\(file) does not hold a key-encryption key (32 bytes in base64)")
        }
        return key
    }

    /// Where the key-encryption key of the log at `logPath` is kept: `keys/personal-data.key` beside it.
    /// The key in `PETITION_KEK` (32 bytes in base64), nil when it is not set: how a tool reading a log in
    /// PostgreSQL, which has no folder beside it, is given the key.
    public static func fromEnvironment() throws -> KeyEncryptionKey? {
        guard let env = ProcessInfo.processInfo.environment["PETITION_KEK"], !env.isEmpty else { return nil }
        guard let bytes = Data(base64Encoded: env), let key = KeyEncryptionKey(bytes) else {
            throw EventStoreError.storage("PETITION_KEK must be 32 bytes in base64")
        }
        return key
    }

    public static func path(forLogAt logPath: String) -> String {
        (((logPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("keys") as NSString)
            .appendingPathComponent("personal-data.key")
    }
}

/// How every store keeps a person's key and folded name beside its log: wrapped under the log's key-encryption
/// key when it has one (what SQLite and PostgreSQL both write and read back through these).
extension SecretKey {
    /// The key and folded name as a store keeps them: wrapped under `kek`, or as they are without one.
    public func stored(under kek: KeyEncryptionKey?) -> (key: Data, searchName: String?) {
        guard let kek else { return (key, searchName) }
        return (kek.wrap(key), searchName.map(kek.wrapName))
    }

    /// A kept key read back as ``stored(under:)`` kept it; nil when `kek` does not open it (it was destroyed, or
    /// wrapped under another key).
    public init?(id: String, storedKey: Data, storedName: String?, kek: KeyEncryptionKey?) {
        guard let kek else {
            self.init(id: id, key: storedKey, searchName: storedName)
            return
        }
        guard let key = kek.openKey(storedKey) else { return nil }
        self.init(id: id, key: key, searchName: storedName.flatMap(kek.openName))
    }
}

extension KeyEncryptionKey {
    /// The rows of `secrets` an earlier version kept in clear (a 32-byte key, or a folded name without the prefix).
    public static let clearSecretsCondition = "length(key) = 32 OR (search_name IS NOT NULL AND search_name <> '' AND search_name NOT LIKE '\(namePrefix)%')"

    /// A kept key and name wrapped where they were kept in clear, left as they are where already wrapped.
    public func wrappingClear(key: Data, name: String?) -> (key: Data, name: String?) {
        (key.count == 32 ? wrap(key) : key, name.map { $0.isEmpty || $0.hasPrefix(Self.namePrefix) ? $0 : wrapName($0) })
    }
}
