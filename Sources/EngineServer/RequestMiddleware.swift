import Engine
import Hummingbird
import Logging

/// The outermost middleware: gives every response an `x-amzn-RequestId` (and, for an origin listed with
/// `--cors-origin`, the headers that let its page read the response), renders every error in the
/// operation's wire protocol (unexpected ones logged and answered with a generic 500), counts and
/// times requests per operation, and logs one line per request.
struct RequestMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let cors: CORSPolicy
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let requestID = UniqueIDs.uuidString()
        let operation = PersonalizeRouter.operationName(of: request)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try rendered(error, request: request, context: context, requestID: requestID)
        }
        response.headers[.amznRequestID] = requestID
        if let origin = request.headers[.origin], cors.allows(origin) {
            CORSPolicy.grant(origin, to: &response.headers)
        }
        let elapsed = ContinuousClock.now - start
        if let operation {
            metrics.record(operation: operation, status: response.status.code, duration: elapsed)
        }
        logger.debug(
            "request",
            metadata: [
                "request_id": .string(requestID), "operation": .string(operation ?? request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible(milliseconds(elapsed)),
            ])
        return response
    }

    /// The response for an error thrown while answering `request`.
    private func rendered(
        _ error: any Error, request: Request, context: Context, requestID: String
    ) throws -> Response {
        let wire = PersonalizeRouter.wire(ofPath: request.uri.path)
        let personalizeError: PersonalizeHTTPError
        switch error {
        case let error as PersonalizeHTTPError:
            personalizeError = error
        case let error as MalformedRequest:
            personalizeError = .serialization(error.description, wire: wire)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            personalizeError = PersonalizeHTTPError(
                "RequestEntityTooLargeException", "The request body is larger than the server accepts.", wire: wire)
        case let error as any HTTPResponseError where error.status == .notFound || error.status == .methodNotAllowed:
            personalizeError = PersonalizeHTTPError(
                "UnknownOperationException",
                "No operation is served at \(Echo.printable(request.method.rawValue, limit: 32)) "
                    + "\(Echo.printable(request.uri.path)).", wire: wire,
                status: error.status)
        default:
            logger.error(
                "request failed",
                metadata: [
                    "request_id": .string(requestID), "path": .string(request.uri.path),
                    "error": .string(String(reflecting: error)),
                ])
            personalizeError = .internalFailure(requestID: requestID, wire: wire)
        }
        return try personalizeError.response(from: request, context: context)
    }
}

/// `duration` in milliseconds.
private func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
