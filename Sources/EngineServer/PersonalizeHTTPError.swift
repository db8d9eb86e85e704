package import EngineAPI
import Foundation
import HTTPTypes
package import Hummingbird

/// An error in one of Personalize's wire protocols: it renders itself as the service would, so that
/// botocore raises the matching exception class.
///
/// AWS JSON 1.1 (the control plane) answers `{"__type": NAME, "message": ...}`; REST-JSON (runtime and
/// events) answers the same body with the status the service model gives the exception and the name
/// in `x-amzn-ErrorType` (so does an answer to `HEAD`, which carries no body).
package struct PersonalizeHTTPError: HTTPResponseError {
    /// The exception name, e.g. `ResourceNotFoundException`.
    package let code: String
    /// The message.
    package let message: String
    /// The protocol of the operation that failed.
    package let wire: WireProtocol
    package let status: HTTPResponse.Status

    package init(_ code: String, _ message: String, wire: WireProtocol, status: HTTPResponse.Status? = nil) {
        self.code = code
        self.message = message
        self.wire = wire
        self.status = status ?? Self.status(of: code, wire: wire)
    }

    /// The engine's error, in `wire`'s shape.
    package init(_ error: PersonalizeError, wire: WireProtocol) {
        self.init(error.code.rawValue, error.message, wire: wire)
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = wire.contentType
        // An answer to HEAD has no body, so the name goes in the header there too.
        if wire == .restJSON || request.method == .head { headers[.amznErrorType] = code }
        // A server that cannot answer yet (a model loading) says when to come back; the AWS SDKs retry a 503.
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        let body = try JSONSerialization.data(
            withJSONObject: ["__type": code, "message": message], options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The status the service gives `code`: in JSON 1.1 every client error is 400; REST-JSON uses the
    /// `httpStatusCode` of the service model's exception shapes.
    static func status(of code: String, wire: WireProtocol) -> HTTPResponse.Status {
        if let fixed = Self.fixedStatuses[code] { return fixed }
        guard wire == .restJSON else { return .badRequest }
        return Self.restStatuses[code] ?? .badRequest
    }

    private static let fixedStatuses: [String: HTTPResponse.Status] = [
        "InternalFailure": .internalServerError,
        "ServiceUnavailable": .serviceUnavailable,
        "MissingAuthenticationTokenException": .forbidden,
        "IncompleteSignatureException": .forbidden,
        "InvalidSignatureException": .forbidden,
        "UnrecognizedClientException": .forbidden,
        "RequestEntityTooLargeException": .contentTooLarge,
    ]

    private static let restStatuses: [String: HTTPResponse.Status] = [
        "InvalidInputException": .badRequest,
        "ResourceNotFoundException": .notFound,
        "ResourceInUseException": .conflict,
        "ResourceAlreadyExistsException": .conflict,
    ]
}

extension PersonalizeHTTPError {
    static func unknownOperation(_ message: String, wire: WireProtocol) -> Self {
        Self("UnknownOperationException", message, wire: wire)
    }

    static func serialization(_ message: String, wire: WireProtocol) -> Self {
        Self("SerializationException", message, wire: wire)
    }

    static func internalFailure(requestID: String, wire: WireProtocol) -> Self {
        Self(
            "InternalFailure", "The server failed to process request \(requestID); its log says why.", wire: wire)
    }
}

extension HTTPField.Name {
    /// The error name in REST-JSON error responses.
    static let amznErrorType = Self("x-amzn-ErrorType")!
    /// The request id on every response.
    static let amznRequestID = Self("x-amzn-RequestId")!
    /// The control-plane operation of an AWS JSON 1.1 request.
    static let amzTarget = Self("X-Amz-Target")!
}
