import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// The related-items, trending and personalized-ranking recipes, trained and served through the engine's API.
@Suite struct RecipeRuntimeTests {
    let data = SyntheticData(users: 200, items: 200, clusters: 4)

    private func deploy(
        _ harness: EngineHarness, group: String, recipe: String, hyperParameters: [String: String]? = nil,
        featureTransformation: [String: String]? = nil
    ) async throws -> String {
        let engine = harness.engine
        let solution =
            try await engine.send(
                CreateSolutionRequest(
                    name: "s-\(recipe)", performAutoTraining: false, recipeArn: ARN.recipe(recipe),
                    datasetGroupArn: group,
                    solutionConfig: SolutionConfig(
                        algorithmHyperParameters: hyperParameters,
                        featureTransformationParameters: featureTransformation))
            ).solutionArn ?? ""
        let version =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version)).solutionVersion?.status
        }
        #expect(status == "ACTIVE", "\(recipe)")
        let campaign =
            try await engine.send(CreateCampaignRequest(name: "c-\(recipe)", solutionVersionArn: version)).campaignArn
            ?? ""
        await engine.waitForBackgroundJobs()
        return campaign
    }

    private func cluster(_ item: String) -> Int { (Int(item.dropFirst()) ?? 0) % data.clusters }

    @Test(arguments: ["aws-sims", "aws-similar-items"])
    func relatedItemsComeFromTheSameTastes(recipe: String) async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let campaign = try await deploy(harness, group: group, recipe: recipe)
        let engine = harness.engine
        let related =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, itemId: "i5", numResults: 10))
            .itemList?.compactMap(\.itemId) ?? []
        #expect(related.count == 10)
        #expect(!related.contains("i5"), "the item itself is never its own neighbour")
        #expect(related.filter { cluster($0) == cluster("i5") }.count >= 8, "\(related)")
        let other =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, itemId: "i6", numResults: 10))
            .itemList?.compactMap(\.itemId) ?? []
        #expect(other.filter { cluster($0) == cluster("i6") }.count >= 8, "\(other)")
        // An unknown item gets popular items, as the guide says; so does a request without an item.
        let unknown =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, itemId: "nope", numResults: 5))
            .itemList?.compactMap(\.itemId) ?? []
        #expect(unknown.count == 5)
        await #expect {
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u1"))
        } throws: { ($0 as? PersonalizeError)?.message.contains("itemId is required") == true }
    }

    @Test func trendingRanksTheFastestGrowingItemsFirst() async throws {
        let clock = MovableClock(Date(timeIntervalSince1970: 1_800_000_000))
        let harness = try EngineHarness(clock: clock)
        let now = Int(clock.now().timeIntervalSince1970)
        let hour = 3600
        let evaluatedAt = now - now % hour
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"]
        // Old, steady popularity: i0..i9, many users, a week ago.
        for user in 0..<60 { for item in 0..<10 { lines.append("u\(user),i\(item),\(now - 7 * 86_400),click,1") } }
        // The period before the last: i20 and i21 were busy.
        for user in 0..<30 { lines.append("u\(user),i20,\(evaluatedAt - hour - 600),click,1") }
        for user in 0..<30 { lines.append("u\(user),i21,\(evaluatedAt - hour - 600),click,1") }
        // The last complete period: i30 grew from nothing, i21 stayed level, i20 fell.
        for user in 0..<25 { lines.append("u\(user),i30,\(evaluatedAt - 600),click,1") }
        for user in 0..<30 { lines.append("u\(user),i21,\(evaluatedAt - 600),click,1") }
        for user in 0..<5 { lines.append("u\(user),i31,\(evaluatedAt - 600),click,1") }
        let (group, _, status) = try await harness.importInteractions(lines.joined(separator: "\n") + "\n")
        #expect(status == "ACTIVE")
        let campaign = try await deploy(
            harness, group: group, recipe: "aws-trending-now",
            featureTransformation: ["trend_discovery_frequency": "1 hour"])
        let engine = harness.engine
        let trending =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, numResults: 4)).itemList?
            .compactMap(\.itemId) ?? []
        #expect(Array(trending.prefix(2)) == ["i30", "i31"], "growth first: \(trending)")
        #expect(!trending.prefix(2).contains("i20"))
        // The guide's trend prediction accuracy is among the version's metrics.
        let version = try await engine.send(DescribeCampaignRequest(campaignArn: campaign)).campaign?.solutionVersionArn
        let metrics = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: version ?? "")).metrics ?? [:]
        #expect((0...1).contains(metrics["trend_prediction_accuracy"] ?? -1), "\(metrics)")

        // Two periods later nothing happened in either: popular items only.
        clock.advance(by: 3 * Double(hour))
        let quiet =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, numResults: 3)).itemList?
            .compactMap(\.itemId) ?? []
        #expect(Set(quiet).isSubset(of: Set((0..<10).map { "i\($0)" }).union(["i21"])), "\(quiet)")

        await #expect {
            try await engine.send(
                CreateSolutionRequest(
                    name: "bad", recipeArn: ARN.recipe("aws-trending-now"), datasetGroupArn: group,
                    solutionConfig: SolutionConfig(featureTransformationParameters: [
                        "trend_discovery_frequency": "2 days"
                    ])))
        } throws: { ($0 as? PersonalizeError)?.message.contains("'30 minutes', '1 hour', '3 hours', '1 day'") == true }
    }

    @Test func personalizedRankingOrdersTheInputListForTheUser() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let campaign = try await deploy(
            harness, group: group, recipe: "aws-personalized-ranking", hyperParameters: ["hidden_dimension": "32"])
        let engine = harness.engine
        // u1 belongs to cluster 1: its items should rank above the others'.
        let input = ["i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i5", "unknown-item"]
        let ranked =
            try await engine.send(GetPersonalizedRankingRequest(campaignArn: campaign, inputList: input, userId: "u1"))
            .personalizedRanking ?? []
        let ids = ranked.compactMap(\.itemId)
        #expect(ids.count == 9, "each input item once: \(ids)")
        #expect(Set(ids) == Set(input))
        #expect(ids.last == "unknown-item")
        #expect(ranked.last?.score == nil, "an item without data has no score")
        #expect(ids.prefix(2).allSatisfy { cluster($0) == 1 }, "\(ids)")
        let total = ranked.compactMap(\.score).reduce(0, +)
        #expect(abs(total - 1) < 1e-4, "scores sum to 1 over the input items: \(total)")

        await #expect {
            try await engine.send(
                GetPersonalizedRankingRequest(
                    campaignArn: campaign, inputList: (0..<501).map { "i\($0)" }, userId: "u1"))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        let userCampaign = try await deploy(
            harness, group: group, recipe: "aws-user-personalization", hyperParameters: ["hidden_dimension": "32"])
        await #expect {
            try await engine.send(
                GetPersonalizedRankingRequest(campaignArn: userCampaign, inputList: ["i1"], userId: "u1"))
        } throws: { ($0 as? PersonalizeError)?.message.contains("PERSONALIZED_RANKING") == true }
    }
}

/// `CurrentItem` filters on a related-items campaign (the guide's "same genre as the item" example).
@Suite struct RelatedItemsFilterTests {
    @Test func currentItemKeepsTheRequestedItemsGenre() async throws {
        let shop = try await FilterShop.open()
        let engine = shop.harness.engine
        let (version, status) = try await shop.harness.train(group: shop.group, name: "sims", recipe: "aws-sims")
        #expect(status == "ACTIVE")
        let campaign =
            try await engine.send(CreateCampaignRequest(name: "related", solutionVersionArn: version)).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        let sameGenre = try await shop.filter("same-genre", "INCLUDE ItemID WHERE Items.GENRE IN (CurrentItem.GENRE)")
        let related =
            try await engine.send(
                GetRecommendationsRequest(campaignArn: campaign, itemId: "i6", numResults: 8, filterArn: sameGenre)
            ).itemList?.compactMap(\.itemId) ?? []
        #expect(related.count == 8)
        // Categorical values match any of an item's `|` values.
        let wanted = FilterShop.genre(6).split(separator: "|").first.map(String.init) ?? ""
        let genres = related.map { FilterShop.genre(Int($0.dropFirst()) ?? 0) }
        #expect(genres.allSatisfy { $0.split(separator: "|").contains(Substring(wanted)) }, "\(zip(related, genres))")
        #expect(!related.contains("i6"))
    }
}
