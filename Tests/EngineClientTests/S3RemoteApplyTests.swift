import Foundation
import ObjectStore
import TailorTestSupport
import Testing

/// `tailor apply --endpoint` against a `tailor serve` that requires SigV4 and reads an S3 store (moto's, with
/// SigV4 required, from `scripts/with-s3`), as close to `--endpoint aws` as this machine gets: the local import
/// file is uploaded once to the project's bucket, re-uploaded when it changes, and the plan is clean afterwards.
@Suite(.enabled(if: TestS3.isAvailable, "needs TAILOR_TEST_S3_ENDPOINT (scripts/with-s3)"), .tags(.large))
struct S3RemoteApplyTests {
    @Test func localSourcesGoThroughTheBucketToASignedServer() async throws {
        let endpoint = try #require(TestS3.endpoint)
        let bucket = TestS3.uniqueBucket("remote")
        let configuration = try S3Configuration.standard(endpoint: nil, environment: TestS3.environment)
        let client = S3Client(configuration: configuration)
        try await client.createBucket(bucket)
        let workspace = try TemporaryDirectory("tailor-s3-remote")
        defer { workspace.remove() }
        // The server accepts only requests signed with the S3 store's key, which the CLI signs both with.
        let keys = try workspace.write(
            "auth-keys", "\(TestS3.accessKeyID ?? "") \(TestS3.secretAccessKey ?? "")\n")
        let server = try ServeProcess(
            arguments: ["--auth-keys", keys.path, "--s3-endpoint", endpoint], environment: TestS3.environment)
        defer { server.stop() }
        let csv = SyntheticData(users: 120, items: 60).interactionsCSV(perUser: 12)
        try workspace.write("m/data/interactions.csv", csv)
        try workspace.write("m/resources.yaml", ManifestFixtures.interactions("remote"))
        try workspace.write(
            "m/tailor.yaml", ManifestFixtures.project("storage: {bucket: \"s3://\(bucket)/tailor\"}", name: "remote"))
        let arguments = ["--endpoint", server.url.absoluteString, "--s3-endpoint", endpoint]

        let apply = try TailorProcess.run(
            ["apply", "--auto-approve", "m"] + arguments, in: workspace.url, environment: TestS3.environment)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)\n\(server.log)")
        #expect(apply.stdout.contains("uploads data/interactions.csv to s3://\(bucket)/tailor/"), "\(apply.stdout)")
        let prefix = try #require(S3Location("s3://\(bucket)/tailor/"))
        let uploaded = try await client.list(prefix, recursive: true)
        #expect(uploaded.map(\.location.name) == ["interactions.csv"])
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("m/.tailor/engine").path))

        let plan = try TailorProcess.run(
            ["plan", "m", "--detailed-exitcode"] + arguments, in: workspace.url, environment: TestS3.environment)
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")

        // A changed file goes up beside the first and imports again.
        try workspace.write("m/data/interactions.csv", csv + "u1,i2,1700000000,click,1\n")
        let again = try TailorProcess.run(
            ["apply", "--auto-approve", "m"] + arguments, in: workspace.url, environment: TestS3.environment)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)\n\(server.log)")
        #expect(try await client.list(prefix, recursive: true).count == 2)

        // An unsigned client is refused by the server.
        let unsigned = try TailorProcess.run(
            ["plan", "m"] + arguments, in: workspace.url,
            environment: TestS3.environment.merging(["AWS_SECRET_ACCESS_KEY": "wrong"]) { $1 })
        #expect(unsigned.status != 0)
    }
}
