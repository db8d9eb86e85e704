import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension ModelControl {
    /// Changes a solution's automatic training (the only part of a solution that can change). The
    /// schedule restarts: the next automatic training is due an hour after the update.
    func updateSolution(_ request: UpdateSolutionRequest) async throws -> UpdateSolutionResponse {
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
    func stopSolutionVersionCreation(_ request: StopSolutionVersionCreationRequest) async throws -> EmptyResponse {
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
