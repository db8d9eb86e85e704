import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// The request limits of `GetRecommendations` and `GetPersonalizedRanking` (part 2 §14.4, §14.7–14.8; part 3
/// §12.1).
@Suite struct ConformanceRuntimeLimitTests {
    /// A campaign of `recipe` trained on synthetic interactions.
    private func campaign(_ recipe: String) async throws -> (LocalEngine, String) {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(SyntheticData().interactionsCSV())
        let shop = ConformanceShop(harness: harness, group: group)
        let version = try await shop.train(recipe, name: "model")
        #expect(version?.status == "ACTIVE", "\(version?.failureReason ?? "")")
        let campaign = try await shop.campaign(version?.solutionVersionArn ?? "", name: "model")
        #expect(campaign?.status == "ACTIVE")
        return (harness.engine, campaign?.campaignArn ?? "")
    }

    private func error(_ engine: LocalEngine, _ request: GetRecommendationsRequest) async -> PersonalizeError? {
        await ConformanceShop.error { _ = try await engine.send(request) }
    }

    @Test func numResultsIsAtMost500() async throws {
        let (engine, arn) = try await campaign("aws-user-personalization")
        let all = try await engine.send(GetRecommendationsRequest(campaignArn: arn, userId: "u1", numResults: 500))
        #expect(all.itemList?.isEmpty == false)
        let refused = await error(engine, GetRecommendationsRequest(campaignArn: arn, userId: "u1", numResults: 501))
        #expect(refused?.code == .invalidInputException)
    }

    @Test func exactlyOneOfCampaignArnAndRecommenderArn() async throws {
        let (engine, arn) = try await campaign("aws-user-personalization")
        let both = await error(
            engine, GetRecommendationsRequest(campaignArn: arn, userId: "u1", recommenderArn: arn))
        #expect(both?.code == .invalidInputException)
        let neither = await error(engine, GetRecommendationsRequest(userId: "u1"))
        #expect(neither?.code == .invalidInputException)
    }

    @Test func userPersonalizationNeedsAUserID() async throws {
        let (engine, arn) = try await campaign("aws-user-personalization")
        let refused = await error(engine, GetRecommendationsRequest(campaignArn: arn, itemId: "i1"))
        #expect(refused?.code == .invalidInputException)
        #expect(refused?.message == "userId is required for a USER_PERSONALIZATION campaign.")
    }

    @Test func contextHoldsAtMost150EntriesOfBoundedSize() async throws {
        let (engine, arn) = try await campaign("aws-user-personalization")
        func request(_ context: [String: String]) -> GetRecommendationsRequest {
            GetRecommendationsRequest(campaignArn: arn, userId: "u1", context: context)
        }
        let entries = Dictionary(uniqueKeysWithValues: (0...150).map { ("KEY_\($0)", "v") })
        #expect(await error(engine, request(entries))?.code == .invalidInputException)
        let longKey = String(repeating: "K", count: 151)
        #expect(await error(engine, request([longKey: "v"]))?.code == .invalidInputException)
        let longValue = String(repeating: "v", count: 1001)
        #expect(await error(engine, request(["EVENT_TYPE": longValue]))?.code == .invalidInputException)
    }

    @Test func rankingTakesAtMost500ItemsAnd50WithMetadata() async throws {
        let (engine, arn) = try await campaign("aws-personalized-ranking")
        let items = (0..<501).map { "i\($0 % 60)-\($0)" }
        let ranked = try await engine.send(
            GetPersonalizedRankingRequest(campaignArn: arn, inputList: Array(items.prefix(500)), userId: "u1"))
        #expect(ranked.personalizedRanking?.count == 500)
        let tooMany = await ConformanceShop.error {
            _ = try await engine.send(GetPersonalizedRankingRequest(campaignArn: arn, inputList: items, userId: "u1"))
        }
        #expect(tooMany?.code == .invalidInputException)
        let withMetadata = await ConformanceShop.error {
            _ = try await engine.send(
                GetPersonalizedRankingRequest(
                    campaignArn: arn, inputList: Array(items.prefix(51)), userId: "u1",
                    metadataColumns: ["ITEMS": ["GENRES"]]))
        }
        #expect(withMetadata?.code == .invalidInputException)
    }
}
