import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Campaign rules (part 2 §13).
@Suite struct ConformanceCampaignTests {
    /// An engine with interactions and two ACTIVE Popularity-Count versions of one solution.
    private func trained() async throws -> (ConformanceShop, [String]) {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(SyntheticData().interactionsCSV())
        let shop = ConformanceShop(harness: harness, group: group)
        let engine = harness.engine
        let solutionArn = try await harness.createSolution("pop", recipe: "aws-popularity-count", group: group)
        var versions: [String] = []
        for _ in 0..<2 {
            let arn = try await engine.send(CreateSolutionVersionRequest(solutionArn: solutionArn)).solutionVersionArn
            await engine.waitForBackgroundJobs()
            let status = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: arn ?? ""))
                .solutionVersion?.status
            #expect(status == "ACTIVE")
            versions.append(arn ?? "")
        }
        return (shop, versions)
    }

    /// The campaign `broken` of `version` deployed after its model file was deleted, once it settled.
    private func brokenCampaign(_ shop: ConformanceShop, _ version: String) async throws -> Campaign? {
        try FileManager.default.removeItem(at: shop.engine.core.models.url(for: version))
        return try await shop.campaign(version, name: "broken")
    }

    private func recommend(_ engine: LocalEngine, _ campaignArn: String) async -> PersonalizeError? {
        await ConformanceShop.error {
            _ = try await engine.send(GetRecommendationsRequest(campaignArn: campaignArn, userId: "u1"))
        }
    }

    @Test func minProvisionedTPSDefaultsToOneAndIsAtLeastOne() async throws {
        let (shop, versions) = try await trained()
        let campaign = try await shop.campaign(versions[0], name: "default-tps")
        #expect(campaign?.minProvisionedTPS == 1)
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(
                CreateCampaignRequest(name: "zero", solutionVersionArn: versions[0], minProvisionedTPS: 0))
        }
        #expect(error?.code == .invalidInputException)
    }

    @Test func aCampaignDeploysOnlyAnActiveSolutionVersion() async throws {
        var limits = EngineHarness.smallLimits
        limits.minimumUsersWithTwoInteractions = 500
        let harness = try EngineHarness(limits: limits)
        let (group, _, _) = try await harness.importInteractions(SyntheticData().interactionsCSV())
        let shop = ConformanceShop(harness: harness, group: group)
        let failed = try await shop.train("aws-popularity-count", name: "pop")
        #expect(failed?.status == "CREATE FAILED")
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(
                CreateCampaignRequest(name: "c", solutionVersionArn: failed?.solutionVersionArn ?? ""))
        }
        #expect(error != nil)
        let campaigns = try await shop.engine.send(ListCampaignsRequest()).campaigns ?? []
        #expect(campaigns.isEmpty)
    }

    @Test func aCampaignServesOnlyWhenActive() async throws {
        let (shop, versions) = try await trained()
        let engine = shop.engine
        // A campaign whose model cannot be loaded fails to deploy and does not serve.
        let failed = try await brokenCampaign(shop, versions[0])
        #expect(failed?.status == "CREATE FAILED")
        #expect(await recommend(engine, failed?.campaignArn ?? "") != nil)

        let active = try await shop.campaign(versions[1], name: "working")
        #expect(active?.status == "ACTIVE")
        #expect(await recommend(engine, active?.campaignArn ?? "") == nil)
        _ = try await engine.send(DeleteCampaignRequest(campaignArn: active?.campaignArn ?? ""))
        #expect(await recommend(engine, active?.campaignArn ?? "") != nil, "a campaign being deleted does not serve")
    }

    @Test func updateCampaignDeploysAnotherVersionAndSettings() async throws {
        let (shop, versions) = try await trained()
        let engine = shop.engine
        let arn = try await shop.campaign(versions[0], name: "shop")?.campaignArn ?? ""
        _ = try await engine.send(
            UpdateCampaignRequest(campaignArn: arn, solutionVersionArn: versions[1], minProvisionedTPS: 3))
        await engine.waitForBackgroundJobs()
        let campaign = try await engine.send(DescribeCampaignRequest(campaignArn: arn)).campaign
        #expect(campaign?.solutionVersionArn == versions[1])
        #expect(campaign?.minProvisionedTPS == 3)
        #expect(campaign?.latestCampaignUpdate?.status == "ACTIVE")
        #expect(await recommend(engine, arn) == nil)
    }

    @Test func updateCampaignNeedsAnActiveOrCreateFailedCampaign() async throws {
        let (shop, versions) = try await trained()
        let engine = shop.engine
        let failed = try await brokenCampaign(shop, versions[0])
        #expect(failed?.status == "CREATE FAILED")
        let arn = failed?.campaignArn ?? ""
        _ = try await engine.send(UpdateCampaignRequest(campaignArn: arn, solutionVersionArn: versions[1]))
        await engine.waitForBackgroundJobs()
        let repaired = try await engine.send(DescribeCampaignRequest(campaignArn: arn)).campaign
        #expect(repaired?.status == "ACTIVE", "updating a CREATE FAILED campaign deploys it")
        #expect(repaired?.solutionVersionArn == versions[1])
        #expect(await recommend(engine, arn) == nil)

        _ = try await engine.send(DeleteCampaignRequest(campaignArn: arn))
        let error = await ConformanceShop.error {
            _ = try await engine.send(UpdateCampaignRequest(campaignArn: arn, minProvisionedTPS: 2))
        }
        #expect(error?.code == .resourceInUseException || error?.code == .resourceNotFoundException)
    }
}
