import EventStoreSQLite
import Foundation
import Logging
import Messaging
import Projections
import ServiceLifecycle
import ZeroMQ

/// What every server process is told on its command line.
public struct ProcessOptions: Sendable {
    public var dataDirectory: String
    public var endpoints: Endpoints
    /// When set, the process stops once this parent process is gone.
    public var parentPid: Int32?

    public init(dataDirectory: String, endpoints: Endpoints, parentPid: Int32? = nil) {
        self.dataDirectory = dataDirectory
        self.endpoints = endpoints
        self.parentPid = parentPid
    }

    public var eventLogPath: String { (dataDirectory as NSString).appendingPathComponent("events.sqlite") }
    public var projectionPath: String { (dataDirectory as NSString).appendingPathComponent("projections.sqlite") }

    /// Creates the data folder if needed.
    public func prepareDataDirectory() throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
    }
}

/// Builds and runs each server process; the executables' `main` calls these, and so can tests.
public enum ProcessRunner {
    /// Runs the gateway until SIGTERM/SIGINT: command writer, event feed, history.
    public static func runGateway(_ options: ProcessOptions, logger: Logger) async throws {
        try options.prepareDataDirectory()
        let store = try SQLiteEventStore(path: options.eventLogPath)
        let processor = try CommandProcessor(store: store, logger: logger)
        let context = try ZMQContext()
        let gateway = GatewayLoop(context: context, endpoints: options.endpoints, processor: processor, logger: logger)
        let history = HistoryLoop(context: context, endpoints: options.endpoints, store: store, logger: logger)
        try await run(LoopService(context: context, loops: [
            ("gateway", { try gateway.run() }),
            ("history", { try history.run() }),
        ]), context: context, options: options, logger: logger)
    }

    /// Runs the projector until SIGTERM/SIGINT.
    public static func runProjector(_ options: ProcessOptions, logger: Logger) async throws {
        try options.prepareDataDirectory()
        let model = try OutstandingReadModel(path: options.projectionPath)
        let context = try ZMQContext()
        let projector = ProjectorLoop(context: context, endpoints: options.endpoints, model: model, logger: logger)
        try await run(LoopService(context: context, loops: [("projector", { try projector.run() })]),
                      context: context, options: options, logger: logger)
    }

    private static func run(_ loops: LoopService, context: ZMQContext, options: ProcessOptions, logger: Logger) async throws {
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: loops, successTerminationBehavior: .gracefullyShutdownGroup)]
        if let parent = options.parentPid {
            services.append(.init(service: ParentWatchService(parent: parent), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer { context.terminate() }
        try await group.run()
    }
}
