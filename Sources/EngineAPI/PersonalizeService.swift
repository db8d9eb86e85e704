public import Foundation

/// Which of Personalize's three services an operation belongs to.
public enum ServiceKind: String, Sendable, Codable {
    /// The control plane (AWS JSON 1.1, `X-Amz-Target: AmazonPersonalize.<Operation>`).
    case controlPlane
    /// Personalize Runtime (REST-JSON: `/recommendations`, `/personalize-ranking`, ...).
    case runtime
    /// Personalize Events (REST-JSON: `/events`, `/users`, `/items`, ...).
    case events
}

/// What the service model says about one operation.
public struct OperationInfo: Sendable {
    /// The operation name, e.g. `CreateSolution`.
    public let name: String
    /// The service the operation belongs to.
    public let service: ServiceKind
    /// The HTTP method of the operation.
    public let method: String
    /// The request path (`/` for the control plane).
    public let path: String
    /// The errors the service model lists for this operation.
    public let errors: [PersonalizeErrorCode]

    public init(name: String, service: ServiceKind, method: String, path: String, errors: [PersonalizeErrorCode]) {
        self.name = name
        self.service = service
        self.method = method
        self.path = path
        self.errors = errors
    }
}

/// A request of one Personalize operation; its type names the operation and its response.
public protocol PersonalizeOperation: Codable, Sendable {
    /// The response type of the operation (``EmptyResponse`` where the service returns no body).
    associatedtype Response: Codable & Sendable
    /// The operation this request is for.
    static var operation: OperationInfo { get }

    /// Calls the method of `handler` for this operation (for `CreateDatasetGroupRequest`,
    /// `handler.createDatasetGroup(self)`): dispatch checked by the compiler, not by run-time casts.
    ///
    /// Every generated conformance implements it (`scripts/generate-engine-api`).
    ///
    /// - Parameter handler: The handler of every operation, e.g. the embedded engine.
    /// - Returns: The handler's response.
    /// - Throws: Whatever the handler throws.
    func dispatch<Handler: PersonalizeHandler>(to handler: Handler) async throws -> Response
}

/// The response of operations that return nothing.
public struct EmptyResponse: Codable, Sendable, Hashable {
    public init() {}
}

/// Amazon Personalize, as a set of typed operations: the embedded engine, a `tailor serve` endpoint and
/// the real service all conform.
public protocol PersonalizeService: Sendable {
    /// Sends one request and returns its response.
    ///
    /// - Parameter request: The request; its type names the operation.
    /// - Returns: The operation's response.
    /// - Throws: ``PersonalizeError`` with the service's exception name and message.
    func send<Operation: PersonalizeOperation>(_ request: Operation) async throws -> Operation.Response
}

/// JSON coders configured as the Personalize wire protocol expects (timestamps as epoch seconds).
public enum PersonalizeJSON {
    /// An encoder with sorted keys and dates as fractional epoch seconds.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A decoder that reads dates as fractional epoch seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}
