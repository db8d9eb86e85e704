import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// Batch inference and batch segment jobs report the service's `CREATE PENDING` / `CREATE IN_PROGRESS`.
@Suite struct BatchJobStatusTests {

    /// The service reports `CREATE PENDING` and `CREATE IN_PROGRESS` for a batch inference job (the samples'
    /// stored outputs), not the API reference's `PENDING`/`IN_PROGRESS`.
    @Test func aBatchInferenceJobIsCreatePendingThenActive() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let (group, _, imported) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        try #require(imported == "ACTIVE")
        let (version, trained) = try await harness.train(group: group, name: "pop", recipe: "aws-popularity-count")
        try #require(trained == "ACTIVE")
        let history = try await StatusHistory(engine)
        let input = try harness.directory.write("batch/input.json", #"{"userId": "u1"}"# + "\n")
        let output = harness.directory.url.appendingPathComponent("batch/out")
        let arn =
            try await engine.send(
                CreateBatchInferenceJobRequest(
                    jobName: "nightly", solutionVersionArn: version,
                    jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: input.path)),
                    jobOutput: BatchInferenceJobOutput(s3DataDestination: S3DataConfig(path: output.path)),
                    roleArn: "arn:aws:iam::0:role/r")
            ).batchInferenceJobArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeBatchInferenceJobRequest(batchInferenceJobArn: arn)).batchInferenceJob?
                .status
        }
        #expect(status == "ACTIVE")
        #expect(try await history.statuses(arn) == ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"])
        let listed = try await engine.send(ListBatchInferenceJobsRequest()).batchInferenceJobs ?? []
        #expect(listed.map(\.status) == ["ACTIVE"])
    }

    /// A data folder written before the statuses were spelled as the service does may hold batch jobs stored as
    /// `PENDING` or `IN_PROGRESS`: the next open fails them as interrupted, like any unfinished job.
    @Test func batchJobsStoredWithTheOldStatusesAreFailedAsInterruptedOnOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appendingPathComponent("data")
        let arns: [(ResourceType, String)]
        do {
            let engine = try EngineHarness.open(data)
            let date = Date()
            arns = try await engine.core.database.pool.write { db in
                var arns: [(ResourceType, String)] = []
                for (index, status) in ["PENDING", "IN_PROGRESS"].enumerated() {
                    let inference = engine.core.arn(.batchInferenceJob, "old-\(index)")
                    try ResourceStore.insert(
                        db, arn: inference, kind: .batchInferenceJob, name: "old-\(index)", parent: "unused",
                        status: status, at: date,
                        body: BatchInferenceJob(
                            jobName: "old-\(index)", batchInferenceJobArn: inference, status: status),
                        enforcingLifecycle: false)
                    let segment = engine.core.arn(.batchSegmentJob, "old-\(index)")
                    try ResourceStore.insert(
                        db, arn: segment, kind: .batchSegmentJob, name: "old-\(index)", parent: "unused",
                        status: status, at: date,
                        body: BatchSegmentJob(jobName: "old-\(index)", batchSegmentJobArn: segment, status: status),
                        enforcingLifecycle: false)
                    arns += [(.batchInferenceJob, inference), (.batchSegmentJob, segment)]
                }
                return arns
            }
        }
        let engine = try EngineHarness.open(data)
        for (kind, arn) in arns {
            if kind == .batchInferenceJob {
                let job = try await engine.send(DescribeBatchInferenceJobRequest(batchInferenceJobArn: arn))
                    .batchInferenceJob
                #expect(job?.status == "CREATE FAILED", "\(arn)")
                #expect(job?.failureReason == Recovery.interruptedReason)
            } else {
                let job = try await engine.send(DescribeBatchSegmentJobRequest(batchSegmentJobArn: arn)).batchSegmentJob
                #expect(job?.status == "CREATE FAILED", "\(arn)")
                #expect(job?.failureReason == Recovery.interruptedReason)
            }
        }
        #expect(Lifecycle(.batchInferenceJob).initialStatuses == [Status.createPending])
    }
}
