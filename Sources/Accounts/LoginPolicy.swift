import Foundation

/// How logins are slowed and locked, and how long a session lasts.
public struct LoginPolicy: Sendable {
    /// bcrypt's cost (2^cost rounds): 12 takes a few hundred milliseconds here, which is what a login may cost.
    public var bcryptCost = 12
    public var minimumPasswordLength = 10
    /// Consecutive failures (within ``failureWindowMillis``) after which the login is locked.
    public var failuresBeforeLock = 5
    /// How long a locked login stays locked.
    public var lockMillis: Int64 = 15 * 60_000
    /// Failures further apart than this start the count again.
    public var failureWindowMillis: Int64 = 15 * 60_000
    /// How long a session (cookie or token) lasts.
    public var sessionMillis: Int64 = 8 * 3_600_000

    public init() {}

    /// How long the answer to a failed login is held back: longer after each failure (500 ms, 1 s, 2 s, 4 s).
    public func delayMillis(afterFailures count: Int) -> Int { 250 << min(max(count, 1), 4) }
}

/// A session for a browser (a cookie) or for a program (a bearer token).
public enum SessionKind: String, Sendable {
    case cookie
    case bearer
}

/// What a login attempt came to.
public enum LoginOutcome: Equatable, Sendable {
    case accepted(officialId: String)
    /// Wrong login or password; the answer waits `delayMillis`.
    case refused(failures: Int, delayMillis: Int)
    /// Too many failures: refused until then, whatever the password.
    case locked(until: Date)
}

/// A credential that cannot be stored.
public enum AccountError: Error, CustomStringConvertible, Equatable {
    case invalidLogin(String)
    case invalidPassword(String)
    case loginTaken(String)

    public var description: String {
        switch self {
        case .invalidLogin(let m), .invalidPassword(let m): m
        case .loginTaken(let login): "the login \(login) belongs to another official"
        }
    }
}
