import Foundation
import ObjectStore
import TailorTestSupport
import Testing

@testable import Planner

/// Apply's download of a job's output (``S3ObjectSources/download(_:into:)``) against a real S3-compatible server:
/// every object below the prefix lands at its relative key, replacing what was there whole, and a key that would
/// climb out of the folder writes nothing at all.
@Suite(.s3Store, .tags(.medium))
struct ObjectDownloadTests {
    let client: S3Client
    let sources: S3ObjectSources
    let bucket = TestS3.uniqueBucket("download")

    init() async throws {
        client = S3Client(configuration: try S3Configuration.standard(endpoint: nil, environment: TestS3.environment))
        sources = S3ObjectSources(client: client)
        try await client.createBucket(bucket)
    }

    @Test func everyObjectBelowThePrefixLandsAtItsRelativeKey() async throws {
        for key in ["out/a.json.out", "out/part/b_part_00000.csv", "outside.txt", "output-other/c.txt"] {
            try await client.put(Data(key.utf8), at: S3Location(bucket: bucket, key: key))
        }
        let folder = try TemporaryDirectory("tailor-download")
        defer { folder.remove() }
        try folder.write("dest/a.json.out", "an older run's file")
        let destination = folder.url.appendingPathComponent("dest").path

        // Without the trailing slash the URI is still the folder, not every key starting with "out".
        let written = try await sources.download("s3://\(bucket)/out", into: destination)
        #expect(
            written.map { String($0.dropFirst(destination.count)) }.sorted() == [
                "/a.json.out", "/part/b_part_00000.csv",
            ])
        #expect(try folder.read("dest/a.json.out") == "out/a.json.out")
        #expect(try folder.read("dest/part/b_part_00000.csv") == "out/part/b_part_00000.csv")
        let left = try FileManager.default.subpathsOfDirectory(atPath: destination).sorted()
        #expect(left == ["a.json.out", "part", "part/b_part_00000.csv"], "no partial file is left")
    }

    @Test func aKeyThatClimbsOutOfTheFolderWritesNothing() async throws {
        let hostile = "out/../../escaped.txt"
        try await client.put(Data("x".utf8), at: S3Location(bucket: bucket, key: "out/fine.txt"))
        try await client.put(Data("x".utf8), at: S3Location(bucket: bucket, key: hostile))
        let listed = try await client.list(try #require(S3Location("s3://\(bucket)/out/")), recursive: true)
        try #require(listed.contains { $0.location.key == hostile }, "the store keeps the key as written")

        let folder = try TemporaryDirectory("tailor-download")
        defer { folder.remove() }
        let destination = folder.url.appendingPathComponent("a/b").path
        let error = await #expect(throws: ObjectSourceError.self) {
            try await sources.download("s3://\(bucket)/out/", into: destination)
        }
        #expect(error?.description.contains("not a plain path") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: destination), "nothing was written, not even the folder")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("escaped.txt").path))
    }

    @Test func aLinkInsideTheFolderDoesNotCarryADownloadOutOfIt() async throws {
        try await client.put(Data("x".utf8), at: S3Location(bucket: bucket, key: "linked/part/escaped.txt"))
        let folder = try TemporaryDirectory("tailor-download")
        defer { folder.remove() }
        let outside = try TemporaryDirectory("tailor-outside")
        defer { outside.remove() }
        let destination = folder.url.appendingPathComponent("dest")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: destination.appendingPathComponent("part").path, withDestinationPath: outside.url.path)
        let error = await #expect(throws: ObjectSourceError.self) {
            try await sources.download("s3://\(bucket)/linked/", into: destination.path)
        }
        #expect(error?.description.contains("leads outside") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty)
    }
}
