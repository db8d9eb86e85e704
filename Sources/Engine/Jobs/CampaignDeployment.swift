import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

/// A campaign's deployment: its model loaded, then the campaign switched to it.
package struct CampaignDeployment: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}

extension CampaignDeployment {
    /// Loads the model of `versionArn` and switches the campaign to it; the previous model keeps
    /// serving until the switch, so an update has no gap.
    func deploy(campaignArn: String, versionArn: String, isUpdate: Bool) async {
        let result: Result<DeployedModel, any Error>
        do {
            let model = try await serving.loadModel(versionArn)
            result = .success(model)
        } catch {
            result = .failure(error)
        }
        let date = now
        do {
            try await write { db in
                _ = try ResourceStore.update(
                    db, Campaign.self, arn: campaignArn, kind: .campaign, at: date, status: \.status
                ) {
                    campaign in
                    Self.finishDeployment(&campaign, result: result, isUpdate: isUpdate, at: date)
                }
            }
            if case .success(let model) = result { serving.setDeployed(model, for: campaignArn) }
        } catch {
            logger.warning("campaign deployment not recorded: \(error)", metadata: ["campaign": "\(campaignArn)"])
        }
    }

    static func finishDeployment(
        _ campaign: inout Campaign, result: Result<DeployedModel, any Error>, isUpdate: Bool, at date: Date
    ) {
        campaign.lastUpdatedDateTime = date
        switch (result, isUpdate) {
        case (.success, false):
            campaign.status = Status.active
        case (.failure(let error), false):
            campaign.status = Status.createFailed
            campaign.failureReason = "Could not load the model: \(error)"
        case (.success, true):
            guard let update = campaign.latestCampaignUpdate else { return }
            // An update of a campaign whose creation failed deploys it: it becomes ACTIVE.
            if campaign.status == Status.createFailed {
                campaign.status = Status.active
                campaign.failureReason = nil
            }
            campaign.solutionVersionArn = update.solutionVersionArn
            campaign.minProvisionedTPS = update.minProvisionedTPS
            campaign.campaignConfig = update.campaignConfig
            campaign.latestCampaignUpdate?.status = Status.active
            campaign.latestCampaignUpdate?.lastUpdatedDateTime = date
        case (.failure(let error), true):
            campaign.latestCampaignUpdate?.status = Status.createFailed
            campaign.latestCampaignUpdate?.failureReason = "Could not load the model: \(error)"
            campaign.latestCampaignUpdate?.lastUpdatedDateTime = date
        }
    }
}
