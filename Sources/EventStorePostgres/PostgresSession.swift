import EventSourcing
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One PostgreSQL connection used from one thread at a time, synchronously.
///
/// The store's protocol is synchronous (its callers are loop threads, never Swift tasks), so each statement is
/// postgres-nio's future, waited for on the calling thread; the connection's I/O runs on NIO's shared event loops.
final class PostgresSession: @unchecked Sendable { // one thread at a time, as the store's protocol says
    let location: PostgresLocation
    private let connection: PostgresConnection
    private let logger: Logger
    nonisolated(unsafe) private static var nextId = 0
    private static let ids = NSLock()

    init(_ location: PostgresLocation) throws(EventStoreError) {
        self.location = location
        logger = Logger(label: "event-log.postgresql")
        let id = Self.ids.withLock { Self.nextId += 1; return Self.nextId }
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                        configuration: try location.configuration, id: id, logger: logger).wait()
        } catch {
            throw .storage("cannot connect to the event log at \(location): \(Self.explain(error))")
        }
    }

    deinit { try? connection.close().wait() }

    /// Runs one statement and collects its rows.
    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> PostgresQueryResult {
        try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
    }

    /// Runs one statement and hands each row to `onRow` as it arrives.
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), onRow: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        _ = try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger, onRow).wait()
    }

    /// The first column of the first row as an integer, nil when there is no row or it is NULL.
    func integer(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> Int64? {
        guard let row = try query(sql, binds).rows.first else { return nil }
        return try row.decode(Int64?.self)
    }

    /// `body` inside BEGIN … COMMIT (`begin` says how), rolled back if it throws.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try query(begin)
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// The server's SQLSTATE code and constraint of a failed statement.
    static func serverError(_ error: any Error) -> (state: String, constraint: String?)? {
        guard let error = error as? PSQLError, let info = error.serverInfo, let state = info[.sqlState] else { return nil }
        return (state, info[.constraintName])
    }

    /// A failure as an operator can act on it (the server's own message where there is one).
    static func explain(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }
}

extension PostgresBindings {
    /// Binds from a list of values.
    init(_ values: any PostgresDynamicTypeEncodable...) {
        self.init(capacity: values.count)
        for value in values { append(value) }
    }
}
