import EngineServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SigV4
import TailorTestSupport
import Testing

/// What a signature must cover, as AWS's JSON services require: the body (no `UNSIGNED-PAYLOAD`), the
/// `Content-Type`, the control plane's `X-Amz-Target`, and a credential scope for the server's region; and what
/// the refusals may quote of a request (never a signature, never more than a bounded, printable excerpt).
@Suite struct SignatureScopeTests {
    let harness: ServerHarness
    init() throws { harness = try ServerHarness(configuration: ServerConfiguration(authKeys: SignatureTests.keys)) }

    /// `headers` plus the SigV4 headers of a `POST path` of `body` with the test key, signing only `names` (all
    /// of `headers` when nil), declaring `payloadHash` in `X-Amz-Content-SHA256` when given.
    static func signed(
        _ headers: HTTPFields, path: String = "/", body: String, names: [String]? = nil, region: String = "us-east-1",
        payloadHash: String? = nil
    ) -> HTTPFields {
        var fields = headers
        fields[.host] = "localhost"
        let timestamp = SigV4Timestamp.string(from: Date())
        fields[HTTPField.Name("X-Amz-Date")!] = timestamp
        if let payloadHash { fields[HTTPField.Name("X-Amz-Content-SHA256")!] = payloadHash }
        let request = SigV4Request(
            method: "POST", path: path, headers: fields.map { ($0.name.canonicalName, $0.value) },
            payloadHash: payloadHash ?? SigV4.sha256Hex(Data(body.utf8)))
        let signedNames = (names.map { $0 + ["x-amz-date"] } ?? fields.map(\.name.canonicalName)).sorted()
        let scope = SigV4Scope(date: String(timestamp.prefix(8)), region: region, service: "personalize")
        let signature = SigV4.signature(
            for: request, signedHeaders: signedNames, timestamp: timestamp, scope: scope,
            secretAccessKey: "tailor-secret")
        fields[.authorization] =
            SigV4Authorization(
                accessKeyID: "AKIDTAILOR", scope: scope, signedHeaders: signedNames, signature: signature
            )
            .headerValue
        return fields
    }

    static let control: HTTPFields = [
        .contentType: "application/x-amz-json-1.1", .amzTarget: "AmazonPersonalize.ListRecipes",
    ]

    func send(_ headers: HTTPFields, path: String = "/", body: String = "{}") async throws -> TestResponse {
        try await harness.test { client in
            try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        }
    }

    @Test(.tags(.small)) func theFullySignedRequestPasses() async throws {
        #expect(try await send(Self.signed(Self.control, body: "{}")).status == .ok)
        let declared = Self.signed(Self.control, body: "{}", payloadHash: SigV4.sha256Hex(Data("{}".utf8)))
        #expect(try await send(declared).status == .ok)
    }

    @Test(.tags(.small)) func anUnsignedPayloadIsRefused() async throws {
        let response = try await send(Self.signed(Self.control, body: "{}", payloadHash: SigV4.unsignedPayload))
        #expect(response.status == .forbidden)
        #expect(response.errorType == "InvalidSignatureException")
        #expect((response.json["message"] as? String)?.contains("UNSIGNED-PAYLOAD") == true)
    }

    @Test(.tags(.small)) func anUnsignedTargetCannotBeReplayedAsAnotherOperation() async throws {
        var headers = Self.signed(Self.control, body: "{}", names: ["content-type", "host"])
        headers[.amzTarget] = "AmazonPersonalize.DeleteDatasetGroup"
        let replayed = try await send(headers)
        #expect(replayed.status == .forbidden)
        #expect(replayed.errorType == "InvalidSignatureException")
        #expect(
            replayed.json["message"] as? String == "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.")
    }

    @Test(.tags(.small)) func theContentTypeMustBeSigned() async throws {
        let control = try await send(Self.signed(Self.control, body: "{}", names: ["host", "x-amz-target"]))
        #expect(control.errorType == "InvalidSignatureException")
        let body = #"{"campaignArn": "arn:aws:personalize:local:0:campaign/x", "userId": "u"}"#
        let runtime = try await send(
            Self.signed([.contentType: "application/json"], path: "/recommendations", body: body, names: ["host"]),
            path: "/recommendations", body: body)
        #expect(runtime.status == .forbidden)
        #expect(runtime.headers[.amznErrorType] == "InvalidSignatureException")
        #expect(
            runtime.json["message"] as? String == "'Content-Type' must be a 'SignedHeader' in the AWS Authorization.")
        let signed = try await send(
            Self.signed([.contentType: "application/json"], path: "/recommendations", body: body),
            path: "/recommendations", body: body)
        #expect(signed.headers[.amznErrorType] == "ResourceNotFoundException")
    }

    @Test(.tags(.small)) func aScopeForAnotherRegionIsRefused() async throws {
        let response = try await send(Self.signed(Self.control, body: "{}", region: "eu-west-1"))
        #expect(response.status == .forbidden)
        #expect(response.errorType == "InvalidSignatureException")
        #expect(
            response.json["message"] as? String == "Credential should be scoped to a valid region, not 'eu-west-1'. ")
    }

    @Test(.tags(.small)) func theServersRegionIsConfigurable() async throws {
        let harness = try ServerHarness(
            configuration: ServerConfiguration(authKeys: SignatureTests.keys, region: "eu-west-1"))
        try await harness.test { client in
            let local = try await client.execute(
                uri: "/", method: .post, headers: Self.signed(Self.control, body: "{}", region: "eu-west-1"),
                body: ByteBuffer(string: "{}"))
            #expect(local.status == .ok)
            let other = try await client.execute(
                uri: "/", method: .post, headers: Self.signed(Self.control, body: "{}"), body: ByteBuffer(string: "{}"))
            #expect(other.errorType == "InvalidSignatureException")
        }
    }

    @Test(.tags(.small)) func refusalsNeverQuoteSignaturesOrSecretsAndStayShort() async throws {
        let base = Self.signed(Self.control, body: "{}")
        let headers = [
            "AWS4-HMAC-SHA256 Credential=AKIDTAILOR/20250101/us-east-1/personalize/aws4_request, "
                + "SignedHeaders=host, Password=tailor-secret, Secret=tailor-secret",
            "AWS4-HMAC-SHA256 Signature=0123456789abcdef0123456789abcdef, SignedHeaders=host",
            "Bearer tailor-secret",
            "Basic dGFpbG9yOnRhaWxvci1zZWNyZXQ=",
            "AWS4-HMAC-SHA256 Credential=" + String(repeating: "tailor-secret", count: 5000),
            "AWS4-HMAC-SHA256 Credential=tailor-secret, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=\u{1}\u{7F}é, SignedHeaders=host",
        ]
        for header in headers {
            var fields = base
            fields[.authorization] = header
            let response = try await send(fields)
            let message = try #require(response.json["message"] as? String, "\(header.prefix(40))")
            #expect(response.status == .forbidden)
            #expect(!message.contains("tailor-secret"), "\(message)")
            #expect(!message.contains("0123456789abcdef"), "\(message)")
            #expect(!message.contains("dGFpbG9y"), "\(message)")
            #expect(message.count < 600, "\(message.count)")
            #expect(message.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "\(message)")
        }
        var badDate = base
        badDate[HTTPField.Name("X-Amz-Date")!] = String(repeating: "9", count: 10_000)
        let date = try await send(badDate)
        #expect((date.json["message"] as? String)?.count ?? .max < 300)
    }
}
