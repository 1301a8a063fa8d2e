import Crypto
import EventSourcing
import Foundation
import GRDB
import HummingbirdBcrypt

/// The HTTP API's credentials, in a file of their own (`<data>/api/accounts.sqlite`, mode 0600): each official's
/// login and bcrypt password hash, the sessions and tokens given out at login (stored as SHA-256 of the token, so a
/// copy of the file opens no session), and the failed logins that slow and then lock a login.
///
/// Passwords are never stored or logged in clear. They live here, not in the event log: a hash kept forever in an
/// append-only log could never be taken back, and the log says who holds which office, not how they sign in.
public final class AccountStore: Sendable {
    private let db: DatabaseQueue
    public let policy: LoginPolicy

    /// Opens (creating) the store at `path`.
    public init(path: String, policy: LoginPolicy = LoginPolicy()) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        db = try DatabaseQueue(path: path, configuration: configuration)
        chmod(path, 0o600)
        self.policy = policy
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS accounts (
                    login TEXT PRIMARY KEY NOT NULL,
                    official_id TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    changed_at INTEGER NOT NULL
                );
                CREATE TABLE IF NOT EXISTS sessions (
                    token_hash BLOB PRIMARY KEY NOT NULL,
                    official_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE INDEX IF NOT EXISTS sessions_by_official ON sessions(official_id);
                CREATE TABLE IF NOT EXISTS api_keys (
                    key_hash BLOB PRIMARY KEY NOT NULL,
                    key_id TEXT NOT NULL UNIQUE,
                    official_id TEXT NOT NULL,
                    label TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE TABLE IF NOT EXISTS failures (
                    login TEXT PRIMARY KEY NOT NULL,
                    count INTEGER NOT NULL,
                    last_at INTEGER NOT NULL,
                    locked_until INTEGER
                );
                """)
        }
    }

    /// The store of a data folder.
    /// A password to hand to an official: 14 letters and digits without look-alikes (l, 1, o, 0, i), about 69 bits.
    public static func drawPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    public static func path(dataDirectory: String) -> String {
        (((dataDirectory as NSString).appendingPathComponent("api")) as NSString).appendingPathComponent("accounts.sqlite")
    }

    // MARK: - Passwords

    /// Gives `officialId` the login `login` with `password` (replacing what they had; their sessions end).
    public func setPassword(officialId: String, login: String, password: String, cost: Int? = nil, now: Date = Date()) throws {
        try Self.check(login: login)
        guard password.count >= policy.minimumPasswordLength else {
            throw AccountError.invalidPassword("a password has at least \(policy.minimumPasswordLength) characters")
        }
        let hash = Bcrypt.hash(password, cost: UInt8(cost ?? policy.bcryptCost))
        try db.write { db in
            if let holder = try String.fetchOne(db, sql: "SELECT official_id FROM accounts WHERE login = ?", arguments: [login]), holder != officialId {
                throw AccountError.loginTaken(login)
            }
            try db.execute(sql: "DELETE FROM accounts WHERE official_id = ?", arguments: [officialId])
            try db.execute(sql: "INSERT INTO accounts (login, official_id, password_hash, changed_at) VALUES (?, ?, ?, ?)",
                           arguments: [login, officialId, hash, Self.millis(now)])
            try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE official_id = ? AND revoked_at IS NULL", arguments: [Self.millis(now), officialId])
            try db.execute(sql: "DELETE FROM failures WHERE login = ?", arguments: [login])
        }
    }

    /// The login of `officialId`, if they have one.
    public func login(of officialId: String) throws -> String? {
        try db.read { db in try String.fetchOne(db, sql: "SELECT login FROM accounts WHERE official_id = ?", arguments: [officialId]) }
    }

    /// Checks a login attempt. A login locked by too many failures is refused without looking at the password; a
    /// wrong password (or an unknown login, which costs the same bcrypt work) counts a failure.
    public func verify(login: String, password: String, now: Date = Date()) throws -> LoginOutcome {
        let t = Self.millis(now)
        let (stored, failure) = try db.read { db -> (Row?, Row?) in
            (try Row.fetchOne(db, sql: "SELECT official_id, password_hash FROM accounts WHERE login = ?", arguments: [login]),
             try Row.fetchOne(db, sql: "SELECT count, last_at, locked_until FROM failures WHERE login = ?", arguments: [login]))
        }
        if let until: Int64 = failure?["locked_until"], until > t { return .locked(until: Self.date(until)) }
        let hash: String = stored?["password_hash"] ?? Self.decoyHash
        let matches = (try? Bcrypt.verify(password, hash: hash)) ?? false
        if matches, let official: String = stored?["official_id"] {
            try db.write { db in try db.execute(sql: "DELETE FROM failures WHERE login = ?", arguments: [login]) }
            return .accepted(officialId: official)
        }
        let count = try db.write { db -> Int in
            // A failure long ago no longer counts toward a lock.
            let previous: Int = (failure?["last_at"] as Int64?).map { t - $0 < policy.failureWindowMillis } == true ? (failure?["count"] ?? 0) : 0
            let count = previous + 1
            let locked: Int64? = count >= policy.failuresBeforeLock ? t + policy.lockMillis : nil
            try db.execute(sql: """
                INSERT INTO failures (login, count, last_at, locked_until) VALUES (?, ?, ?, ?)
                ON CONFLICT(login) DO UPDATE SET count = excluded.count, last_at = excluded.last_at, locked_until = excluded.locked_until
                """, arguments: [login, count, t, locked])
            return count
        }
        if count >= policy.failuresBeforeLock { return .locked(until: Self.date(t + policy.lockMillis)) }
        return .refused(failures: count, delayMillis: policy.delayMillis(afterFailures: count))
    }

    // MARK: - Sessions

    /// Opens a session (a browser's cookie or a program's bearer token) for `officialId`: returns the token, which
    /// only the caller ever sees.
    public func openSession(officialId: String, kind: SessionKind, now: Date = Date()) throws -> (token: String, expiresAt: Date) {
        let token = Data(RandomBytes.bytes(32)).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let t = Self.millis(now)
        let expires = t + policy.sessionMillis
        try db.write { db in
            try db.execute(sql: "INSERT INTO sessions (token_hash, official_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Self.digest(token), officialId, kind.rawValue, t, expires])
        }
        return (token, Self.date(expires))
    }

    /// The official a token stands for: a session neither expired nor revoked.
    public func session(_ token: String, now: Date = Date()) throws -> String? {
        guard !token.isEmpty, token.utf8.count <= 128 else { return nil }
        return try db.read { db in
            try String.fetchOne(db, sql: "SELECT official_id FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
                                arguments: [Self.digest(token), Self.millis(now)])
        }
    }

    /// Ends the session of `token` (logout).
    public func revoke(_ token: String, now: Date = Date()) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", arguments: [Self.millis(now), Self.digest(token)])
        }
    }

    /// Ends every session of `officialId` (their password was changed, they left office).
    public func revokeAll(officialId: String, now: Date = Date()) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE official_id = ? AND revoked_at IS NULL", arguments: [Self.millis(now), officialId])
        }
    }

    // MARK: - API keys

    /// Gives the program of another agency (the province's portal, the national feedback system) a key that acts as
    /// `officialId`, the registered account that stands for that program (appointed with the role and unit its scope
    /// needs): returns the key's id and the key, which only the caller ever sees (stored as its SHA-256).
    public func issueAPIKey(officialId: String, label: String, now: Date = Date()) throws -> (keyId: String, key: String) {
        let keyId = "k" + RandomId.make().replacingOccurrences(of: "-", with: "").prefix(12)
        let secret = Data(RandomBytes.bytes(24)).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let key = "pk_\(keyId)_\(secret)"
        try db.write { db in
            try db.execute(sql: "INSERT INTO api_keys (key_hash, key_id, official_id, label, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Self.digest(key), keyId, officialId, label, Self.millis(now)])
        }
        return (keyId, key)
    }

    /// The official an API key acts as, unless it was revoked.
    public func apiKey(_ key: String) throws -> String? {
        guard key.hasPrefix("pk_"), key.utf8.count <= 128 else { return nil }
        return try db.read { db in
            try String.fetchOne(db, sql: "SELECT official_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", arguments: [Self.digest(key)])
        }
    }

    /// Revokes the key `keyId`; false when no such key is in force.
    @discardableResult
    public func revokeAPIKey(_ keyId: String, now: Date = Date()) throws -> Bool {
        try db.write { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", arguments: [Self.millis(now), keyId])
            return db.changesCount > 0
        }
    }

    // MARK: -

    /// A login: 3 to 64 of `a-z 0-9 . _ -`.
    static func check(login: String) throws {
        guard (3...64).contains(login.utf8.count),
              login.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }) else {
            throw AccountError.invalidLogin("a login is 3 to 64 of the characters a-z 0-9 . _ -, got \"\(login)\"")
        }
    }

    /// Verified against when the login is unknown, so that an unknown login takes as long as a wrong password.
    private static let decoyHash = Bcrypt.hash("no account has this password", cost: 10)

    static func digest(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
