import Engine
import EngineAPI
import Foundation
import ObjectStore
import TailorTestSupport
import Testing

@testable import Planner

/// A dataset's `import.source: s3://...` planned and applied against the embedded engine with an S3 store (moto's
/// server with SigV4 required, from `scripts/with-s3`): the engine reads the object, the plan is clean afterwards,
/// and a changed object (another ETag) imports again.
@Suite(.s3Store, .tags(.medium))
struct S3ImportSourceTests {
    let directory: TemporaryDirectory
    let engine: LocalEngine
    let client: S3Client
    let bucket = TestS3.uniqueBucket("planner")

    init() async throws {
        directory = try TemporaryDirectory()
        let configuration = try S3Configuration.standard(endpoint: nil, environment: TestS3.environment)
        var limits = EngineHarness.smallLimits
        limits.minimumInteractionsPerImport = 1
        engine = try EngineHarness.open(
            directory.url.appendingPathComponent(".tailor/engine"), limits: limits, allowedPaths: [directory.url],
            s3: configuration)
        client = S3Client(configuration: configuration)
        try await client.createBucket(bucket)
        try directory.write(
            "shop.yaml",
            Fixtures.group + "---\n"
                + Fixtures.dataset.replacingOccurrences(
                    of: "source: ../data/ratings.csv", with: "source: s3://\(bucket)/ratings/"))
    }

    var store: StateStore { Workspace(directory: directory.url).stateStore }
    var objects: S3ObjectSources { S3ObjectSources(client: client) }

    private func plan() async throws -> Plan {
        try await Planner(service: engine, objects: objects).plan(
            try ManifestLoader.load(directory: directory.url), state: try store.load())
    }

    private func apply(_ plan: Plan) async throws -> ApplySummary {
        try await Applier(service: engine, store: store, pollInterval: .milliseconds(20), objects: objects).apply(plan)
    }

    private func rows() async throws -> [String] {
        let jobs = try await engine.send(ListDatasetImportJobsRequest()).datasetImportJobs ?? []
        return jobs.compactMap(\.jobName)
    }

    @Test func anS3SourceImportsOnceAndAgainWhenTheObjectChanges() async throws {
        let csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1700000000,click\nu2,i2,1700000060,click\n"
        try await client.put(Data(csv.utf8), at: S3Location(bucket: bucket, key: "ratings/part-1.csv"))
        let first = try await plan()
        #expect(first.hasChanges)
        let summary = try await apply(first)
        #expect(summary.succeeded, "\(summary)")
        let entry = try #require(try store.load().resources.first { $0.key.kind == .dataset }?.value)
        #expect(entry.attributes[StateEntry.Key.importSource]?.stringValue == "s3://\(bucket)/ratings/")
        #expect(try await rows().count == 1)
        let jobs = try await engine.send(ListDatasetImportJobsRequest()).datasetImportJobs ?? []
        #expect(jobs.first?.status == "ACTIVE")

        #expect(try await !plan().hasChanges, "an unchanged object plans no import")

        // The prefix's only object is replaced by another: a new ETag, so the dataset imports again.
        let more = csv + "u3,i3,1700000120,click\n"
        try await client.put(Data(more.utf8), at: S3Location(bucket: bucket, key: "ratings/part-1.csv"))
        let second = try await plan()
        #expect(second.hasChanges)
        #expect(try await apply(second).succeeded)
        #expect(try await rows().count == 2)
        #expect(try await !plan().hasChanges)
    }

    @Test func aSourceThatIsNotThereOrWithoutAStoreIsAPlanErrorAtItsLine() async throws {
        let missing = await #expect(throws: PlannerError.self) { try await plan() }
        #expect("\(missing.map { "\($0)" } ?? "")".contains("shop.yaml:"))
        let offline = await #expect(throws: PlannerError.self) {
            try await Planner(service: engine).plan(
                try ManifestLoader.load(directory: directory.url), state: try store.load())
        }
        #expect("\(offline.map { "\($0)" } ?? "")".contains("--s3-endpoint"))
    }

    @Test func exportsAndDataDeletionsReadAndWriteS3() async throws {
        let csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1700000000,click\nu2,i2,1700000060,click\n"
        try await client.put(Data(csv.utf8), at: S3Location(bucket: bucket, key: "ratings/part-1.csv"))
        try await client.put(Data("USER_ID\nu1\n".utf8), at: S3Location(bucket: bucket, key: "forget/users.csv"))
        try directory.write(
            "jobs.yaml",
            """
            apiVersion: tailor/v1
            kind: DatasetExport
            metadata: {name: backup}
            spec: {dataset: interactions, output: "s3://\(bucket)/exports/"}
            ---
            apiVersion: tailor/v1
            kind: DataDeletion
            metadata: {name: forget}
            spec: {datasetGroup: movielens, source: "s3://\(bucket)/forget/"}

            """)
        let summary = try await apply(try await plan())
        #expect(summary.succeeded, "\(summary)")
        let exported = try await client.list(try #require(S3Location("s3://\(bucket)/exports/")))
        #expect(exported.count == 1)
        #expect(exported.first?.location.name.hasSuffix("_part_00000.csv") == true)
        let deletions = try await engine.send(ListDataDeletionJobsRequest()).dataDeletionJobs ?? []
        #expect(deletions.map(\.status) == ["COMPLETED"])
        #expect(try await !plan().hasChanges)

        // Another user to forget: the source's identity changes, so the deletion runs again.
        try await client.put(Data("USER_ID\nu2\n".utf8), at: S3Location(bucket: bucket, key: "forget/more.csv"))
        #expect(try await apply(try await plan()).succeeded)
        #expect((try await engine.send(ListDataDeletionJobsRequest()).dataDeletionJobs ?? []).count == 2)
    }

    @Test func forARemoteEngineLocalFilesGoToTheProjectsBucketOncePerContent() async throws {
        let csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1700000000,click\nu2,i2,1700000060,click\n"
        try directory.write("data/ratings.csv", csv)
        try directory.write(
            "shop.yaml",
            Fixtures.group + "---\n"
                + Fixtures.dataset.replacingOccurrences(
                    of: "source: ../data/ratings.csv", with: "source: data/ratings.csv"))
        try directory.write(
            "tailor.yaml",
            """
            apiVersion: tailor/v1
            kind: Project
            metadata: {name: shop}
            spec:
              storage: {bucket: "s3://\(bucket)/tailor/"}

            """)
        let remote = Planner(service: engine, objects: objects, uploadsSources: true)
        let manifests = { try ManifestLoader.load(directory: self.directory.url) }
        let first = try await remote.plan(try manifests(), state: try store.load())
        let note = first.changes.flatMap(\.notes).first { $0.hasPrefix("uploads data/ratings.csv to s3://") }
        #expect(note != nil, "the plan shows the upload: \(first.changes.flatMap(\.notes))")
        #expect(try await apply(first).succeeded)
        let uploaded = try await client.list(try #require(S3Location("s3://\(bucket)/tailor/")), recursive: true)
        #expect(uploaded.count == 1)
        #expect(uploaded.first?.location.name == "ratings.csv")
        #expect(uploaded.first?.location.key.split(separator: "/").count == 3, "tailor/<16 hex digits>/ratings.csv")
        let job = try await engine.send(ListDatasetImportJobsRequest()).datasetImportJobs?.first
        let described = try await engine.send(
            DescribeDatasetImportJobRequest(datasetImportJobArn: job?.datasetImportJobArn ?? ""))
        #expect(described.datasetImportJob?.dataSource?.dataLocation == uploaded.first.map(\.location.description))
        #expect(try await !remote.plan(try manifests(), state: try store.load()).hasChanges)

        try directory.write("data/ratings.csv", csv + "u3,i3,1700000120,click\n")
        #expect(try await apply(try await remote.plan(try manifests(), state: try store.load())).succeeded)
        let again = try await client.list(try #require(S3Location("s3://\(bucket)/tailor/")), recursive: true)
        #expect(again.count == 2, "the changed file lands beside the first")

        // Amazon Personalize cannot read local files: without the bucket, the plan says so at the source's line.
        try directory.write(
            "tailor.yaml",
            "apiVersion: tailor/v1\nkind: Project\nmetadata: {name: shop}\n"
                + "spec: {roleArn: \"arn:aws:iam::123456789012:role/PersonalizeS3\"}\n")
        let aws = Planner(service: engine, objects: objects, requiresRoles: true, uploadsSources: true)
        let error = await #expect(throws: PlannerError.self) {
            try await aws.plan(try manifests(), state: try store.load())
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("shop.yaml:") && text.contains("spec.storage.bucket"), "\(text)")
    }

    @Test func aMalformedS3SourceIsReportedAtItsLine() throws {
        try directory.write(
            "shop.yaml",
            Fixtures.group + "---\n"
                + Fixtures.dataset.replacingOccurrences(
                    of: "source: ../data/ratings.csv", with: "source: s3://Not_A_Bucket/x.csv"))
        let error = #expect(throws: DiagnosticsError.self) { try ManifestLoader.load(directory: directory.url) }
        #expect(error?.diagnostics.first?.message.contains("is not an s3://bucket/key URI") == true)
    }
}
