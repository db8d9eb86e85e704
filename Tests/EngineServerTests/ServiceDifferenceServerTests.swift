import Engine
import EngineServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import TailorTestSupport
import Testing

/// Differences from the service found with the aws-samples notebooks, over the wire on a loopback port.
@Suite struct ServiceDifferenceServerTests {
    @Test func listRecipesTakesADomainAndDomainRecipesAreDescribed() async throws {
        let harness = try ServerHarness()
        defer { harness.engineHarness.directory.remove() }
        try await harness.test(.live) { client in
            let listed = try await client.control("ListRecipes", #"{"domain": "VIDEO_ON_DEMAND"}"#)
            #expect(listed.status == .ok)
            let recipes = listed.json["recipes"] as? [[String: Any]] ?? []
            #expect(
                Set(recipes.compactMap { $0["name"] as? String }) == [
                    "aws-vod-because-you-watched-x", "aws-vod-more-like-x", "aws-vod-most-popular",
                    "aws-vod-trending-now", "aws-vod-top-picks",
                ])
            #expect(recipes.allSatisfy { $0["domain"] as? String == "VIDEO_ON_DEMAND" })

            let arn = "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you"
            let described = try await client.control("DescribeRecipe", json(["recipeArn": arn]))
            #expect(described.status == .ok, "\(described.text)")
            let recipe = described.json["recipe"] as? [String: Any] ?? [:]
            #expect(recipe["recipeArn"] as? String == arn)
            #expect(recipe["status"] as? String == "ACTIVE")
        }
    }

    /// Over the wire, a deleted resource is described `DELETE PENDING` and holds its name while its window
    /// lasts (an hour here, so that nothing ends it during the test).
    @Test func aDeletedResourceIsDescribedDeletePendingInTheWindowOverTheWire() async throws {
        let engineHarness = try EngineHarness(deletionDelay: 3600)
        defer { engineHarness.directory.remove() }
        var logger = Logger(label: "tailor.server.test")
        logger.logLevel = .critical
        let server = PersonalizeServer(
            service: engineHarness.engine, configuration: ServerConfiguration(), logger: logger)
        try await server.application().test(.live) { client in
            let created = try await client.control("CreateDatasetGroup", #"{"name": "samples"}"#)
            let arn = try #require(created.json["datasetGroupArn"] as? String)
            #expect(try await client.control("DeleteDatasetGroup", json(["datasetGroupArn": arn])).status == .ok)
            let pending = try await client.control("DescribeDatasetGroup", json(["datasetGroupArn": arn]))
            #expect((pending.json["datasetGroup"] as? [String: Any])?["status"] as? String == "DELETE PENDING")
            let listed = try await client.control("ListDatasetGroups", "{}")
            let statuses = (listed.json["datasetGroups"] as? [[String: Any]] ?? []).compactMap {
                $0["status"] as? String
            }
            #expect(statuses == ["DELETE PENDING"])
            let again = try await client.control("CreateDatasetGroup", #"{"name": "samples"}"#)
            #expect(again.errorType == "ResourceAlreadyExistsException")
        }
    }
}
