import Foundation
import Hummingbird
import Logging
import Messaging
import Metrics
import Prometheus
import Runtime
import ServiceLifecycle

/// Runs `petition-api` until SIGTERM/SIGINT (or its parent `petitionctl up` is gone): the executable's `main`
/// calls this, and so can tests.
public enum APIServer {
    public static func run(_ options: ProcessOptions, httpHost: String, httpPort: Int, secureCookies: Bool, logger: Logger) async throws {
        if options.metrics != nil {
            throw CLIError("petition-api serves its metrics at /metrics on its HTTP port (--http-port): leave out --metrics-port", exitCode: 2)
        }
        try options.prepareDataDirectory()
        let api = try PetitionAPI(dataDirectory: options.dataDirectory, endpoints: options.endpoints, secureCookies: secureCookies, logger: logger,
                                 configDirectory: options.configDirectory, store: options.store)
        defer { api.shutdown() }
        // Request counts and latencies by route and status, in Prometheus's text format at /metrics.
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        // The officials' web pages beside the API (their templates and assets ship with the executable).
        let web = try await WebApp.load(api: api)
        let app = Application(router: APIRoutes.router(api, metrics: metrics, web: web),
                              configuration: .init(address: .hostname(httpHost, port: httpPort), serverName: "petition-api"),
                              onServerRunning: { channel in
                                  logger.notice("petition-api listening", metadata: ["http.address": "\(channel.localAddress?.description ?? "")"])
                              },
                              logger: logger)
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: app, successTerminationBehavior: .gracefullyShutdownGroup)]
        if let parent = options.parentPid {
            services.append(.init(service: ParentWatchService(parent: parent), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
