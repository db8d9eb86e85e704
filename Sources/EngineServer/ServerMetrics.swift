import Metrics
package import Prometheus
import Synchronization

/// Request counts and latencies per operation, in a Prometheus registry of the server's own (not the
/// process-wide `MetricsSystem`, so that several servers in one process keep apart).
package struct ServerMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    package let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// The counter and timer of each operation and status seen, made once: making them through the factory
    /// takes the registry's lock and hashes their labels, a cost of its own on every request.
    private let instruments = Instruments()

    private struct Instrument: Hashable {
        let operation: String
        let status: Int
    }

    private final class Instruments: Sendable {
        let made = Mutex<[Instrument: (counter: Metrics.Counter, timer: Metrics.Timer)]>([:])
    }

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// Counts one request of `operation` answered with `status` and records how long it took.
    func record(operation: String, status: Int, duration: Duration) {
        let key = Instrument(operation: operation, status: status)
        let instrument = instruments.made.withLock { instruments in
            if let made = instruments[key] { return made }
            let made = (
                counter: Counter(
                    label: "tailor_requests_total",
                    dimensions: [("operation", operation), ("status", String(status))], factory: factory),
                timer: Timer(
                    label: "tailor_request_duration_seconds", dimensions: [("operation", operation)],
                    factory: factory)
            )
            instruments[key] = made
            return made
        }
        instrument.counter.increment()
        instrument.timer.record(duration: duration)
    }

    /// Sets the gauges of the engine's precomputed answers (``Engine/CandidateListStore``): per campaign, the
    /// users precomputed, the bytes held and the seconds their computation took.
    func record(candidateLists: [(campaignArn: String, users: Int, bytes: Int, seconds: Double)]) {
        for lists in candidateLists {
            let dimensions = [("campaign", lists.campaignArn)]
            Gauge(label: "tailor_candidate_list_users", dimensions: dimensions, factory: factory).record(lists.users)
            Gauge(label: "tailor_candidate_list_bytes", dimensions: dimensions, factory: factory).record(lists.bytes)
            Gauge(label: "tailor_candidate_list_seconds", dimensions: dimensions, factory: factory).record(
                lists.seconds)
        }
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
