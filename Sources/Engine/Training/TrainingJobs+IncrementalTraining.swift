import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules
import Recipes

extension TrainingJobs {
    /// `trainingMode` UPDATE of a user-personalization solution: the latest ACTIVE FULL version's model updated
    /// with the data now (``RecipeTrainer/update(_:previous:)``), with that version's offline metrics. Nil when
    /// there is nothing to update from (the version then trains in full).
    func incrementalModel(_ version: SolutionVersion, recipe: BuiltInRecipe) async throws -> (
        artifact: ModelArtifact, metrics: [String: Double]
    )? {
        guard let solutionArn = version.solutionArn else { return nil }
        let base = try await read { db -> (arn: String, metrics: Data?)? in
            let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: solutionArn)
                .map { try ResourceStore.decode(SolutionVersion.self, $0) }
                .filter { $0.status == Status.active && $0.trainingMode != .update }
                .sorted { ($0.creationDateTime ?? .distantPast) > ($1.creationDateTime ?? .distantPast) }
            guard let arn = versions.first?.solutionVersionArn else { return nil }
            let metrics = try SolutionMetricsTable.metrics(db, versionArn: arn)
            return (arn, metrics)
        }
        guard let base else { return nil }
        let config = version.solutionConfig ?? SolutionConfig()
        let hyperParameters = try HyperParameters.resolve(config.algorithmHyperParameters ?? [:], recipe: recipe)
        let data = try await trainingData(
            datasetGroupArn: version.datasetGroupArn, eventType: version.eventType, config: config)
        let store = models
        let trainer = RecipeTrainer(
            recipe: recipe, hyperParameters: hyperParameters, seed: configuration.seed,
            threads: configuration.trainingThreads, given: config.algorithmHyperParameters ?? [:])
        let artifact = try await compute { () -> ModelArtifact? in
            let previous = try ModelArtifact(serialized: try store.read(for: base.arn))
            return trainer.update(data, previous: previous)
        }
        guard let artifact else { return nil }
        let metrics = try base.metrics.map { try JSONDecoder().decode([String: Double].self, from: $0) } ?? [:]
        logger.info(
            "updated \(base.arn) incrementally", metadata: ["solutionVersion": "\(version.solutionVersionArn ?? "")"])
        return (artifact, metrics)
    }
}
