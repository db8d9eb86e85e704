import EngineAPI

extension ServingRuntime {
    /// ``deployedCampaign(campaignArn:)``, from the snapshot's served campaigns while no resource changed since the
    /// lookup: a request then reads nothing to find its campaign.
    func servedCampaign(campaignArn: String) async throws -> (model: DeployedModel, campaign: Campaign) {
        let generation = dataChanges.resourceGeneration
        if let served = inSnapshot({ $0.servedCampaigns[campaignArn] }), served.resourceGeneration == generation {
            return (served.model, served.campaign)
        }
        let (model, campaign) = try await deployedCampaign(campaignArn: campaignArn)
        // Kept only while the campaign still serves this model: a deployment that raced with the lookup wins.
        publish { snapshot in
            guard snapshot.deployed[campaignArn]?.loadID == model.loadID else { return }
            snapshot.servedCampaigns[campaignArn] = ServedCampaign(
                resourceGeneration: generation, model: model, campaign: campaign)
        }
        return (model, campaign)
    }
}
