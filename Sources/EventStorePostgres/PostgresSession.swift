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
        let inFlight = self.inFlight
        connection.closeFuture.whenComplete { _ in inFlight.withLock { $0?.fail(Closed()) } }
    }

    deinit { try? connection.close().wait() }

    /// How long a statement may go unanswered before the session counts as lost (nil: as long as it takes). The
    /// writer's session has one: a writer whose link to the database went half-open must not hang on it.
    var deadline: TimeAmount?

    /// A statement not answered within ``deadline``.
    struct Unanswered: Error, CustomStringConvertible {
        var seconds: Int64
        var description: String { "the database did not answer within \(seconds) s" }
    }

    /// The connection was closed (by the server, or the network): postgres-nio would leave a statement sent on it
    /// waiting for ever, so none is sent, and one in flight fails when the close is seen.
    struct Closed: Error, CustomStringConvertible {
        var description: String { "the connection to the database is closed" }
    }

    /// Runs one statement and collects its rows.
    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> PostgresQueryResult {
        guard !connection.isClosed else { throw Closed() }
        let future = connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        let promise = future.eventLoop.makePromise(of: PostgresQueryResult.self)
        let timer = deadline.map { deadline in
            future.eventLoop.scheduleTask(in: deadline) { promise.fail(Unanswered(seconds: deadline.nanoseconds / 1_000_000_000)) }
        }
        inFlight.withLock { $0 = promise }
        if connection.isClosed { promise.fail(Closed()) } // closed between the check and now: the close callback may have run
        future.whenComplete { result in
            timer?.cancel()
            promise.completeWith(result)
        }
        defer { inFlight.withLock { $0 = nil } }
        return try promise.futureResult.wait()
    }

    /// The statement waiting for its answer, failed when the connection closes (one callback for the session's life).
    private let inFlight = LockedPromise()

    final class LockedPromise: @unchecked Sendable { // guarded by its lock
        private let lock = NSLock()
        private var promise: EventLoopPromise<PostgresQueryResult>?
        func withLock<T>(_ body: (inout EventLoopPromise<PostgresQueryResult>?) -> T) -> T { lock.withLock { body(&promise) } }
    }

    /// The first column of the first row as an integer, nil when there is no row or it is NULL.
    func integer(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> Int64? {
        guard let row = try query(sql, binds).rows.first else { return nil }
        return try row.decode(Int64?.self)
    }

    /// Whether this database has the log's table `name` (in the session's schema).
    func tableExists(_ name: String) throws -> Bool {
        try integer("SELECT count(*) FROM pg_tables WHERE tablename = $1 AND schemaname = current_schema()", PostgresBindings(name)) == 1
    }

    /// The current transaction's 32-bit id (what `pg_stat_activity.backend_xmin` and `age()` compare with).
    func currentTransaction() throws -> Int64 {
        try integer("SELECT txid_current() % 4294967296") ?? 0
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

    /// Whether `error` ended the session itself rather than refused one statement: the connection failed or closed,
    /// a statement went unanswered, or the server ended the session (SQLSTATE class 08, connection exception, or 57,
    /// operator intervention: `pg_terminate_backend`, a shutdown).
    static func sessionLost(_ error: any Error) -> Bool {
        if error is Closed || error is Unanswered { return true }
        guard let (state, _) = serverError(error) else { return true }
        return state.hasPrefix("08") || state.hasPrefix("57")
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
