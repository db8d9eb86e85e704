import EngineServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SigV4
import TailorTestSupport
import Testing

/// With auth keys configured, every Personalize request must carry a valid Signature V4.
@Suite struct SignatureTests {
    static let keys = AuthKeys(["AKIDTAILOR": "tailor-secret"])
    let harness: ServerHarness
    init() throws { harness = try ServerHarness(configuration: ServerConfiguration(authKeys: Self.keys)) }

    /// Headers that sign a control-plane call of `operation` with `secret` at `date`.
    static func signed(
        _ operation: String, body: String, accessKeyID: String = "AKIDTAILOR", secret: String = "tailor-secret",
        date: Date = Date(), service: String = "personalize"
    ) -> HTTPFields {
        var fields: HTTPFields = [
            .host: "localhost", .contentType: "application/x-amz-json-1.1",
            .amzTarget: "AmazonPersonalize.\(operation)",
        ]
        let request = SigV4Request(
            method: "POST", path: "/", headers: fields.map { ($0.name.canonicalName, $0.value) },
            payloadHash: SigV4.sha256Hex(Data(body.utf8)))
        let signer = SigV4Signer(
            credentials: SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secret), region: "us-east-1",
            service: service)
        for (name, value) in signer.signingHeaders(for: request, at: date) {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return fields
    }

    @Test(.tags(.small)) func signedRequestsPass() async throws {
        try await harness.test { client in
            let body = #"{"name": "movies"}"#
            let response = try await client.execute(
                uri: "/", method: .post, headers: Self.signed("CreateDatasetGroup", body: body),
                body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(response.json["datasetGroupArn"] is String)
        }
    }

    @Test(.tags(.small)) func unsignedRequestsAreRefused() async throws {
        try await harness.test { client in
            let control = try await client.control("ListRecipes", "{}")
            #expect(control.status == .forbidden)
            #expect(control.errorType == "MissingAuthenticationTokenException")
            let runtime = try await client.rest("/recommendations", "{}")
            #expect(runtime.status == .forbidden)
            #expect(runtime.headers[.amznErrorType] == "MissingAuthenticationTokenException")
        }
    }

    @Test(.tags(.small)) func aWrongSecretIsAnInvalidSignature() async throws {
        try await harness.test { client in
            let body = "{}"
            let response = try await client.execute(
                uri: "/", method: .post, headers: Self.signed("ListRecipes", body: body, secret: "guessed"),
                body: ByteBuffer(string: body))
            #expect(response.status == .forbidden)
            #expect(response.errorType == "InvalidSignatureException")
            #expect((response.json["message"] as? String)?.hasPrefix("The request signature we calculated") == true)
        }
    }

    @Test(.tags(.small)) func aTamperedBodyIsAnInvalidSignature() async throws {
        try await harness.test { client in
            let response = try await client.execute(
                uri: "/", method: .post, headers: Self.signed("CreateDatasetGroup", body: #"{"name": "a"}"#),
                body: ByteBuffer(string: #"{"name": "b"}"#))
            #expect(response.errorType == "InvalidSignatureException")
        }
    }

    @Test(.tags(.small)) func anUnknownAccessKeyIsUnrecognized() async throws {
        try await harness.test { client in
            let response = try await client.execute(
                uri: "/", method: .post, headers: Self.signed("ListRecipes", body: "{}", accessKeyID: "AKIDOTHER"),
                body: ByteBuffer(string: "{}"))
            #expect(response.status == .forbidden)
            #expect(response.errorType == "UnrecognizedClientException")
        }
    }

    @Test(.tags(.small)) func expiredOrMisscopedSignaturesAreRefused() async throws {
        try await harness.test { client in
            let old = try await client.execute(
                uri: "/", method: .post,
                headers: Self.signed("ListRecipes", body: "{}", date: Date().addingTimeInterval(-3600)),
                body: ByteBuffer(string: "{}"))
            #expect(old.errorType == "InvalidSignatureException")
            #expect((old.json["message"] as? String)?.hasPrefix("Signature expired") == true)
            let otherService = try await client.execute(
                uri: "/", method: .post, headers: Self.signed("ListRecipes", body: "{}", service: "s3"),
                body: ByteBuffer(string: "{}"))
            #expect(otherService.errorType == "InvalidSignatureException")
        }
    }

    @Test(.tags(.small)) func malformedAuthorizationIsAnIncompleteSignature() async throws {
        try await harness.test { client in
            var headers = Self.signed("ListRecipes", body: "{}")
            headers[.authorization] =
                "AWS4-HMAC-SHA256 Credential=AKIDTAILOR/20250101/us-east-1/personalize/aws4_request"
            let response = try await client.execute(
                uri: "/", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(response.status == .forbidden)
            #expect(response.errorType == "IncompleteSignatureException")
        }
    }

    @Test(.tags(.small)) func healthAndMetricsStayOpen() async throws {
        try await harness.test { client in
            let health = try await client.execute(uri: "/health", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(health.status == .ok)
            #expect(metrics.status == .ok)
        }
    }

    @Test(.tags(.small)) func keysFilesAreParsedWithLineNumbersInErrors() throws {
        let keys = try AuthKeys.parse("# tailor keys\n\nAKID1 secret1\n  AKID2\tsecret2  \n", path: "keys")
        #expect(keys == AuthKeys(["AKID1": "secret1", "AKID2": "secret2"]))
        #expect(throws: AuthKeys.LoadError.malformedLine(path: "keys", line: 2)) {
            try AuthKeys.parse("AKID1 secret1\nAKID2\n", path: "keys")
        }
        #expect(throws: AuthKeys.LoadError.empty(path: "keys")) { try AuthKeys.parse("# none\n", path: "keys") }
        let fromEnvironment = try AuthKeys.load(
            file: nil, environment: ["TAILOR_AUTH_ACCESS_KEY_ID": "A", "TAILOR_AUTH_SECRET_ACCESS_KEY": "S"])
        #expect(fromEnvironment == AuthKeys(["A": "S"]))
        #expect(try AuthKeys.load(file: nil, environment: [:]) == nil)
        #expect(throws: AuthKeys.LoadError.incompleteEnvironment(missing: "TAILOR_AUTH_SECRET_ACCESS_KEY")) {
            try AuthKeys.load(file: nil, environment: ["TAILOR_AUTH_ACCESS_KEY_ID": "A"])
        }
    }
}
