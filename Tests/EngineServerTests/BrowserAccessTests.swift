import EngineServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TailorTestSupport
import Testing

/// What a web page could make a browser send is refused: operations in another `Content-Type` (CORS "simple
/// requests" need no preflight), origins not listed with `--cors-origin`, and `Host` names the server was not
/// told about (DNS rebinding).
@Suite struct BrowserAccessTests {
    static let app = "https://app.example.com"

    /// Calls `path` with `body` and exactly `headers`.
    static func post(
        _ client: some TestClientProtocol, _ path: String, _ body: String, _ headers: HTTPFields
    ) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(.tags(.small)) func aCrossOriginTextPlainEventIsRefused() async throws {
        let harness = try ServerHarness()
        try await harness.test { client in
            let event = json([
                "trackingId": "t", "sessionId": "s",
                "eventList": [["eventType": "click", "itemId": "i", "sentAt": 1_700_000_000]],
            ])
            let simple = try await Self.post(
                client, "/events", event, [.contentType: "text/plain", .origin: "https://attacker.example"])
            #expect(simple.status == .forbidden)
            #expect(simple.headers[.amznErrorType] == "AccessDeniedException")
            #expect(simple.headers[.accessControlAllowOrigin] == nil)
            let sameOrigin = try await Self.post(client, "/events", event, [.contentType: "text/plain"])
            #expect(sameOrigin.status == .unsupportedMediaType)
            #expect(sameOrigin.headers[.amznErrorType] == "UnsupportedMediaTypeException")
            #expect(sameOrigin.errorType == "UnsupportedMediaTypeException")
            #expect((sameOrigin.json["message"] as? String)?.contains("application/json") == true)
            // In the protocol's type, the same body reaches the operation (no such tracker).
            let json = try await Self.post(client, "/events", event, [.contentType: "application/json"])
            #expect(json.status == .notFound)
        }
    }

    @Test(.tags(.small)) func operationsRequireTheirProtocolsContentType() async throws {
        let harness = try ServerHarness()
        try await harness.test { client in
            let target: HTTPFields = [.amzTarget: "AmazonPersonalize.ListRecipes"]
            for type in ["text/plain", "application/json", "application/x-www-form-urlencoded", "multipart/form-data"] {
                var headers = target
                headers[.contentType] = type
                let response = try await Self.post(client, "/", "{}", headers)
                #expect(response.status == .badRequest, "\(type)")
                #expect(response.errorType == "UnknownOperationException", "\(type)")
            }
            #expect(try await Self.post(client, "/", "{}", target).errorType == "UnknownOperationException")
            for type in [
                "application/x-amz-json-1.1", "application/x-amz-json-1.1; charset=utf-8", "Application/X-Amz-JSON-1.1",
            ] {
                var headers = target
                headers[.contentType] = type
                #expect(try await Self.post(client, "/", "{}", headers).status == .ok, "\(type)")
            }
            let runtime = #"{"campaignArn": "arn:aws:personalize:local:0:campaign/x", "userId": "u"}"#
            for type in ["text/plain", "application/x-amz-json-1.1", "text/json"] {
                let response = try await Self.post(client, "/recommendations", runtime, [.contentType: type])
                #expect(response.status == .unsupportedMediaType, "\(type)")
            }
            #expect(try await Self.post(client, "/recommendations", runtime, [:]).status == .unsupportedMediaType)
            let charset = try await Self.post(
                client, "/recommendations", runtime, [.contentType: "application/json; charset=UTF-8"])
            #expect(charset.headers[.amznErrorType] == "ResourceNotFoundException")
        }
    }

    @Test(.tags(.small)) func withoutCORSOriginsNoPreflightIsGranted() async throws {
        let harness = try ServerHarness()
        try await harness.test { client in
            let preflight = try await client.execute(
                uri: "/", method: .options,
                headers: [
                    .origin: "http://localhost:3000", .accessControlRequestMethod: "POST",
                    .accessControlRequestHeaders: "content-type,x-amz-target",
                ])
            #expect(preflight.status == .forbidden)
            #expect(preflight.headers[.accessControlAllowOrigin] == nil)
            #expect(preflight.headers[.accessControlAllowMethods] == nil)
            #expect(preflight.errorType == "AccessDeniedException")
            let call = try await client.control("ListRecipes", "{}", headers: [.origin: "http://localhost:3000"])
            #expect(call.status == .forbidden)
            #expect(call.errorType == "AccessDeniedException")
            #expect(call.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test(.tags(.small)) func listedOriginsAreGrantedExactly() async throws {
        let harness = try ServerHarness(configuration: ServerConfiguration(corsOrigins: [Self.app]))
        try await harness.test { client in
            let preflight = try await client.execute(
                uri: "/recommendations", method: .options,
                headers: [.origin: Self.app, .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == Self.app)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let allowed = preflight.headers[.accessControlAllowHeaders] ?? ""
            for header in ["authorization", "content-type", "x-amz-date", "x-amz-target", "x-amz-security-token"] {
                #expect(allowed.contains(header), "\(header)")
            }
            #expect(preflight.headers[.accessControlAllowCredentials] == nil)

            let call = try await client.control("ListRecipes", "{}", headers: [.origin: Self.app])
            #expect(call.status == .ok)
            #expect(call.headers[.accessControlAllowOrigin] == Self.app)
            #expect(call.headers[.accessControlExposeHeaders]?.contains("x-amzn-RequestId") == true)
            #expect(call.headers[.vary] == "Origin")
            let failed = try await client.rest(
                "/recommendations", #"{"campaignArn": "arn:aws:personalize:local:0:campaign/x"}"#,
                headers: [.origin: Self.app])
            #expect(failed.status == .notFound)
            #expect(failed.headers[.accessControlAllowOrigin] == Self.app)

            for other in ["https://app.example.com.attacker.example", "http://app.example.com", "null"] {
                let refused = try await client.control("ListRecipes", "{}", headers: [.origin: other])
                #expect(refused.status == .forbidden, "\(other)")
                #expect(refused.headers[.accessControlAllowOrigin] == nil, "\(other)")
                let otherPreflight = try await client.execute(
                    uri: "/", method: .options, headers: [.origin: other, .accessControlRequestMethod: "POST"])
                #expect(otherPreflight.status == .forbidden, "\(other)")
            }
        }
    }

    @Test(.tags(.small)) func requestsWithoutOriginAreUnaffected() async throws {
        let harness = try ServerHarness(configuration: ServerConfiguration(corsOrigins: [Self.app]))
        try await harness.test { client in
            let call = try await client.control("ListRecipes", "{}")
            #expect(call.status == .ok)
            #expect(call.headers[.accessControlAllowOrigin] == nil)
            let options = try await client.execute(uri: "/", method: .options)
            #expect([.notFound, .methodNotAllowed].contains(options.status))
            #expect(options.errorType == "UnknownOperationException")
        }
    }
}
