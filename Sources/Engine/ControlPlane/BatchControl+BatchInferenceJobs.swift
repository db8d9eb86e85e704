import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension BatchControl {
    func createBatchInferenceJob(_ request: CreateBatchInferenceJobRequest) async throws
        -> CreateBatchInferenceJobResponse
    {
        try validateName(request.jobName, field: "jobName")
        if let mode = request.batchInferenceJobMode, mode.rawValue != "BATCH_INFERENCE" {
            throw PersonalizeError.invalidInput(
                "batchInferenceJobMode \(mode.rawValue) is not supported by the embedded engine (themes need "
                    + "a generative model); use BATCH_INFERENCE.")
        }
        let (numResults, inputs, output) = try batchJobFiles(
            numResults: request.numResults, upTo: RealTimeServing.maximumNumResults,
            input: request.jobInput.s3DataSource.path, output: request.jobOutput.s3DataDestination.path)
        let arn = arn(.batchInferenceJob, request.jobName)
        let date = now
        let limit = configuration.limits.maximumPendingBatchInferenceJobs
        try await write { db in
            let recipe = try BatchJobs.batchRecipe(
                db, request.solutionVersionArn, kind: .batchInferenceJob, limit: limit)
            if !recipe.supportsBatchInference {
                throw PersonalizeError.invalidInput(
                    "Batch inference is not available for \(recipe.name)"
                        + (recipe.type == .userSegmentation ? "; use a batch segment job." : "."))
            }
            if let filterArn = request.filterArn {
                _ = try ResourceStore.load(db, EngineAPI.Filter.self, arn: filterArn, kind: .filter)
            }
            let job = BatchInferenceJob(
                jobName: request.jobName, batchInferenceJobArn: arn, filterArn: request.filterArn,
                solutionVersionArn: request.solutionVersionArn, numResults: numResults, jobInput: request.jobInput,
                jobOutput: request.jobOutput, batchInferenceJobConfig: request.batchInferenceJobConfig,
                roleArn: request.roleArn, batchInferenceJobMode: request.batchInferenceJobMode ?? "BATCH_INFERENCE",
                status: Status.Batch.pending, creationDateTime: date, lastUpdatedDateTime: date)
            try Self.insertResource(
                db, arn: arn, kind: .batchInferenceJob, name: request.jobName, parent: request.solutionVersionArn,
                status: Status.Batch.pending, at: date, body: job, tags: request.tags)
        }
        let explorationConfig = request.batchInferenceJobConfig?.itemExplorationConfig
        _ = try ExplorationSettings.parse(explorationConfig)
        let recipe = try await read { db in
            try ResourceStore.load(db, SolutionVersion.self, arn: request.solutionVersionArn, kind: .solutionVersion)
                .recipeArn.flatMap(BuiltInRecipe.init(arn:))
        }
        // A job explores when its configuration asks (or with a v2 recipe, which always does).
        let exploration =
            explorationConfig == nil && !(recipe.map { $0.exploresItems && !$0.takesExplorationConfig } ?? false)
            ? nil : ExplorationSettings.resolve(recipe: recipe, config: explorationConfig)
        let plan = BatchJobs.BatchPlan(
            arn: arn, versionArn: request.solutionVersionArn, filterArn: request.filterArn, count: numResults,
            inputs: inputs, output: output, exploration: exploration)
        startBackgroundJob(arn) { [self] in await batchJobs.runBatchInference(plan) }
        return CreateBatchInferenceJobResponse(batchInferenceJobArn: arn)
    }
}
