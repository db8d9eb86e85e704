import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension TrainingJobs {
    /// Trains the version `arn`; returns its solution's ARN when the version became ACTIVE.
    func runTraining(arn: String) async -> String? {
        let started = clock.now()
        do {
            let version = try await updateVersion(arn) { version in
                if version.status == Status.createPending { version.status = Status.createInProgress }
            }
            guard version.status == Status.createInProgress else { return nil }
            let recipe = try BuiltInRecipe.named(arn: version.recipeArn ?? "")
            let (artifact, metrics, tuned) =
                if version.trainingMode == .update, let updated = try await incrementalModel(version, recipe: recipe) {
                    (updated.artifact, updated.metrics, [String: String]?.none)
                } else {
                    try await trainModel(
                        recipe, datasetGroupArn: version.datasetGroupArn, eventType: version.eventType,
                        config: version.solutionConfig ?? SolutionConfig(), performHPO: version.performHPO == true)
                }
            let bytes = try artifact.serialized()
            try models.write(bytes, for: arn)
            let hours = clock.now().timeIntervalSince(started) / 3600
            let metricsData = try JSONEncoder().encode(metrics)
            let finished = try await updateVersion(arn) { version in
                guard version.status == Status.createInProgress else {
                    version.status = Status.createStopped
                    return
                }
                version.status = Status.active
                version.trainingHours = hours
                if let tuned { version.tunedHPOParams = TunedHPOParams(algorithmHyperParameters: tuned) }
            } also: { db in
                try SolutionMetricsTable.save(db, versionArn: arn, metrics: metricsData)
            }
            if finished.status == Status.createStopped {
                models.remove(for: arn)
                return nil
            }
            logger.info("trained \(recipe.name)", metadata: ["solutionVersion": "\(arn)", "metrics": "\(metrics)"])
            return finished.solutionArn
        } catch {
            let reason = failureReason(error, job: arn)
            logger.warning("training failed: \(reason)", metadata: ["solutionVersion": "\(arn)"])
            _ = try? await updateVersion(arn) { version in
                version.status = version.status == Status.createStopping ? Status.createStopped : Status.createFailed
                version.failureReason = version.status == Status.createStopped ? nil : reason
            }
            return nil
        }
    }

    /// Loads the dataset group's interactions (after the event type and value filters), checks the guide's
    /// minimums and trains `recipe` on a background thread: the model file's contents and the offline metrics.
    /// With `performHPO`, the `hpoConfig` candidates are compared first (``RecipeTrainer/tuned(_:candidates:progress:)``)
    /// and the best one trains the model; its hyperparameters come back as the third value.
    func trainModel(
        _ recipe: BuiltInRecipe, datasetGroupArn: String?, eventType: String?, config: SolutionConfig,
        performHPO: Bool = false
    ) async throws -> (ModelArtifact, [String: Double], [String: String]?) {
        let hyperParameters = try HyperParameters.resolve(config.algorithmHyperParameters ?? [:], recipe: recipe)
        if recipe.type == .personalizedActions {
            let data = try await loadActionTrainingData(datasetGroupArn: datasetGroupArn)
            let trainer = RecipeTrainer(
                recipe: recipe, hyperParameters: hyperParameters, seed: configuration.seed,
                threads: configuration.trainingThreads, given: config.algorithmHyperParameters ?? [:])
            return try await compute {
                let (artifact, metrics) = trainer.trainActions(data)
                return (artifact, metrics, nil)
            }
        }
        let data = try await trainingData(datasetGroupArn: datasetGroupArn, eventType: eventType, config: config)
        let objective =
            recipe.takesOptimizationObjective
            ? try await database.pool.read { db in
                try ModelControl.objectiveBoost(db, config: config, group: datasetGroupArn, itemIDs: data.itemIDs)
            } : nil
        var configured = RecipeTrainer(
            recipe: recipe, hyperParameters: hyperParameters, seed: configuration.seed,
            threads: configuration.trainingThreads, given: config.algorithmHyperParameters ?? [:],
            featureTransformation: config.featureTransformationParameters ?? [:])
        configured.objective = objective
        let trainer = configured
        let search =
            performHPO ? try HyperParameterSearch(config.hpoConfig, recipe: recipe, seed: configuration.seed) : nil
        let logger = self.logger
        return try await compute {
            guard let search else {
                let (artifact, metrics) = try trainer.train(data)
                return (artifact, metrics, nil)
            }
            let (best, chosen, scores) = trainer.tuned(data, candidates: search.candidates)
            logger.info("HPO chose \(chosen) from \(search.candidates.count) candidates (NDCG@10 \(scores))")
            let (artifact, metrics) = try best.train(data)
            return (artifact, metrics, best.hyperParameters)
        }
    }

    /// The dataset group's interactions after the solution's event type and value filters, checked against
    /// the guide's minimums.
    func trainingData(datasetGroupArn: String?, eventType: String?, config: SolutionConfig) async throws
        -> TrainingData
    {
        let threshold = config.eventValueThreshold.flatMap(Double.init)
        let data = try await database.pool.read { db in
            let interactions = try ResourceStore.rows(db, kind: .dataset, parent: datasetGroupArn).first {
                (try? ResourceStore.decode(Dataset.self, $0).datasetType) == DatasetType.interactions.rawValue
            }
            guard let interactions else {
                throw TrainingFailure(reason: "The dataset group has no INTERACTIONS dataset.")
            }
            let table = try DatasetTable.find(db, datasetArn: interactions.arn)
            return try TrainingData.load(db, table: table, eventType: eventType, eventValueThreshold: threshold)
        }
        try data.checkMinimums(configuration.limits, eventType: eventType)
        return data
    }

    @discardableResult
    func updateVersion(
        _ arn: String, _ change: @Sendable @escaping (inout SolutionVersion) -> Void,
        also: @Sendable @escaping (Database) throws -> Void = { _ in }
    ) async throws -> SolutionVersion {
        let date = clock.now()
        return try await database.pool.write { db in
            let version = try ResourceStore.update(
                db, SolutionVersion.self, arn: arn, kind: .solutionVersion, at: date, status: \.status
            ) { version in
                change(&version)
                version.lastUpdatedDateTime = date
            }
            try also(db)
            return version
        }
    }
}
