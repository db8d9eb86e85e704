import EngineAPI
import TailorTestSupport
import Testing

@testable import Engine

/// The serving snapshot: a change is published whole under the next generation, and what was derived from a model
/// is published only while that model is still deployed.
@Suite struct ServingSnapshotTests {
    @Test(.tags(.medium)) func listsComputedForAModelNoLongerDeployedAreNotPublished() async throws {
        let shop = try await CandidateListTests.Shop.open()
        let serving = shop.engine.core.serving
        let model = try await serving.deployedModel(campaignArn: shop.campaign)
        #expect(serving.candidateLists(for: shop.campaign)?.model.loadID == model.loadID)

        let generation = serving.snapshot.generation
        serving.setDeployed(nil, for: shop.campaign)
        #expect(serving.snapshot.generation > generation)
        #expect(serving.deployed(shop.campaign) == nil)
        #expect(serving.candidateLists(for: shop.campaign) == nil, "the lists go with their model, in one snapshot")

        // A computation that started before the model was withdrawn ends after it: its lists are dropped.
        await serving.computeCandidateLists(campaignArn: shop.campaign, model: model)
        #expect(serving.candidateLists(for: shop.campaign) == nil)

        // Deployed again, the same computation is published.
        serving.setDeployed(model, for: shop.campaign)
        await serving.computeCandidateLists(campaignArn: shop.campaign, model: model)
        #expect(serving.candidateLists(for: shop.campaign)?.model.loadID == model.loadID)
        await shop.engine.waitForBackgroundJobs()
    }
}
