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
        let (numResults, inputs, output) = try batchJobFiles(
            numResults: request.numResults, upTo: BatchJobs.maximumSegmentSize,
            input: request.jobInput.s3DataSource.path, output: request.jobOutput.s3DataDestination.path)
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

    /// What both kinds of batch job check before they store anything: `numResults` (the default when nil) within
    /// `1...maximum`, the input files under `input`, and the output folder at `output`.
    func batchJobFiles(numResults: Int?, upTo maximum: Int, input: String, output: String) throws
        -> (numResults: Int, inputs: UserDataInput, output: UserDataFolder)
    {
        let numResults = numResults ?? RealTimeServing.defaultNumResults
        guard (1...maximum).contains(numResults) else {
            throw PersonalizeError.invalidInput("numResults must be between 1 and \(maximum); got \(numResults).")
        }
        let inputs = try BatchInput.files(input, store: userData)
        return (numResults, inputs, try userData.outputFolder(at: output, invalid: "Invalid output path."))
    }
}
