import Engine
import Foundation
import HTTPTypes
import Hummingbird
import SigV4

/// Refuses requests without a valid AWS Signature V4 for one of the configured keys, with the
/// exceptions AWS answers (`MissingAuthenticationTokenException`, `IncompleteSignatureException`,
/// `UnrecognizedClientException`, `InvalidSignatureException`). `GET /health` and `GET /metrics` stay open.
///
/// As AWS's JSON services, it requires the signature to cover the body (no `UNSIGNED-PAYLOAD`), the
/// `Content-Type` and, at the control plane, the `X-Amz-Target` naming the operation, so that a signed request
/// cannot be replayed as another operation; and the credential scope must name the server's region.
struct SignatureMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: AuthKeys
    let region: String
    let maximumBodySize: Int
    let maximumClockSkew: Duration
    let clock: any EngineClock

    /// The signing name of all three Personalize services.
    static var service: String { "personalize" }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .get, PersonalizeRouter.openPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        var request = request
        let body = try await request.collectBody(upTo: maximumBodySize)
        try verify(request, body: Data(body.readableBytesView))
        return try await next(request, context)
    }

    /// Checks the request's signature.
    ///
    /// - Throws: ``PersonalizeHTTPError`` with the exception AWS gives the same fault.
    func verify(_ request: Request, body: Data) throws {
        let wire = PersonalizeRouter.wire(ofPath: request.uri.path)
        func refuse(_ code: String, _ message: String) -> PersonalizeHTTPError {
            PersonalizeHTTPError(code, message, wire: wire)
        }
        guard let header = request.headers[.authorization] else {
            throw refuse("MissingAuthenticationTokenException", "Request is missing Authentication Token")
        }
        let authorization: SigV4Authorization
        do {
            authorization = try SigV4Authorization(parsing: header)
        } catch {
            throw refuse(
                "IncompleteSignatureException",
                "\(error.description) Authorization=\(SigV4Authorization.redactedEcho(of: header))")
        }
        guard let secret = keys.secrets[authorization.accessKeyID] else {
            throw refuse("UnrecognizedClientException", "The security token included in the request is invalid.")
        }
        let timestamp = try checkedTimestamp(request, authorization, refuse)
        let signed = try signedRequest(request, body: body, authorization, refuse)
        let expected = SigV4.signature(
            for: signed, signedHeaders: authorization.signedHeaders, timestamp: timestamp,
            scope: authorization.scope, secretAccessKey: secret)
        guard SigV4.constantTimeEquals(expected, authorization.signature) else {
            throw refuse(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS "
                    + "Secret Access Key and signing method. Consult the service documentation for details.")
        }
    }

    /// The `X-Amz-Date` of the request, checked against the scope and the clock.
    private func checkedTimestamp(
        _ request: Request, _ authorization: SigV4Authorization,
        _ refuse: (String, String) -> PersonalizeHTTPError
    ) throws -> String {
        guard let timestamp = request.headers[.amzDate] else {
            throw refuse(
                "IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard let date = SigV4Timestamp.date(from: timestamp) else {
            throw refuse(
                "IncompleteSignatureException",
                "X-Amz-Date must be in the ISO-8601 basic format yyyyMMdd'T'HHmmss'Z', got "
                    + "'\(Echo.printable(timestamp, limit: 32))'.")
        }
        guard authorization.scope.date == timestamp.prefix(8) else {
            throw refuse(
                "InvalidSignatureException",
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(Echo.printable(authorization.scope.date))' != '\(timestamp.prefix(8))'.")
        }
        guard authorization.scope.service == Self.service else {
            throw refuse(
                "InvalidSignatureException",
                "Credential should be scoped to correct service: '\(Self.service)'.")
        }
        guard authorization.scope.region == region else {
            throw refuse(
                "InvalidSignatureException",
                "Credential should be scoped to a valid region, not '\(Echo.printable(authorization.scope.region))'. ")
        }
        let now = clock.now()
        let skew = Double(maximumClockSkew.components.seconds)
        let minutes = Int(skew / 60)
        if date < now.addingTimeInterval(-skew) {
            throw refuse(
                "InvalidSignatureException",
                "Signature expired: \(timestamp) is now earlier than "
                    + "\(SigV4Timestamp.string(from: now.addingTimeInterval(-skew))) "
                    + "(\(SigV4Timestamp.string(from: now)) - \(minutes) min.)")
        }
        if date > now.addingTimeInterval(skew) {
            throw refuse(
                "InvalidSignatureException",
                "Signature not yet current: \(timestamp) is still later than "
                    + "\(SigV4Timestamp.string(from: now.addingTimeInterval(skew))) "
                    + "(\(SigV4Timestamp.string(from: now)) + \(minutes) min.)")
        }
        return timestamp
    }

    /// The request as the signature covers it: its signed headers (the host from `:authority` when
    /// HTTP/1's `Host` was moved there) and the payload hash.
    private func signedRequest(
        _ request: Request, body: Data, _ authorization: SigV4Authorization,
        _ refuse: (String, String) -> PersonalizeHTTPError
    ) throws -> SigV4Request {
        guard authorization.signedHeaders.contains("host") else {
            throw refuse(
                "InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
            )
        }
        for (name, header) in Self.requiredSignedHeaders(wire: PersonalizeRouter.wire(ofPath: request.uri.path))
        where !authorization.signedHeaders.contains(name) {
            throw refuse("InvalidSignatureException", "'\(header)' must be a 'SignedHeader' in the AWS Authorization.")
        }
        var headers: [(name: String, value: String)] = []
        for name in authorization.signedHeaders {
            guard let field = HTTPField.Name(name) else { continue }
            let values = request.headers[values: field]
            if values.isEmpty, name == "host", let authority = request.head.authority {
                headers.append((name, authority))
            }
            headers += values.map { (name, $0) }
        }
        let payloadHash = SigV4.sha256Hex(body)
        for declared in request.headers[values: .amzContentSHA256] where declared != payloadHash {
            throw refuse(
                "InvalidSignatureException",
                declared == SigV4.unsignedPayload
                    ? "x-amz-content-sha256 UNSIGNED-PAYLOAD is not accepted: the signature must cover the body. "
                        + "Send the body's hex SHA-256, or leave the header out."
                    : "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        let target = request.head.path ?? "/"
        let (path, query) =
            target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) }
            ?? (target, "")
        return SigV4Request(
            method: request.method.rawValue, path: path, query: query, headers: headers, payloadHash: payloadHash)
    }
}

extension SignatureMiddleware {
    /// The headers besides `host` a signature must cover (lowercase name, display name): the body's type,
    /// and at the control plane the operation.
    static func requiredSignedHeaders(wire: WireProtocol) -> [(String, String)] {
        switch wire {
        case .json11: [("content-type", "Content-Type"), ("x-amz-target", "X-Amz-Target")]
        case .restJSON: [("content-type", "Content-Type")]
        }
    }
}

extension HTTPField.Name {
    static let amzDate = Self("X-Amz-Date")!
    static let amzContentSHA256 = Self("X-Amz-Content-SHA256")!
}
