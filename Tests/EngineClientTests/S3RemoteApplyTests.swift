import Foundation
import ObjectStore
import TailorTestSupport
import Testing

/// `tailor apply --endpoint` against a `tailor serve` that requires SigV4 and reads an S3 store (moto's, with
/// SigV4 required, from `scripts/with-s3`), as close to `--endpoint aws` as this machine gets: the local import
/// file is uploaded once to the project's bucket, re-uploaded when it changes, and the plan is clean afterwards.
@Suite(.s3Store, .tags(.large))
struct S3RemoteApplyTests {
    /// A client of the test store and a new bucket in it.
    static func bucket(_ label: String) async throws -> (S3Client, String) {
        let client = S3Client(
            configuration: try S3Configuration.standard(endpoint: nil, environment: TestS3.environment))
        let bucket = TestS3.uniqueBucket(label)
        try await client.createBucket(bucket)
        return (client, bucket)
    }

    @Test func localSourcesGoThroughTheBucketToASignedServer() async throws {
        let endpoint = try #require(TestS3.endpoint)
        let (client, bucket) = try await Self.bucket("remote")
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

    /// The jobs besides imports: a batch job's local input and a data deletion's local file go up to the bucket,
    /// and the batch job's and the export's outputs come back into their local folders, so the manifests that
    /// run embedded run unchanged against a remote engine; an `s3://` import source is imported from where it is.
    @Test func jobInputsGoUpAndOutputsComeBack() async throws {
        let endpoint = try #require(TestS3.endpoint)
        let (client, bucket) = try await Self.bucket("jobs")
        let workspace = try TemporaryDirectory("tailor-s3-jobs")
        defer { workspace.remove() }
        let server = try ServeProcess(arguments: ["--s3-endpoint", endpoint], environment: TestS3.environment)
        defer { server.stop() }
        // The interactions are in the bucket already: imported from there directly, nothing uploaded.
        let interactions = SyntheticData(users: 60, items: 40).interactionsCSV(perUser: 20)
        try await client.put(Data(interactions.utf8), at: S3Location(bucket: bucket, key: "in/interactions.csv"))
        try workspace.write("m/data/forget.csv", "USER_ID\nu59\n")
        try workspace.write("m/batch/users.jsonl", (1...3).map { #"{"userId": "u\#($0)"}"# }.joined(separator: "\n"))
        try workspace.write(
            "m/resources.yaml",
            ManifestFixtures.interactions("jobs", source: "s3://\(bucket)/in/interactions.csv") + "---\n"
                + ManifestFixtures.solution("popular", group: "jobs", recipe: "aws-popularity-count", campaign: false)
                + "---\n"
                + ManifestFixtures.document(
                    "BatchInferenceJob", "weekly",
                    spec: "solution: popular\ninput: batch/users.jsonl\noutput: batch/out\nnumResults: 4\n")
                + "---\n"
                + ManifestFixtures.document(
                    "DatasetExport", "backup", spec: "dataset: jobs-interactions\noutput: exports/interactions\n")
                + "---\n"
                + ManifestFixtures.document(
                    "DataDeletion", "forget",
                    spec: "datasetGroup: jobs\nsource: data/forget.csv\n"
                        + "roleArn: arn:aws:iam::123456789012:role/Deleter\n"))
        try workspace.write(
            "m/tailor.yaml", ManifestFixtures.project("storage: {bucket: \"s3://\(bucket)/t\"}", name: "jobs"))
        let arguments = ["--endpoint", server.url.absoluteString, "--s3-endpoint", endpoint]

        let plan = try TailorProcess.run(["plan", "m"] + arguments, in: workspace.url, environment: TestS3.environment)
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
        for note in [
            "uploads batch/users.jsonl to s3://\(bucket)/t/", "uploads data/forget.csv to s3://\(bucket)/t/",
            "writes under s3://\(bucket)/t/outputs/ and downloads into batch/out",
            "writes under s3://\(bucket)/t/outputs/ and downloads into exports/interactions",
        ] {
            #expect(plan.stdout.contains(note), "\(note)\n\(plan.stdout)")
        }
        let apply = try TailorProcess.run(
            ["apply", "--auto-approve", "m"] + arguments, in: workspace.url, environment: TestS3.environment)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)\n\(server.log)")

        let lines = try workspace.read("m/batch/out/users.jsonl.out").split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("recommendedItems") })
        let exported = try FileManager.default.contentsOfDirectory(
            atPath: workspace.url.appendingPathComponent("m/exports/interactions").path)
        #expect(exported.contains { $0.hasSuffix(".csv") }, "\(exported)")
        let objects = try await client.list(try #require(S3Location("s3://\(bucket)/t/")), recursive: true)
        let keys = objects.map(\.location.key)
        #expect(keys.contains { $0.hasSuffix("/forget.csv") }, "\(keys)")
        #expect(!keys.contains { $0.hasSuffix("/interactions.csv") }, "an s3:// source is not uploaded: \(keys)")
        #expect(keys.contains { $0.hasSuffix("/users.jsonl") && !$0.contains("/outputs/") }, "\(keys)")
        #expect(keys.contains { $0.contains("/outputs/weekly-") && $0.hasSuffix("/users.jsonl.out") }, "\(keys)")

        let clean = try TailorProcess.run(
            ["plan", "m", "--detailed-exitcode"] + arguments, in: workspace.url, environment: TestS3.environment)
        #expect(clean.status == 0, "\(clean.stdout)\n\(clean.stderr)")
    }

    /// `output: {path: s3://..., download: DIR}` on the embedded engine: the job writes to the bucket and apply
    /// copies what it wrote next to the manifests.
    @Test func s3OutputIsDownloadedWhereTheManifestSays() async throws {
        let endpoint = try #require(TestS3.endpoint)
        let (client, bucket) = try await Self.bucket("download")
        let workspace = try TemporaryDirectory("tailor-s3-download")
        defer { workspace.remove() }
        try workspace.write("m/data/interactions.csv", SyntheticData(users: 60, items: 40).interactionsCSV(perUser: 20))
        try workspace.write("m/batch/users.jsonl", #"{"userId": "u1"}"# + "\n")
        try workspace.write(
            "m/resources.yaml",
            ManifestFixtures.interactions("dl") + "---\n"
                + ManifestFixtures.solution("popular", group: "dl", recipe: "aws-popularity-count", campaign: false)
                + "---\n"
                + ManifestFixtures.document(
                    "BatchInferenceJob", "weekly",
                    spec: "solution: popular\ninput: batch/users.jsonl\n"
                        + "output: {path: \"s3://\(bucket)/out/\", download: batch/out}\n"))
        let apply = try TailorProcess.run(
            ["apply", "--auto-approve", "m", "--s3-endpoint", endpoint], in: workspace.url,
            environment: TestS3.environment)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("downloads s3://\(bucket)/out/ into batch/out"), "\(apply.stdout)")
        let local = try workspace.read("m/batch/out/users.jsonl.out")
        let remote = try await client.get(
            try #require(S3Location("s3://\(bucket)/out/users.jsonl.out")), maximumBytes: 1 << 20)
        #expect(local == String(decoding: remote, as: UTF8.self))
        #expect(local.contains("recommendedItems"))
    }
}
