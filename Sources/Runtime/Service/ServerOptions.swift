import ArgumentParser
import EventStorePostgres
import Foundation
import Logging
import Messaging

/// Command-line options shared by the server executables.
public struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "Folder holding the event log and read models.")
    public var dataDir: String = "data"

    @Option(name: .long, help: "First of the four consecutive ports (default 7400, or PETITION_BASE_PORT).")
    public var basePort: Int?

    @Option(name: .long, help: "The gateway's address: the gateway binds it, every other process connects to it.")
    public var host: String = "127.0.0.1"

    @Option(name: .long, help: "The projector's address, when it runs on another host: the projector binds it, the API and clients connect to it (default: --host).")
    public var projectorHost: String?

    @Option(name: .long, help: "Stop when this parent process is gone (set by `petitionctl up`).")
    public var parentPid: Int32?

    @Option(name: .long, help: "Unit configuration folder (units, deadline policy, holidays); default <data-dir>/config.")
    public var configDir: String?

    @Option(name: .long, help: "The event log in PostgreSQL, postgresql://user@host:port/database (default PETITION_STORE, else events.sqlite in the data folder).")
    public var store: String?

    /// `--store`, else `PETITION_STORE`.
    public var resolvedStore: String? { EventLogLocation.store(store) }

    @Option(name: .long, help: "Serve this process's metrics at http://METRICS-HOST:PORT/metrics (Prometheus text format); off when not given.")
    public var metricsPort: Int?

    @Option(name: .long, help: "The address the metrics endpoint binds (default: loopback).")
    public var metricsHost: String = "127.0.0.1"

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    public var logLevel: String = "info"

    @Option(name: .long, help: "text (one line a record, for people) or json (one JSON object a line, for a log shipper).")
    public var logFormat: String = "text"

    public init() {}

    public mutating func validate() throws {
        _ = try resolvedBasePort()
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json, got \"\(logFormat)\"") }
        if let metricsPort, !(1...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be between 1 and 65535") }
        if let store = resolvedStore {
            do { _ = try PostgresLocation(store) } catch { throw ValidationError("--store (or PETITION_STORE): \(error.message)") }
        }
    }

    /// The base port from the flag, else the environment, else the default.
    public func resolvedBasePort() throws -> Int {
        try BasePort.resolve(basePort)
    }

    public var processOptions: ProcessOptions {
        get throws { ProcessOptions(dataDirectory: dataDir, endpoints: Endpoints(host: host, basePort: try resolvedBasePort(), projectorHost: projectorHost), parentPid: parentPid,
                           configDirectory: configDir, store: resolvedStore,
                           metrics: metricsPort.map { (metricsHost, $0) }) }
    }

    /// Sends logs to standard error at the chosen level, as text or JSON lines; only executables call this.
    public func bootstrapLogging(label: String) -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            if json {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

/// The base port: `--base-port`, else `PETITION_BASE_PORT`, else 7400; checked to leave room for four ports.
public enum BasePort {
    /// The port an environment variable gives, nil when it is unset or empty.
    static func environmentPort(_ name: String) throws -> Int? {
        guard let env = ProcessInfo.processInfo.environment[name], !env.isEmpty else { return nil }
        guard let n = Int(env) else { throw ValidationError("\(name) must be a port number, got \"\(env)\"") }
        return n
    }

    public static func resolve(_ flag: Int?) throws -> Int {
        let port: Int
        if let flag {
            port = flag
        } else if let n = try environmentPort("PETITION_BASE_PORT") {
            port = n
        } else {
            port = Endpoints.defaultBasePort
        }
        guard (1024...65_530).contains(port) else {
            throw ValidationError("base port must be between 1024 and 65530 (four ports are used from it), got \(port)")
        }
        return port
    }
}

/// The HTTP API's port: the flag, else `PETITION_HTTP_PORT`, else 8080 beside the default base port and the same
/// distance from any other (base port 7500 serves HTTP on 8180), so systems side by side each get their own.
public enum HTTPPort {
    public static let `default` = 8080

    public static func resolve(_ flag: Int?, basePort: Int) throws -> Int {
        let port: Int
        if let flag {
            port = flag
        } else if let n = try BasePort.environmentPort("PETITION_HTTP_PORT") {
            port = n
        } else {
            port = Self.default + (basePort - Endpoints.defaultBasePort)
        }
        guard (1024...65_535).contains(port) else {
            throw ValidationError("the HTTP port must be between 1024 and 65535, got \(port): give --http-port")
        }
        guard !(basePort...(basePort + 3)).contains(port) else {
            throw ValidationError("the HTTP port \(port) is one of the four ZeroMQ ports from \(basePort); give another --http-port")
        }
        return port
    }
}
