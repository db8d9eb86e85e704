import Engine
import EngineAPI
import Hummingbird
import Logging
import NIOCore

/// The routes of `tailor serve`: the control plane at `POST /`, one `POST` route per runtime and events
/// operation at its service-model path, `GET /health` and `GET /metrics`.
enum PersonalizeRouter {
    /// Paths that need no signature.
    static let openPaths: Set<String> = ["/health", "/metrics"]

    /// The router answering `service`'s operations.
    static func build<Backend: PersonalizeService>(
        service: Backend, configuration: ServerConfiguration, metrics: ServerMetrics, logger: Logger
    ) -> Router<PersonalizeRequestContext> {
        let router = Router(context: PersonalizeRequestContext.self)
        let cors = CORSPolicy(origins: configuration.corsOrigins)
        // NIO's body collection traps on a negative limit; `ServerConfiguration.validate()` refuses one.
        let bodyLimit = max(0, configuration.maximumBodySize)
        router.add(middleware: RequestMiddleware(metrics: metrics, cors: cors, logger: logger))
        router.add(middleware: AccessMiddleware(hosts: HostPolicy(configuration: configuration), cors: cors))
        if let keys = configuration.authKeys {
            router.add(
                middleware: SignatureMiddleware(
                    keys: keys, region: configuration.region, maximumBodySize: bodyLimit,
                    maximumClockSkew: configuration.maximumClockSkew, clock: configuration.clock))
        }
        let responder = OperationResponder(service: service, maximumBodySize: bodyLimit)
        router.post("/") { request, context in
            try await responder.controlPlane(request, context: context)
        }
        for (path, type) in OperationTable.rest {
            router.post(RouterPath(path)) { request, context in
                try await responder.rest(type, request, context: context)
            }
        }
        router.get("/health") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/metrics") { _, _ in
            if let engine = service as? LocalEngine { metrics.record(candidateLists: engine.candidateListSummary) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        return router
    }

    /// The wire protocol of errors at `path`: JSON 1.1 at `/`, REST-JSON elsewhere.
    static func wire(ofPath path: String) -> WireProtocol {
        path == "/" || path.isEmpty ? .json11 : .restJSON
    }

    /// The operation a request is for (the metrics label), or nil for health, metrics and unknown ones
    /// (`Unknown` for requests that look like Personalize calls but name no operation).
    static func operationName(of request: Request) -> String? {
        let path = request.uri.path
        if request.method == .post, path == "/" {
            return OperationTable.controlPlaneOperation(target: request.headers[.amzTarget])?.operation.name
                ?? "Unknown"
        }
        if let type = OperationTable.rest[path] { return type.operation.name }
        return openPaths.contains(path) ? nil : "Unknown"
    }
}
