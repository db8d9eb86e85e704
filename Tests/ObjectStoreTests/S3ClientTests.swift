import Crypto
import Foundation
import ObjectStore
import SigV4
import TailorTestSupport
import Testing

/// The S3 client against a real S3-compatible server (moto's, started by `scripts/with-s3` with SigV4 required).
@Suite(.s3Store, .tags(.medium))
struct S3ClientTests {
    let client: S3Client
    let bucket = TestS3.uniqueBucket("client")

    init() async throws {
        var configuration = try S3Configuration.standard(endpoint: nil, environment: TestS3.environment)
        configuration.partSize = 5 << 20
        client = S3Client(configuration: configuration)
        try await client.createBucket(bucket)
    }

    @Test func putGetHeadAndDeleteAnObject() async throws {
        let location = S3Location(bucket: bucket, key: "data/interactions.csv")
        let body = Data("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\n".utf8)
        let stored = try await client.put(body, at: location)
        #expect(stored.etag == Insecure.MD5.hash(data: body).map { String(format: "%02x", $0) }.joined())
        #expect(try await client.get(location, maximumBytes: 1 << 20) == body)
        let head = try #require(try await client.head(location))
        #expect(head.size == Int64(body.count))
        #expect(head.etag == stored.etag)
        try await client.delete(location)
        #expect(try await client.head(location) == nil)
    }

    /// (Keys with sub-delimiters such as `(`, `&` or `;` are checked against botocore's signatures in
    /// S3SigningTests: moto's server refuses botocore's own requests for them.)
    @Test func keysWithSpacesUnicodeAndPlusSignsAreSignedAndStored() async throws {
        for key in ["a folder/file name.csv", "données/été+2024.csv", "x/~tilde_-.csv", "in/sub dir/x.csv"] {
            let location = S3Location(bucket: bucket, key: key)
            try await client.put(Data(key.utf8), at: location)
            #expect(try await client.get(location, maximumBytes: 1024) == Data(key.utf8), "\(key)")
        }
    }

    @Test func listingAPrefixReadsTheFirstLevelOnlyUnlessRecursive() async throws {
        for key in ["in/b.csv", "in/a.csv", "in/sub/c.csv", "input.csv", "other/d.csv"] {
            try await client.put(Data(key.utf8), at: S3Location(bucket: bucket, key: key))
        }
        let folder = try #require(S3Location("s3://\(bucket)/in/"))
        #expect(try await client.list(folder).map(\.location.key) == ["in/a.csv", "in/b.csv"])
        #expect(
            try await client.list(folder, recursive: true).map(\.location.key) == [
                "in/a.csv", "in/b.csv", "in/sub/c.csv",
            ])
        #expect(try await client.list(folder).map(\.size) == [8, 8])
        await #expect(throws: S3Error.self) { try await client.list(folder, recursive: true, maximumObjects: 2) }
    }

    @Test func listingPagesThroughMoreThanAThousandKeys() async throws {
        let folder = try #require(S3Location("s3://\(bucket)/many/"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1_005 {
                group.addTask {
                    try await client.put(Data(), at: folder.appending(String(format: "k%05d.csv", index)))
                }
                if index % 50 == 49 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
        let listed = try await client.list(folder)
        #expect(listed.count == 1_005)
        #expect(listed.last?.location.key == "many/k01004.csv")
    }

    @Test func largeFilesGoUpInPartsAndComeDownToAFileIntact() async throws {
        let directory = try TemporaryDirectory("s3-multipart")
        defer { directory.remove() }
        let source = directory.url.appendingPathComponent("big.csv").path
        var random = SystemRandomNumberGenerator()
        let bytes = Data((0..<(12 << 20)).map { _ in UInt8.random(in: 32...126, using: &random) })
        try bytes.write(to: URL(fileURLWithPath: source))
        let location = S3Location(bucket: bucket, key: "big/big.csv")
        let uploaded = try await client.upload(file: source, to: location)
        #expect(uploaded.size == Int64(bytes.count))
        #expect(uploaded.etag.hasSuffix("-3"), "12 MiB in parts of 5 MiB is a three-part upload: \(uploaded.etag)")
        let target = directory.url.appendingPathComponent("back.csv").path
        let downloaded = try await client.download(location, to: target, maximumBytes: 1 << 30)
        #expect(downloaded.size == Int64(bytes.count))
        #expect(SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: target))) == SHA256.hash(data: bytes))
    }

    @Test func aDownloadOverItsLimitFailsAndLeavesNoFile() async throws {
        let directory = try TemporaryDirectory("s3-limit")
        defer { directory.remove() }
        let location = S3Location(bucket: bucket, key: "limit.csv")
        try await client.put(Data(repeating: 65, count: 4096), at: location)
        let target = directory.url.appendingPathComponent("limit.csv").path
        let error = await #expect(throws: S3Error.self) {
            try await client.download(location, to: target, maximumBytes: 1000)
        }
        #expect(error?.code == "EntityTooLarge")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func missingKeysAndBucketsAreToldApart() async throws {
        #expect(try await client.head(S3Location(bucket: bucket, key: "nothing-here.csv")) == nil)
        let missingKey = await #expect(throws: S3Error.self) {
            try await client.get(S3Location(bucket: bucket, key: "nothing-here.csv"), maximumBytes: 10)
        }
        #expect(missingKey?.code == "NoSuchKey")
        #expect(missingKey?.isNotFound == true)
        let noBucket = TestS3.uniqueBucket("absent")
        let missingBucket = await #expect(throws: S3Error.self) {
            try await client.head(S3Location(bucket: noBucket, key: "a.csv"))
        }
        #expect(missingBucket?.code == "NoSuchBucket")
    }

    @Test func wrongCredentialsAreRefusedAsAccessDenied() async throws {
        var environment = TestS3.environment
        environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        let intruder = S3Client(configuration: try S3Configuration.standard(endpoint: nil, environment: environment))
        let error = await #expect(throws: S3Error.self) {
            try await intruder.get(S3Location(bucket: bucket, key: "any.csv"), maximumBytes: 10)
        }
        #expect(error?.isAccessDenied == true, "\(String(describing: error))")
        #expect(error.map { !$0.description.contains("not-the-secret") } == true)
    }
}

/// `s3://` URIs as the service takes them.
@Suite(.tags(.small))
struct S3LocationTests {
    @Test func parsesObjectsAndPrefixes() throws {
        let object = try #require(S3Location("s3://my-bucket/folder/file.csv"))
        #expect(object.bucket == "my-bucket")
        #expect(object.key == "folder/file.csv")
        #expect(!object.isPrefix)
        #expect(object.name == "file.csv")
        #expect(try #require(S3Location("s3://my-bucket/folder/")).isPrefix)
        #expect(try #require(S3Location("s3://my-bucket")).key == "")
        #expect(S3Location("s3://my-bucket/out/").map { $0.appending("x.json.out").key } == "out/x.json.out")
        #expect(S3Location("s3://my-bucket/out").map { $0.appending("x.json.out").key } == "out/x.json.out")
    }

    @Test(arguments: [
        "", "s3://", "s3://ab/x", "s3://UPPER/x", "s3://-bucket/x", "s3://bucket-/x", "s3://bu_cket/x",
        "http://bucket/x", "s3://bucket/a\u{0}b", "s3://bucket/a\nb", "s3://\(String(repeating: "a", count: 64))/x",
        "s3://bucket/\(String(repeating: "k", count: 1025))",
    ])
    func refusesWhatIsNotAnS3URI(_ uri: String) {
        #expect(S3Location(uri) == nil)
    }

    @Test func theEndpointMustBeAnHTTPURL() {
        for endpoint in ["ftp://host", "127.0.0.1:9000", "http://", "http://user:pw@host", "http://host/?q=1"] {
            #expect(throws: S3ConfigurationError.self) {
                try S3Configuration.standard(endpoint: endpoint, environment: [:])
            }
        }
        #expect(
            (try? S3Configuration.standard(endpoint: nil, environment: ["TAILOR_S3_ENDPOINT": "http://127.0.0.1:9"]))?
                .endpoint?.absoluteString == "http://127.0.0.1:9")
        #expect((try? S3Configuration.standard(endpoint: nil, environment: [:]))?.endpoint == nil)
    }
}
