import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension BatchControl {
    func createBatchSegmentJob(_ request: CreateBatchSegmentJobRequest) async throws
        -> CreateBatchSegmentJobResponse
    {
        try validateName(request.jobName, field: "jobName")
        let numResults = request.numResults ?? RealTimeServing.defaultNumResults
        guard (1...BatchJobs.maximumSegmentSize).contains(numResults) else {
            throw PersonalizeError.invalidInput(
                "numResults must be between 1 and \(BatchJobs.maximumSegmentSize); got \(numResults).")
        }
        let inputs = try BatchInput.files(request.jobInput.s3DataSource.path, store: userData)
        let output = try userData.outputFolder(
            at: request.jobOutput.s3DataDestination.path, invalid: "Invalid output path.")
        let arn = arn(.batchSegmentJob, request.jobName)
        let date = now
        let limit = configuration.limits.maximumPendingBatchInferenceJobs
        try await write { db in
            let recipe = try BatchJobs.batchRecipe(db, request.solutionVersionArn, kind: .batchSegmentJob, limit: limit)
            guard recipe.type == .userSegmentation else {
                throw PersonalizeError.invalidInput(
                    "A batch segment job needs a USER_SEGMENTATION solution version (aws-item-affinity or "
                        + "aws-item-attribute-affinity); \(request.solutionVersionArn) uses \(recipe.name).")
            }
            if let filterArn = request.filterArn {
                try RealTimeServing.checkSegmentFilter(db, filterArn: filterArn, versionArn: request.solutionVersionArn)
            }
            let job = BatchSegmentJob(
                jobName: request.jobName, batchSegmentJobArn: arn, filterArn: request.filterArn,
                solutionVersionArn: request.solutionVersionArn,
                numResults: numResults, jobInput: request.jobInput, jobOutput: request.jobOutput,
                roleArn: request.roleArn, status: Status.Batch.pending, creationDateTime: date,
                lastUpdatedDateTime: date
            )
            try Self.insertResource(
                db, arn: arn, kind: .batchSegmentJob, name: request.jobName, parent: request.solutionVersionArn,
                status: Status.Batch.pending, at: date, body: job, tags: request.tags)
        }
        let plan = BatchJobs.BatchPlan(
            arn: arn, versionArn: request.solutionVersionArn, filterArn: request.filterArn, count: numResults,
            inputs: inputs,
            output: output)
        startBackgroundJob(arn) { [self] in await batchJobs.runBatchSegments(plan) }
        return CreateBatchSegmentJobResponse(batchSegmentJobArn: arn)
    }

    func describeBatchSegmentJob(_ request: DescribeBatchSegmentJobRequest) async throws
        -> DescribeBatchSegmentJobResponse
    {
        let arn = request.batchSegmentJobArn
        let job = try await load(BatchSegmentJob.self, arn: arn, kind: .batchSegmentJob)
        return DescribeBatchSegmentJobResponse(batchSegmentJob: job)
    }

    func listBatchSegmentJobs(_ request: ListBatchSegmentJobsRequest) async throws
        -> ListBatchSegmentJobsResponse
    {
        let page = try await listPage(
            kind: .batchSegmentJob, parent: request.solutionVersionArn, nextToken: request.nextToken,
            maxResults: request.maxResults
        ) { row in
            let job = try ResourceStore.decode(BatchSegmentJob.self, row)
            return BatchSegmentJobSummary(
                batchSegmentJobArn: job.batchSegmentJobArn, jobName: job.jobName, status: job.status,
                creationDateTime: job.creationDateTime, lastUpdatedDateTime: job.lastUpdatedDateTime,
                failureReason: job.failureReason, solutionVersionArn: job.solutionVersionArn)
        }
        return ListBatchSegmentJobsResponse(batchSegmentJobs: page.items, nextToken: page.nextToken)
    }
}
