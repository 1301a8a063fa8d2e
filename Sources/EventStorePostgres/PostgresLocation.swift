import EventSourcing
import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL event log is: a `postgresql://user[:password]@host[:port]/database` address, as `psql` takes it.
///
/// Understood query parameters: `sslmode=disable` (the default: loopback or a private network) or `require`
/// (TLS with the system's trust roots and host name check), and `host=/run/postgresql` for a Unix socket.
/// The password may also come from `PGPASSWORD`. ``description`` never shows the password.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable { case tcp(host: String, port: Int), socket(path: String) }
    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool

    /// Whether `text` names a PostgreSQL store rather than a file.
    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(EventStoreError) {
        guard Self.isAddress(text), let url = URLComponents(string: text) else {
            throw .storage("not a PostgreSQL address: expected postgresql://user@host:port/database")
        }
        let items = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        for name in items.keys where !["sslmode", "host"].contains(name) {
            throw .storage("the PostgreSQL address has an unknown parameter \(name.debugDescription) (known: sslmode, host)")
        }
        switch items["sslmode"] ?? "disable" {
        case "disable": requireTLS = false
        case "require", "verify-full": requireTLS = true
        case let other: throw .storage("sslmode \(other.debugDescription) is not supported (use disable or require)")
        }
        if let socket = items["host"], socket.hasPrefix("/") {
            let port = url.port ?? 5432
            endpoint = .socket(path: "\(socket)/.s.PGSQL.\(port)")
        } else {
            guard let host = url.host, !host.isEmpty else { throw .storage("the PostgreSQL address names no host") }
            endpoint = .tcp(host: host, port: url.port ?? 5432)
        }
        // URLComponents' decoded `user`, `password` and `path` (each decoded once; "%2541" stays "%41").
        guard let user = url.user, !user.isEmpty else { throw .storage("the PostgreSQL address names no user (postgresql://USER@host/database)") }
        self.user = user
        password = url.password ?? environment["PGPASSWORD"]
        let name = String(url.path.drop(while: { $0 == "/" }))
        guard !name.isEmpty else { throw .storage("the PostgreSQL address names no database (postgresql://user@host/DATABASE)") }
        database = name
    }

    public var description: String {
        switch endpoint {
        case .tcp(let host, let port): "postgresql://\(user)@\(host):\(port)/\(database)"
        case .socket(let path): "postgresql://\(user)@/\(database) (socket \(path))"
        }
    }

    var configuration: PostgresConnection.Configuration {
        get throws {
            switch endpoint {
            case .socket(let path):
                return .init(unixSocketPath: path, username: user, password: password, database: database)
            case .tcp(let host, let port):
                let tls: PostgresConnection.Configuration.TLS = requireTLS
                    ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
                return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
            }
        }
    }
}
