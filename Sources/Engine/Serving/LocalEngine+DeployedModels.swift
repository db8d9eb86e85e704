import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

/// The models campaigns serve: loaded from their files on first use and kept in `deployed`.
extension LocalEngine {
    /// The deployed model of an ACTIVE campaign and the campaign's description.
    func deployedCampaign(campaignArn: String) async throws -> (model: DeployedModel, campaign: Campaign) {
        let campaign = try await read { db in
            try ResourceStore.load(db, Campaign.self, arn: campaignArn, kind: .campaign)
        }
        guard campaign.status == Status.active, let versionArn = campaign.solutionVersionArn else {
            throw PersonalizeError.inUse(
                "Campaign \(campaignArn) is \(campaign.status ?? "not active"); it serves once ACTIVE.")
        }
        if let model = deployed[campaignArn], model.solutionVersionArn == versionArn { return (model, campaign) }
        let model = try await loadModel(versionArn)
        deployed[campaignArn] = model
        return (model, campaign)
    }

    /// The deployed model of an ACTIVE campaign, loaded from its file on first use in this process.
    package func deployedModel(campaignArn: String) async throws -> DeployedModel {
        try await deployedCampaign(campaignArn: campaignArn).model
    }

    nonisolated func loadModel(_ versionArn: String) async throws -> DeployedModel {
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
                try Self.objectiveBoost(
                    db, config: version.solutionConfig, group: group, itemIDs: artifact.header.itemIDs)
            } : nil
        return try await compute {
            DeployedModel(
                solutionVersionArn: versionArn, artifact: artifact, datasetGroupArn: group, objective: objective,
                excludedColumns: version.solutionConfig?.trainingDataConfig?.excludedDatasetColumns)
        }
    }
}
