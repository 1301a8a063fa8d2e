import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle

/// A process's own metrics (`--metrics-port`): what it counts through swift-metrics, served by swift-prometheus
/// in Prometheus's text format at `http://HOST:PORT/metrics`, with `/health/live` beside it. The gateway counts
/// commands by type and outcome, its commits' latency and size and the log's head; the projector its position
/// and lag; the escalator the escalations due and sent; the notifier its deliveries by sink and outcome.
public struct ProcessMetrics: Sendable {
    public let host: String
    public let port: Int
    let registry: PrometheusCollectorRegistry

    /// Sets up the process's metrics, once, before anything counts (swift-metrics' factory is bootstrapped here).
    public static func bootstrap(host: String, port: Int) -> ProcessMetrics {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return ProcessMetrics(host: host, port: port, registry: registry)
    }

    /// The HTTP service that serves them, to run with the process's loops.
    func service(process: String, logger: Logger) -> some Service {
        let router = Router()
        let registry = self.registry
        router.get("metrics") { _, _ in
            var text: [UInt8] = []
            registry.emit(into: &text)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        router.get("health/live") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"live"}"#)))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: process), logger: logger)
    }
}
