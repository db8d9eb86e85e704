package import EngineAPI
package import Hummingbird
import HummingbirdCore
package import Logging
import NIOCore
package import ServiceLifecycle
import UnixSignals

/// Amazon Personalize's wire protocols over any ``PersonalizeService``: what `tailor serve` runs.
///
/// The control plane is AWS JSON 1.1 (`POST /`, `X-Amz-Target: AmazonPersonalize.<Operation>`), the
/// runtime and events are REST-JSON (`POST /recommendations`, `/events`, ...), errors are shaped so that
/// botocore raises the service's exception classes, and every response carries `x-amzn-RequestId`.
package struct PersonalizeServer<Backend: PersonalizeService>: Sendable {
    package let service: Backend
    package let configuration: ServerConfiguration
    package let metrics: ServerMetrics
    package let logger: Logger

    package init(
        service: Backend, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics(),
        logger: Logger
    ) {
        self.service = service
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// The Hummingbird application; `onListening` is called with the bound host and port once it listens.
    package func application(
        onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) -> some ApplicationProtocol {
        let router = PersonalizeRouter.build(
            service: service, configuration: configuration, metrics: metrics, logger: logger)
        let host = configuration.host
        let fallbackPort = configuration.port
        return Application(
            router: router,
            server: .http1(
                configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [MalformedRequestHandler()])),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: configuration.port), serverName: "tailor"),
            onServerRunning: { channel in
                await onListening(host, channel.localAddress?.port ?? fallbackPort)
            },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting connections and returns once the requests in
    /// flight are answered.
    ///
    /// - Parameters:
    ///   - services: Services to run beside the server (the automatic-training scheduler); they stop
    ///     before it on shutdown.
    ///   - onListening: Called with the bound host and port once the server listens.
    package func run(
        services: [any Service] = [],
        onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void
    ) async throws {
        if configuration.authKeys == nil {
            logger.warning(
                """
                No auth keys configured: requests are accepted without a signature. Pass --auth-keys FILE or set \
                TAILOR_AUTH_ACCESS_KEY_ID and TAILOR_AUTH_SECRET_ACCESS_KEY to require AWS Signature V4.
                """)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application(onListening: onListening)] + services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
