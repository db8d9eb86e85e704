import Foundation
import SigV4
import TailorTestSupport
import Testing

/// The signer against botocore's own output for the same requests (`SigV4Auth.add_auth` at
/// 2015-08-30T12:36:00Z with AWS's example credentials); the first is the AWS test suite's `get-vanilla`.
@Suite struct SigV4Tests {
    static let credentials = SigV4Credentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let request: SigV4Request
        let region: String
        let service: String
        let sessionToken: String?
        let signedHeaders: String
        let signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "get-vanilla",
            request: SigV4Request(
                method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")],
                payloadHash: SigV4.sha256Hex(Data())),
            region: "us-east-1", service: "service", sessionToken: nil, signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "control plane (JSON 1.1)",
            request: SigV4Request(
                method: "POST", path: "/",
                headers: [
                    ("Host", "127.0.0.1:8080"), ("Content-Type", "application/x-amz-json-1.1"),
                    ("X-Amz-Target", "AmazonPersonalize.CreateDatasetGroup"),
                ],
                payloadHash: SigV4.sha256Hex(Data(#"{"name": "movies"}"#.utf8))),
            region: "us-east-1", service: "personalize", sessionToken: nil,
            signedHeaders: "content-type;host;x-amz-date;x-amz-target",
            signature: "43eb1e078bdc86dbcad1738e434961000894a0d5b5557c78b5862ff13fea43f6"),
        Vector(
            name: "runtime (REST-JSON) with a session token",
            request: SigV4Request(
                method: "POST", path: "/recommendations",
                headers: [("Host", "127.0.0.1:8080"), ("Content-Type", "application/json")],
                payloadHash: SigV4.sha256Hex(
                    Data(
                        #"{"campaignArn": "arn:aws:personalize:local:000000000000:campaign/top", "userId": "u1"}"#.utf8)
                )
            ),
            region: "eu-west-1", service: "personalize", sessionToken: "SESSIONTOKEN",
            signedHeaders: "content-type;host;x-amz-date;x-amz-security-token",
            signature: "e2c9926a257212b738d44048dcc6f0544968e663ab729ba32c1da36b568092b4"),
        Vector(
            name: "dot segments, encoding, sorted query, folded header value",
            request: SigV4Request(
                method: "GET", path: "/a/../b//c/./d%20e", query: "b=2&a=1&a=0",
                headers: [("Host", "example.amazonaws.com"), ("My-Header", "  x   y  ")],
                payloadHash: SigV4.sha256Hex(Data())),
            region: "us-east-1", service: "service", sessionToken: nil, signedHeaders: "host;my-header;x-amz-date",
            signature: "76400a3b2d0a90951cf2dd58c5367fa880f50b42a91098d7f6c68a1cfad75ecb"),
    ]

    @Test(.tags(.small), arguments: vectors) func signsAsBotocoreDoes(_ vector: Vector) throws {
        var credentials = Self.credentials
        credentials.sessionToken = vector.sessionToken
        let signer = SigV4Signer(credentials: credentials, region: vector.region, service: vector.service)
        let headers = signer.signingHeaders(for: vector.request, at: Self.date)
        #expect(headers.first { $0.name == "X-Amz-Date" }?.value == "20150830T123600Z")
        #expect(headers.first { $0.name == "X-Amz-Security-Token" }?.value == vector.sessionToken)
        let authorization = try #require(headers.first { $0.name == "Authorization" }?.value)
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/\(vector.region)/\(vector.service)/aws4_request, "
                + "SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")
    }

    @Test(.tags(.small)) func authorizationHeadersRoundTrip() throws {
        let header =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/personalize/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=abc123"
        let parsed = try SigV4Authorization(parsing: header)
        #expect(parsed.accessKeyID == "AKIDEXAMPLE")
        #expect(parsed.scope == SigV4Scope(date: "20150830", region: "us-east-1", service: "personalize"))
        #expect(parsed.signedHeaders == ["content-type", "host", "x-amz-date"])
        #expect(parsed.signature == "abc123")
        #expect(parsed.headerValue == header)
        #expect(throws: SigV4Authorization.ParseError.unsupportedAlgorithm) {
            try SigV4Authorization(parsing: "AWS4-HMAC-SHA1 Credential=a/b/c/d/aws4_request")
        }
        #expect(throws: SigV4Authorization.ParseError.missingPart("Signature")) {
            try SigV4Authorization(
                parsing:
                    "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/personalize/aws4_request, SignedHeaders=host")
        }
        #expect(throws: SigV4Authorization.ParseError.malformedCredential("AKID/2015")) {
            try SigV4Authorization(parsing: "AWS4-HMAC-SHA256 Credential=AKID/2015, SignedHeaders=host, Signature=00")
        }
    }

    @Test(.tags(.small)) func timestampsRoundTripAndRejectGarbage() {
        #expect(SigV4Timestamp.string(from: Self.date) == "20150830T123600Z")
        #expect(SigV4Timestamp.date(from: "20150830T123600Z") == Self.date)
        #expect(SigV4Timestamp.date(from: "2015-08-30T12:36:00Z") == nil)
        #expect(SigV4Timestamp.date(from: "20151330T123600Z") == nil)
    }
}
