import Engine
import EngineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TailorTestSupport

/// A `PersonalizeServer` over a real `LocalEngine` on a temporary folder.
struct ServerHarness {
    let engineHarness: EngineHarness
    let server: PersonalizeServer<LocalEngine>

    init(configuration: ServerConfiguration = ServerConfiguration()) throws {
        engineHarness = try EngineHarness()
        var logger = Logger(label: "tailor.server.test")
        logger.logLevel = .critical
        server = PersonalizeServer(service: engineHarness.engine, configuration: configuration, logger: logger)
    }

    var engine: LocalEngine { engineHarness.engine }

    /// Runs `body` against the application, in process (`.router`) or on a loopback port (`.live`).
    func test<Value: Sendable>(
        _ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        try await server.application().test(setup, body)
    }
}

extension HTTPField.Name {
    static let amzTarget = Self("X-Amz-Target")!
    static let amznRequestID = Self("x-amzn-RequestId")!
    static let amznErrorType = Self("x-amzn-ErrorType")!
    static let host = Self("Host")!
}

extension TestClientProtocol {
    /// Calls a control-plane operation the way botocore does: `POST /` with `X-Amz-Target`.
    func control(_ operation: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-amz-json-1.1"
        headers[.amzTarget] = "AmazonPersonalize.\(operation)"
        return try await execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Calls a runtime or events operation: `POST path` with a JSON body.
    func rest(_ path: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

extension TestResponse {
    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The body as text.
    var text: String { String(buffer: body) }

    /// The `__type` of an error body.
    var errorType: String? { json["__type"] as? String }
}

/// A JSON document for a request body.
func json(_ object: [String: Any]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}
