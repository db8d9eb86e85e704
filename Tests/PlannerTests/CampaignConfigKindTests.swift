import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// A Campaign's `campaignConfig` from its manifest on the embedded engine: exploration and metadata set at
/// creation, changed in place with UpdateCampaign (the whole config sent), no changes after apply or import.
@Suite struct CampaignConfigKindTests {
    static func manifests(weight: String, metadata: Bool) -> String {
        """
        apiVersion: tailor/v1
        kind: Solution
        metadata: {name: picks}
        spec: {datasetGroup: shop, recipe: aws-user-personalization, performAutoTraining: false}
        ---
        apiVersion: tailor/v1
        kind: Campaign
        metadata: {name: picks}
        spec:
          solution: picks
          itemExplorationConfig: {explorationWeight: "\(weight)", explorationItemAgeCutOff: "10"}
          enableMetadataWithRecommendations: \(metadata)

        """
    }

    @Test func explorationAndMetadataAreSetAndUpdatedInPlace() async throws {
        let harness = try EngineBackedHarness()
        defer { harness.directory.remove() }
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("campaign.yaml", Self.manifests(weight: "0", metadata: true))
        let address = ResourceAddress(.campaign, "picks")
        #expect(try await harness.apply(try await harness.plan()).succeeded)
        let arn = try harness.arn(address)
        func config() async throws -> CampaignConfig? {
            try await harness.local.send(DescribeCampaignRequest(campaignArn: arn)).campaign?.campaignConfig
        }
        #expect(
            try await config()?.itemExplorationConfig == ["explorationWeight": "0", "explorationItemAgeCutOff": "10"])
        #expect(try await config()?.enableMetadataWithRecommendations == true)
        #expect(try await !harness.plan().hasChanges)

        try await harness.forgetAndImport(address, arn: arn)
        #expect(try await !harness.plan().hasChanges, "import reads the campaign config back")

        await harness.engine.reset()
        try harness.directory.write("campaign.yaml", Self.manifests(weight: "0.5", metadata: false))
        let plan = try await harness.plan()
        #expect(plan[address]?.action == .update)
        #expect(
            plan[address]?.fields.map(\.path).sorted()
                == ["enableMetadataWithRecommendations", "itemExplorationConfig.explorationWeight"])
        #expect(try await harness.apply(plan).succeeded)
        let sent = await harness.engine.sent(UpdateCampaignRequest.self)
        #expect(sent.count == 1)
        #expect(
            sent.first?.campaignConfig?.itemExplorationConfig
                == ["explorationWeight": "0.5", "explorationItemAgeCutOff": "10"], "the whole config is sent")
        #expect(try await config()?.itemExplorationConfig?["explorationWeight"] == "0.5")
        #expect(try await config()?.enableMetadataWithRecommendations == false)
        #expect(await harness.engine.sent(CreateCampaignRequest.self).isEmpty)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func unknownExplorationKeysAreReportedWhereTheyAre() throws {
        let errors = try ShopFixtures.loadErrors(adding: [
            "campaign.yaml": Self.manifests(weight: "0.3", metadata: false).replacingOccurrences(
                of: "explorationItemAgeCutOff", with: "explorationItemAgeCutoff")
        ])
        #expect(
            errors.contains(
                "unknown key 'explorationItemAgeCutoff' in 'spec.itemExplorationConfig'; did you mean "
                    + "'explorationItemAgeCutOff'?"))
    }
}
