import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension ModelControl {
    func createCampaign(_ request: CreateCampaignRequest) async throws -> CreateCampaignResponse {
        try validateName(request.name)
        _ = try ExplorationSettings.parse(request.campaignConfig?.itemExplorationConfig)
        let tps = request.minProvisionedTPS ?? 1
        let arn = arn(.campaign, request.name)
        let date = now
        let limit = configuration.limits.maximumActiveCampaignsPerDatasetGroup
        let sync = request.campaignConfig?.syncWithLatestSolutionVersion == true
        let versionArn = try await write { db in
            let versionArn = try AutoTraining.resolveSolutionVersion(db, request.solutionVersionArn, sync: sync)
            let version = try ResourceStore.load(db, SolutionVersion.self, arn: versionArn, kind: .solutionVersion)
            guard version.status == Status.active else {
                throw PersonalizeError.inUse(
                    "Solution version \(versionArn) is \(version.status ?? "not active"); a campaign needs an ACTIVE one."
                )
            }
            if let recipe = BuiltInRecipe(arn: version.recipeArn ?? ""), recipe.type == .userSegmentation {
                throw PersonalizeError.invalidInput(
                    "\(recipe.name) makes user segments in batch segment jobs; it cannot be deployed in a campaign.")
            }
            let solutions = try ResourceStore.rows(db, kind: .solution, parent: version.datasetGroupArn).map(\.arn)
            let active = try solutions.reduce(0) { total, solution in
                total
                    + (try ResourceStore.rows(db, kind: .campaign, parent: solution)
                        .filter { $0.status == Status.active }.count)
            }
            if active >= limit {
                throw PersonalizeError.limitExceeded(
                    "Unable to create campaign. There are more than \(limit) resources with ACTIVE status. "
                        + "Please delete some and try again.")
            }
            let campaign = Campaign(
                name: request.name, campaignArn: arn, solutionVersionArn: versionArn, minProvisionedTPS: tps,
                campaignConfig: request.campaignConfig, status: Status.createPending, creationDateTime: date,
                lastUpdatedDateTime: date)
            try Self.insertResource(
                db, arn: arn, kind: .campaign, name: request.name, parent: version.solutionArn,
                status: Status.createPending, at: date, body: campaign, tags: request.tags)
            return versionArn
        }
        startBackgroundJob(arn) { [self] in
            await campaignDeployment.deploy(campaignArn: arn, versionArn: versionArn, isUpdate: false)
        }
        return CreateCampaignResponse(campaignArn: arn)
    }

    func updateCampaign(_ request: UpdateCampaignRequest) async throws -> UpdateCampaignResponse {
        let arn = request.campaignArn
        _ = try ExplorationSettings.parse(request.campaignConfig?.itemExplorationConfig)
        let date = now
        let campaign = try await write { db in
            try ResourceStore.update(db, Campaign.self, arn: arn, kind: .campaign, at: date, status: \.status) {
                campaign in
                // The guide: a campaign can be updated when ACTIVE or CREATE FAILED (part 2 §13.7).
                guard campaign.status == Status.active || campaign.status == Status.createFailed else {
                    throw PersonalizeError.inUse(
                        "Campaign \(arn) is \(campaign.status ?? "not active"); it can be updated when ACTIVE or "
                            + "CREATE FAILED.")
                }
                if let pending = campaign.latestCampaignUpdate, Status.isTransient(pending.status) {
                    throw PersonalizeError.inUse("Campaign \(arn) is already being updated.")
                }
                let config = request.campaignConfig ?? campaign.campaignConfig
                let sync = config?.syncWithLatestSolutionVersion == true
                let versionArn =
                    try request.solutionVersionArn.map {
                        try AutoTraining.resolveSolutionVersion(db, $0, sync: sync)
                    } ?? campaign.solutionVersionArn
                if let versionArn {
                    let version = try ResourceStore.load(
                        db, SolutionVersion.self, arn: versionArn, kind: .solutionVersion)
                    guard version.status == Status.active else {
                        throw PersonalizeError.inUse("Solution version \(versionArn) is not ACTIVE.")
                    }
                }
                campaign.latestCampaignUpdate = CampaignUpdateSummary(
                    solutionVersionArn: versionArn,
                    minProvisionedTPS: request.minProvisionedTPS ?? campaign.minProvisionedTPS,
                    campaignConfig: config, status: Status.updatePending,
                    creationDateTime: date, lastUpdatedDateTime: date)
            }
        }
        let versionArn = campaign.latestCampaignUpdate?.solutionVersionArn ?? ""
        startBackgroundJob(arn) { [self] in
            await campaignDeployment.deploy(campaignArn: arn, versionArn: versionArn, isUpdate: true)
        }
        return UpdateCampaignResponse(campaignArn: arn)
    }

    func deleteCampaign(_ request: DeleteCampaignRequest) async throws -> EmptyResponse {
        try await deleteSettled(request.campaignArn, kind: .campaign, named: "Campaign")
    }
}
