import Foundation
import SigV4
import TailorTestSupport
import Testing

@testable import ObjectStore

/// Requests as botocore's S3 client sends and signs them: the URLs and signatures below are botocore's own (its
/// `before-send` event, `signature_version="s3v4"`, the clock at 2026-12-07T12:00:00Z), for a store at an endpoint
/// (path-style) and for AWS S3 itself (virtual-hosted, eu-west-1), with keys and query values that need encoding.
@Suite(.tags(.small))
struct S3SigningTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let method: String
        let endpoint: String?
        let key: String
        let query: [(String, String)]
        let body: String
        let url: String
        let signature: String

        var testDescription: String { "\(method) \(url)" }
    }

    static let listQuery = [
        ("list-type", "2"), ("prefix", "in/sub dir/"), ("delimiter", "/"), ("continuation-token", "a+b/c="),
        ("encoding-type", "url"),
    ]
    static let oddKey = "données/été+2024 (1)=a&b;c!.csv"

    static let vectors = [
        Vector(
            method: "PUT", endpoint: "http://127.0.0.1:9000", key: oddKey, query: [], body: "x,y\n",
            url: "http://127.0.0.1:9000/my-bucket/donn%C3%A9es/%C3%A9t%C3%A9%2B2024%20%281%29%3Da%26b%3Bc%21.csv",
            signature: "7edbf894c822756ee038314c66c157ff4a355056550f028366519b7c4ecdab22"),
        Vector(
            method: "GET", endpoint: "http://127.0.0.1:9000", key: "", query: listQuery, body: "",
            url: "http://127.0.0.1:9000/my-bucket?list-type=2&prefix=in%2Fsub%20dir%2F&delimiter=%2F"
                + "&continuation-token=a%2Bb%2Fc%3D&encoding-type=url",
            signature: "398cc5a3824b4cda0e234688bb2f1f508d0be61c79d916b195ed2481e21fcdda"),
        Vector(
            method: "GET", endpoint: "http://127.0.0.1:9000", key: "out/part 00000.csv", query: [], body: "",
            url: "http://127.0.0.1:9000/my-bucket/out/part%2000000.csv",
            signature: "c8f55b3ef832f16eafc553fc185477a1a5fefa1cdf9e8f6645ac7ddb4e9b0428"),
        Vector(
            method: "PUT", endpoint: nil, key: oddKey, query: [], body: "x,y\n",
            url:
                "https://my-bucket.s3.eu-west-1.amazonaws.com/donn%C3%A9es/%C3%A9t%C3%A9%2B2024%20%281%29%3Da%26b%3Bc%21.csv",
            signature: "0822c113b57d5e25f3574ff5c93353440bdc8fcc283187b4778a1dad7e6ee572"),
        Vector(
            method: "GET", endpoint: nil, key: "", query: listQuery, body: "",
            url: "https://my-bucket.s3.eu-west-1.amazonaws.com/?list-type=2&prefix=in%2Fsub%20dir%2F&delimiter=%2F"
                + "&continuation-token=a%2Bb%2Fc%3D&encoding-type=url",
            signature: "57485ce7af1436000514781b0686441d7384e84ba32e9fd79f729a56da1a79d2"),
        Vector(
            method: "GET", endpoint: nil, key: "out/part 00000.csv", query: [], body: "",
            url: "https://my-bucket.s3.eu-west-1.amazonaws.com/out/part%2000000.csv",
            signature: "ce2c9d2da309de2d22a6466b9204d1ff9f492ed4b715e2e017d78027b76d2a33"),
    ]

    @Test(arguments: vectors) func signsAsBotocoreDoes(_ vector: Vector) throws {
        let configuration = S3Configuration(
            endpoint: vector.endpoint.flatMap(URL.init(string:)),
            region: vector.endpoint == nil ? "eu-west-1" : "us-east-1",
            credentials: SigV4Credentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        let client = S3Client(configuration: configuration)
        let prepared = client.prepare(
            vector.method, S3Location(bucket: "my-bucket", key: vector.key), query: vector.query, headers: [],
            payloadHash: SigV4.sha256Hex(Data(vector.body.utf8)), at: Date(timeIntervalSince1970: 1_796_644_800))
        #expect(prepared.url == vector.url)
        let authorization = try #require(prepared.headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization.hasSuffix("Signature=" + vector.signature), "\(authorization)")
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"))
    }
}

/// S3's XML answers, read by the client's scanner.
@Suite(.tags(.small))
struct S3XMLTests {
    @Test func readsAListingPageWithEntitiesAndPaging() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>in/</Prefix>
            <IsTruncated>true</IsTruncated><NextContinuationToken>t&amp;1</NextContinuationToken>
            <Contents><Key>in/a &amp; b.csv</Key><Size>12</Size><ETag>&quot;abc&quot;</ETag></Contents>
            <Contents><Key>in/&#233;t&#xE9;.csv</Key><Size>3</Size><ETag>"d-2"</ETag></Contents>
            <CommonPrefixes><Prefix>in/sub/</Prefix></CommonPrefixes><KeyCount>2</KeyCount></ListBucketResult>
            """
        let page = try S3XML.listPage(Data(xml.utf8))
        #expect(page.objects.map(\.key) == ["in/a & b.csv", "in/été.csv"])
        #expect(page.objects.map(\.size) == [12, 3])
        #expect(page.objects.map(\.etag) == ["abc", "d-2"])
        #expect(page.nextToken == "t&1")
        let last = try S3XML.listPage(
            Data("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))
        #expect(last.objects.isEmpty && last.nextToken == nil)
    }

    @Test func readsErrorsAndUploadIDsAndRefusesOtherDocuments() throws {
        let error = S3XML.error(
            Data("<Error><Code>NoSuchKey</Code><Message>The key &lt;x&gt; does not exist</Message></Error>".utf8))
        #expect(error?.code == "NoSuchKey")
        #expect(error?.message == "The key <x> does not exist")
        #expect(S3XML.error(Data()) == nil)
        #expect(S3XML.error(Data("not xml at all".utf8)) == nil)
        let upload =
            "<InitiateMultipartUploadResult><Bucket>b</Bucket><UploadId>u-1</UploadId></InitiateMultipartUploadResult>"
        #expect(try S3XML.uploadID(Data(upload.utf8)) == "u-1")
        #expect(throws: S3Error.self) { try S3XML.uploadID(Data("<InitiateMultipartUploadResult/>".utf8)) }
        #expect(throws: S3Error.self) { try S3XML.listPage(Data("<Error><Code>x</Code></Error>".utf8)) }
    }
}
