import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

/// The models campaigns and recommenders serve: loaded from their files on first use and kept in `state.deployed`.
extension ServingRuntime {
    /// The deployed model of an ACTIVE campaign and the campaign's description.
    func deployedCampaign(campaignArn: String) async throws -> (model: DeployedModel, campaign: Campaign) {
        let campaign = try await read { db in
            try ResourceStore.load(db, Campaign.self, arn: campaignArn, kind: .campaign)
        }
        guard campaign.status == Status.active, let versionArn = campaign.solutionVersionArn else {
            throw PersonalizeError.inUse(
                "Campaign \(campaignArn) is \(campaign.status ?? "not active"); it serves once ACTIVE.")
        }
        if let model = deployed(campaignArn), model.solutionVersionArn == versionArn { return (model, campaign) }
        let model = try await loadModel(versionArn)
        setDeployed(model, for: campaignArn)
        return (model, campaign)
    }

    /// The deployed model of an ACTIVE campaign, loaded from its file on first use in this process.
    package func deployedModel(campaignArn: String) async throws -> DeployedModel {
        try await deployedCampaign(campaignArn: campaignArn).model
    }

    func loadModel(_ versionArn: String) async throws -> DeployedModel {
        let store = models
        let version = try await read { db in
            try ResourceStore.load(db, SolutionVersion.self, arn: versionArn, kind: .solutionVersion)
        }
        let group = version.datasetGroupArn
        let artifact = try await compute { try ModelArtifact(serialized: try store.read(for: versionArn)) }
        // The optimization objective's values are read when the model is loaded, for the items it knows.
        let objective =
            artifact.header.recipe.takesOptimizationObjective
            ? try await read { db in
                try ModelControl.objectiveBoost(
                    db, config: version.solutionConfig, group: group, itemIDs: artifact.header.itemIDs)
            } : nil
        return try await compute {
            DeployedModel(
                solutionVersionArn: versionArn, artifact: artifact, datasetGroupArn: group, objective: objective,
                excludedColumns: version.solutionConfig?.trainingDataConfig?.excludedDatasetColumns)
        }
    }

    /// The recommender's model for serving, with its use case.
    func deployedModel(recommenderArn: String) async throws -> (DeployedModel, DomainUseCase, RecommenderConfig?) {
        let recommender = try await read { db in
            try ResourceStore.load(db, Recommender.self, arn: recommenderArn, kind: .recommender)
        }
        guard recommender.status == Status.active else {
            throw PersonalizeError.inUse(
                "Recommender \(recommenderArn) is \(recommender.status ?? "not active"); it serves once ACTIVE.")
        }
        let useCase = try DomainUseCase.find(recommender.recipeArn ?? "")
        if let model = deployed(recommenderArn) { return (model, useCase, recommender.recommenderConfig) }
        let store = models
        let model = try await compute {
            DeployedModel(
                solutionVersionArn: recommenderArn,
                artifact: try ModelArtifact(serialized: try store.read(for: recommenderArn)),
                datasetGroupArn: recommender.datasetGroupArn,
                excludedColumns: recommender.recommenderConfig?.trainingDataConfig?.excludedDatasetColumns)
        }
        setDeployed(model, for: recommenderArn)
        return (model, useCase, recommender.recommenderConfig)
    }
}
