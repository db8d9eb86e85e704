import EngineAPI
import Foundation
import GRDB
import ObjectStore
import TailorTestSupport
import Testing

@testable import Engine

/// Jobs that read and write `s3://` locations, against a real S3-compatible server with SigV4 required (moto's,
/// started by `scripts/with-s3`): imports of an object and of a prefix, data deletion, exports and batch
/// inference to a prefix, and the service's failure reasons for a missing key or bucket and refused credentials.
@Suite(.s3Store, .tags(.medium))
struct S3DataPlaneTests {
    let harness: EngineHarness
    let s3: S3Client
    let bucket = TestS3.uniqueBucket("engine")
    let data = SyntheticData(users: 60, items: 40, clusters: 4)

    var engine: LocalEngine { harness.engine }
    var directory: TemporaryDirectory { harness.directory }

    init() async throws {
        let configuration = try S3Configuration.standard(endpoint: nil, environment: TestS3.environment)
        harness = try EngineHarness(s3: configuration)
        s3 = S3Client(configuration: configuration)
        try await s3.createBucket(bucket)
    }

    /// Refuses `location` as an import's source at once; the error.
    private func refusal(_ location: String, on engine: LocalEngine) async throws -> PersonalizeError? {
        let (_, dataset) = try await EngineHarness.interactionsDataset(in: engine, group: "refused")
        return await #expect(throws: PersonalizeError.self) {
            _ = try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "refused", datasetArn: dataset, dataSource: DataSource(dataLocation: location)))
        }
    }

    private func put(_ text: String, _ key: String) async throws {
        try await s3.put(Data(text.utf8), at: S3Location(bucket: bucket, key: key))
    }

    private func text(_ key: String) async throws -> String {
        String(decoding: try await s3.get(S3Location(bucket: bucket, key: key), maximumBytes: 1 << 24), as: UTF8.self)
    }

    /// Imports `location` into `dataset`; the job's final status and failure reason.
    private func importJob(_ location: String, into dataset: String, name: String) async throws -> (String?, String?) {
        let arn =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: name, datasetArn: dataset, dataSource: DataSource(dataLocation: location),
                    roleArn: "arn:aws:iam::000000000000:role/personalize")
            ).datasetImportJobArn ?? ""
        let engine = engine
        _ = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob?.status
        }
        let job = try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob
        return (job?.status, job?.failureReason)
    }

    private func rows(_ dataset: String) async throws -> Int {
        try await engine.core.database.pool.read { db in
            try DatasetTable.find(db, datasetArn: dataset).count(db)
        }
    }

    private func csvLines(_ csv: String) -> [Substring] { csv.split(separator: "\n") }

    @Test func anObjectAndThePrefixOfAFolderImportAsTheServiceReadsThem() async throws {
        let (_, dataset) = try await EngineHarness.interactionsDataset(in: engine, group: "shop")
        let csv = data.interactionsCSV(perUser: 10)
        let lines = csvLines(csv)
        let header = String(lines[0])
        try await put(csv, "single/interactions.csv")
        let single = try await importJob("s3://\(bucket)/single/interactions.csv", into: dataset, name: "single")
        #expect(single.0 == "ACTIVE", "\(String(describing: single.1))")
        #expect(try await rows(dataset) == lines.count - 1)

        // A folder: every .csv directly under the prefix; not the sub-folder's, not other suffixes.
        let half = (lines.count - 1) / 2
        try await put(([header] + lines[1...half].map(String.init)).joined(separator: "\n") + "\n", "folder/a.csv")
        try await put(
            ([header] + lines[(half + 1)...].map(String.init)).joined(separator: "\n") + "\n", "folder/b.csv")
        try await put(header + "\nnot,a,row,of,this,job\n", "folder/deeper/c.csv")
        try await put("ignored", "folder/notes.txt")
        let (_, second) = try await EngineHarness.interactionsDataset(in: engine, group: "shop-2")
        let folder = try await importJob("s3://\(bucket)/folder/", into: second, name: "folder")
        #expect(folder.0 == "ACTIVE", "\(String(describing: folder.1))")
        #expect(try await rows(second) == lines.count - 1)
        let staging = directory.url.appendingPathComponent("data/staging")
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging.path).isEmpty, "downloads are removed")
    }

    @Test func missingKeysMissingBucketsAndRefusedCredentialsFailTheJobInTheServicesWords() async throws {
        let (_, dataset) = try await EngineHarness.interactionsDataset(in: engine, group: "shop")
        let missingKey = try await importJob("s3://\(bucket)/nothing/here.csv", into: dataset, name: "no-key")
        #expect(missingKey.0 == "CREATE FAILED")
        #expect(missingKey.1 == "Invalid Data location. No object at s3://\(bucket)/nothing/here.csv.")
        let absent = TestS3.uniqueBucket("absent")
        let missingBucket = try await importJob("s3://\(absent)/data.csv", into: dataset, name: "no-bucket")
        #expect(missingBucket.0 == "CREATE FAILED")
        #expect(missingBucket.1 == "Invalid Data location. The bucket \(absent) does not exist.")

        var environment = TestS3.environment
        environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret"
        let intruder = try EngineHarness.open(
            directory.url.appendingPathComponent("intruder"),
            s3: try S3Configuration.standard(endpoint: nil, environment: environment))
        let (_, other) = try await EngineHarness.interactionsDataset(in: intruder, group: "shop")
        try await put(data.interactionsCSV(perUser: 10), "private/interactions.csv")
        let arn =
            try await intruder.send(
                CreateDatasetImportJobRequest(
                    jobName: "denied", datasetArn: other,
                    dataSource: DataSource(dataLocation: "s3://\(bucket)/private/interactions.csv"))
            ).datasetImportJobArn ?? ""
        let status = try await EngineHarness.settle {
            try await intruder.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob?.status
        }
        let reason = try await intruder.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn))
            .datasetImportJob?.failureReason
        #expect(status == "CREATE FAILED")
        #expect(reason?.hasPrefix("Insufficient privileges for accessing data in Amazon S3") == true, "\(reason ?? "")")
        #expect(reason?.contains("wrong-secret") == false)
    }

    @Test func malformedURIsAreRefusedAtOnce() async throws {
        let error = try await refusal("s3://Bad_Bucket/x.csv", on: engine)
        #expect(error?.message.hasPrefix("Invalid Data location.") == true)
    }

    @Test func withoutAnS3StoreTheErrorSaysHowToConfigureOne() async throws {
        let offline = try EngineHarness.open(directory.url.appendingPathComponent("offline"), s3: nil)
        let error = try await refusal("s3://bucket/x.csv", on: offline)
        #expect(error?.message.contains("--s3-endpoint") == true)
        #expect(error?.message.contains("TAILOR_S3_ENDPOINT") == true)
    }

    @Test func exportsAndBatchInferenceWriteTheServicesObjectNamesUnderThePrefix() async throws {
        let (group, dataset) = try await EngineHarness.interactionsDataset(in: engine, group: "shop")
        let csv = data.interactionsCSV(perUser: 12)
        try await put(csv, "in/interactions.csv")
        #expect(try await importJob("s3://\(bucket)/in/interactions.csv", into: dataset, name: "bulk").0 == "ACTIVE")

        let export =
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: "nightly", datasetArn: dataset, ingestionMode: .bulk,
                    roleArn: "arn:aws:iam::000000000000:role/personalize",
                    jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: "s3://\(bucket)/exports/")))
            ).datasetExportJobArn ?? ""
        let engine = engine
        let exported = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetExportJobRequest(datasetExportJobArn: export)).datasetExportJob?
                .status
        }
        #expect(exported == "ACTIVE")
        let exportedText = try await text("exports/nightly_part_00000.csv")
        #expect(csvLines(exportedText).count == csvLines(csv).count)
        #expect(exportedText.hasPrefix("USER_ID,ITEM_ID,TIMESTAMP"))

        let (version, trained) = try await harness.train(
            group: group, name: "up", recipe: "aws-user-personalization", hyperParameters: ["hidden_dimension": "32"])
        #expect(trained == "ACTIVE")
        try await put("{\"userId\": \"u1\"}\n{\"userId\": \"u2\"}\n", "batch/users.json")
        let job =
            try await engine.send(
                CreateBatchInferenceJobRequest(
                    jobName: "batch", solutionVersionArn: version, numResults: 5,
                    jobInput: BatchInferenceJobInput(
                        s3DataSource: S3DataConfig(path: "s3://\(bucket)/batch/users.json")),
                    jobOutput: BatchInferenceJobOutput(
                        s3DataDestination: S3DataConfig(path: "s3://\(bucket)/results/")),
                    roleArn: "arn:aws:iam::000000000000:role/personalize")
            ).batchInferenceJobArn ?? ""
        let batch = try await EngineHarness.settle {
            try await engine.send(DescribeBatchInferenceJobRequest(batchInferenceJobArn: job)).batchInferenceJob?.status
        }
        #expect(batch == "ACTIVE")
        let output = csvLines(try await text("results/users.json.out"))
        #expect(output.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(output[0].utf8)) as? [String: Any]
        #expect(((first?["output"] as? [String: Any])?["recommendedItems"] as? [String])?.count == 5)
    }

    @Test func dataDeletionReadsTheUsersOfEveryCSVBelowThePrefix() async throws {
        let (_, dataset) = try await EngineHarness.interactionsDataset(in: engine, group: "shop")
        let csv = data.interactionsCSV(perUser: 10)
        try await put(csv, "in/interactions.csv")
        #expect(try await importJob("s3://\(bucket)/in/interactions.csv", into: dataset, name: "bulk").0 == "ACTIVE")
        let before = try await rows(dataset)
        try await put("USER_ID\nu1\n", "forget/a.csv")
        try await put("USER_ID\nu2\n", "forget/more/b.csv")
        let group = try await engine.send(ListDatasetGroupsRequest()).datasetGroups?.first?.datasetGroupArn ?? ""
        let arn =
            try await engine.send(
                CreateDataDeletionJobRequest(
                    jobName: "forget", datasetGroupArn: group,
                    dataSource: DataSource(dataLocation: "s3://\(bucket)/forget/"),
                    roleArn: "arn:aws:iam::000000000000:role/personalize")
            ).dataDeletionJobArn ?? ""
        let engine = engine
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDataDeletionJobRequest(dataDeletionJobArn: arn)).dataDeletionJob?.status
        }
        #expect(status == "COMPLETED")
        #expect(try await rows(dataset) == before - 20, "both users' ten interactions are gone")
    }
}
