public import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension LocalEngine {
    /// Replaces the schema of an Items or Users dataset: every old field must stay as it was, and new
    /// fields must be nullable (the records already imported have no value for them).
    public func updateDataset(_ request: UpdateDatasetRequest) async throws -> UpdateDatasetResponse {
        let date = now
        let engine = self
        try await write { db in
            let old = try engine.datasetTable(db, datasetArn: request.datasetArn)
            guard old.type == .items || old.type == .users else {
                throw PersonalizeError.invalidInput(
                    "Only Items and Users datasets can change their schema; \(request.datasetArn) is \(old.type.rawValue)."
                )
            }
            let body = try ResourceStore.load(db, DatasetSchema.self, arn: request.schemaArn, kind: .schema)
            let new = try AvroSchema(json: body.schema ?? "")
            try old.type.validate(new)
            for field in old.schema.fields where new.field(field.name) != field {
                throw PersonalizeError.invalidInput(
                    "The new schema changes or removes field \(field.name); existing fields must stay unchanged.")
            }
            let added = new.fields.filter { old.schema.field($0.name) == nil }
            if let required = added.first(where: { !$0.nullable }) {
                throw PersonalizeError.invalidInput(
                    "New field \(required.name) must be nullable: records already imported have no value for it.")
            }
            for field in added {
                try db.execute(
                    sql: "ALTER TABLE \(old.name) ADD COLUMN \(quoted(field.name)) \(DatasetTable.sqlType(field.type))")
            }
            _ = try ResourceStore.update(
                db, Dataset.self, arn: request.datasetArn, kind: .dataset, at: date, status: \.status
            ) { dataset in
                dataset.schemaArn = request.schemaArn
                dataset.lastUpdatedDateTime = date
                dataset.latestDatasetUpdate = DatasetUpdateSummary(
                    schemaArn: request.schemaArn, status: Status.active, creationDateTime: date,
                    lastUpdatedDateTime: date)
            }
        }
        return UpdateDatasetResponse(datasetArn: request.datasetArn)
    }

    /// Changes a solution's automatic training (the only part of a solution that can change). The
    /// schedule restarts: the next automatic training is due an hour after the update.
    public func updateSolution(_ request: UpdateSolutionRequest) async throws -> UpdateSolutionResponse {
        let expression = request.solutionUpdateConfig?.autoTrainingConfig?.schedulingExpression
        if let expression { try TrainingSchedule.validate(expression) }
        let date = now
        try await write { db in
            _ = try ResourceStore.update(
                db, Solution.self, arn: request.solutionArn, kind: .solution, at: date, status: \.status
            ) { solution in
                if let automatic = request.performAutoTraining { solution.performAutoTraining = automatic }
                if let incremental = request.performIncrementalUpdate {
                    solution.performIncrementalUpdate = incremental
                }
                var config = solution.solutionConfig ?? SolutionConfig()
                if let expression {
                    config.autoTrainingConfig = AutoTrainingConfig(schedulingExpression: expression)
                } else if solution.performAutoTraining == true, config.autoTrainingConfig == nil {
                    config.autoTrainingConfig = AutoTrainingConfig(
                        schedulingExpression: TrainingSchedule.defaultExpression)
                }
                solution.solutionConfig = config
                solution.lastUpdatedDateTime = date
                solution.latestSolutionUpdate = SolutionUpdateSummary(
                    solutionUpdateConfig: SolutionUpdateConfig(autoTrainingConfig: config.autoTrainingConfig),
                    status: Status.active, performAutoTraining: solution.performAutoTraining,
                    performIncrementalUpdate: solution.performIncrementalUpdate, creationDateTime: date,
                    lastUpdatedDateTime: date)
            }
        }
        return UpdateSolutionResponse(solutionArn: request.solutionArn)
    }

    /// Stops training: a pending version stops at once; one in progress goes `CREATE STOPPING` and
    /// becomes `CREATE STOPPED` when the training thread returns (its model is discarded).
    public func stopSolutionVersionCreation(_ request: StopSolutionVersionCreationRequest) async throws -> EmptyResponse
    {
        let arn = request.solutionVersionArn
        let date = now
        try await write { db in
            _ = try ResourceStore.update(
                db, SolutionVersion.self, arn: arn, kind: .solutionVersion, at: date, status: \.status
            ) { version in
                switch version.status {
                case Status.createPending: version.status = Status.createStopped
                case Status.createInProgress: version.status = Status.createStopping
                default:
                    throw PersonalizeError.inUse(
                        "Solution version \(arn) is \(version.status ?? "settled"); only a pending or training version can stop."
                    )
                }
                version.lastUpdatedDateTime = date
            }
        }
        return EmptyResponse()
    }
}
