import Foundation
import HTTPTypes
import Hummingbird

/// Refuses what a browser page, or a page whose DNS name was rebound to this server, could make a visitor's
/// browser send, before anything else reads the request:
///
/// - a `Host` that is not the address the connection arrived at (or, on loopback, a loopback name) nor an
///   `--allow-host` name: `403 AccessDeniedException`;
/// - an `Origin` not listed with `--cors-origin`: `403 AccessDeniedException`; a listed one's preflight
///   (`OPTIONS`) is granted here;
/// - an operation whose `Content-Type` is not its protocol's (the control plane's
///   `application/x-amz-json-1.1`, the runtime's and events' `application/json`), so no CORS "simple
///   request" (`text/plain`, forms) reaches an operation: `UnknownOperationException` at `POST /`, as AWS's JSON
///   services answer, and `415 UnsupportedMediaTypeException` at REST-JSON paths.
///
/// It also answers the synthetic requests ``MalformedRequestHandler`` makes of unreadable ones.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = PersonalizeRequestContext

    let hosts: HostPolicy
    let cors: CORSPolicy

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let wire = PersonalizeRouter.wire(ofPath: request.uri.path)
        if request.method == MalformedRequest.method {
            return try malformed(request, context: context)
        }
        try checkHost(request, wire: wire, context: context)
        if let origin = request.headers[.origin] {
            guard cors.allows(origin) else {
                throw PersonalizeHTTPError(
                    "AccessDeniedException",
                    "Cross-origin requests from '\(Echo.printable(origin))' are not allowed; start tailor serve with "
                        + "--cors-origin \(Echo.printable(origin)) to allow them.",
                    wire: wire, status: .forbidden)
            }
            if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
                return Response(status: .noContent, headers: CORSPolicy.preflightGrant(origin))
            }
        }
        try checkContentType(request, wire: wire)
        return try await next(request, context)
    }

    private func checkHost(_ request: Request, wire: WireProtocol, context: Context) throws {
        let authority = request.head.authority
        let repeated = request.headers[values: .hostHeader].contains { $0.lowercased() != authority?.lowercased() }
        if !repeated, hosts.permits(authority: authority, local: context.local) { return }
        let named = authority.map { "Host '\(Echo.printable($0))' is" } ?? "A request without a Host is"
        let message =
            !repeated
            ? "\(named) not answered by this server; use the address it listens on, or start tailor serve with "
                + "--allow-host NAME for a name that reaches it."
            : "A request must have one Host header, or several with one value."
        throw PersonalizeHTTPError("AccessDeniedException", message, wire: wire, status: .forbidden)
    }

    private func checkContentType(_ request: Request, wire: WireProtocol) throws {
        guard request.method == .post, request.uri.path == "/" || OperationTable.rest[request.uri.path] != nil else {
            return
        }
        let declared = request.headers[.contentType]
        if let declared, Self.mediaType(declared) == wire.contentType { return }
        let got = declared.map { "Content-Type '\(Echo.printable($0))'" } ?? "A request without a Content-Type"
        switch wire {
        case .json11:
            throw PersonalizeHTTPError.unknownOperation(
                "\(got) is not an operation of this service; the control plane takes \(wire.contentType) "
                    + "(AWS JSON 1.1) with X-Amz-Target: AmazonPersonalize.<Operation>.", wire: wire)
        case .restJSON:
            throw PersonalizeHTTPError(
                "UnsupportedMediaTypeException", "\(got) is not accepted; send \(wire.contentType).", wire: wire,
                status: .unsupportedMediaType)
        }
    }

    /// The media type of a `Content-Type` value: lowercased, without parameters (`; charset=utf-8`).
    static func mediaType(_ value: String) -> String {
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The answer to a request the HTTP/1 decoder could not read: `400 SerializationException` (431 when its
    /// headers were too large), and the connection closes.
    private func malformed(_ request: Request, context: Context) throws -> Response {
        let reason = request.headers[MalformedRequest.reasonHeader] ?? "unreadable"
        let error = PersonalizeHTTPError(
            "SerializationException", MalformedRequest(reason: reason).description, wire: .restJSON,
            status: request.headers[MalformedRequest.tooLargeHeader] == nil ? .badRequest : .requestHeaderFieldsTooLarge
        )
        var response = try error.response(from: request, context: context)
        response.headers[.connection] = "close"
        return response
    }
}

extension HTTPField.Name {
    /// `Host` as an ordinary field: HTTP/1's first `Host` becomes the request's authority, any more stay fields.
    static let hostHeader = Self("Host")!
}
