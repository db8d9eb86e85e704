import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension TrainingJobs {
    /// Why a recommender trains.
    enum RecommenderTraining: Sendable {
        /// CreateRecommender.
        case create
        /// UpdateRecommender changed the training columns (`latestRecommenderUpdate` tracks it).
        case update
        /// The weekly full retraining: the recommender stays ACTIVE, and a failure keeps the previous model.
        case automatic
    }

    /// Trains the use case's recipe for the recommender (creation, an update that changed the training
    /// columns, or the weekly retraining); the previous model serves until the new one is written.
    func trainRecommender(_ arn: String, useCase: DomainUseCase, mode: RecommenderTraining) async {
        let update = mode == .update
        let started = clock.now()
        do {
            let recommender = try await updateRecommender(arn) { recommender in
                if update {
                    recommender.latestRecommenderUpdate?.status = Status.updateInProgress
                } else if recommender.status == Status.createPending {
                    recommender.status = Status.createInProgress
                }
            }
            let recipe = useCase.recipe
            var config = SolutionConfig()
            if recipe == .userPersonalization {
                config.algorithmHyperParameters = ["hidden_dimension": "64"]
            }
            let (artifact, metrics, _) = try await trainModel(
                recipe, datasetGroupArn: recommender.datasetGroupArn, eventType: useCase.eventType, config: config)
            try models.write(try artifact.serialized(), for: arn)
            serving.setDeployed(nil, for: arn)
            try await database.pool.write { db in
                try RecommenderTrainingTable.setTrained(db, recommenderArn: arn, at: started)
            }
            try await updateRecommender(arn) { recommender in
                recommender.modelMetrics = metrics
                if update {
                    recommender.latestRecommenderUpdate?.status = Status.active
                    recommender.recommenderConfig = recommender.latestRecommenderUpdate?.recommenderConfig
                } else {
                    recommender.status = Status.active
                }
            }
            logger.info("trained recommender \(useCase.recipe)", metadata: ["recommender": "\(arn)"])
        } catch {
            let reason = failureReason(error, job: arn)
            logger.warning("recommender training failed: \(reason)", metadata: ["recommender": "\(arn)"])
            // A failed weekly retraining keeps the recommender ACTIVE on its previous model.
            guard mode != .automatic else { return }
            _ = try? await updateRecommender(arn) { recommender in
                if update {
                    recommender.latestRecommenderUpdate?.status = Status.createFailed
                    recommender.latestRecommenderUpdate?.failureReason = reason
                } else {
                    recommender.status = Status.createFailed
                    recommender.failureReason = reason
                }
            }
        }
    }

    @discardableResult
    func updateRecommender(
        _ arn: String, _ change: @Sendable @escaping (inout Recommender) -> Void
    ) async throws -> Recommender {
        let date = clock.now()
        return try await database.pool.write { db in
            try ResourceStore.update(db, Recommender.self, arn: arn, kind: .recommender, at: date, status: \.status) {
                change(&$0)
                $0.lastUpdatedDateTime = date
            }
        }
    }
}
