import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Promotions (the guide's part 2 §14.5) and item metadata in recommendations (§14.4), on the filter shop.
@Suite struct PromotionAndMetadataTests {
    private func index(_ item: String) -> Int { Int(item.dropFirst()) ?? -1 }

    @Test func aPromotionFillsItsShareInOrderAndTheRequestFilterTheRest() async throws {
        let shop = try await FilterShop.open()
        let engine = shop.harness.engine
        let comedies = try await shop.filter("comedies", "INCLUDE ItemID WHERE Items.GENRE IN ($G)")
        let noComedy = try await shop.filter("no-comedy", #"EXCLUDE ItemID WHERE Items.GENRE IN ("comedy")"#)
        let response = try await engine.send(
            GetRecommendationsRequest(
                campaignArn: shop.campaign, userId: "u99", numResults: 10, filterArn: noComedy,
                promotions: [
                    Promotion(
                        name: "house-comedy", percentPromotedItems: 50, filterArn: comedies,
                        filterValues: ["G": #""comedy""#])
                ]))
        let items = response.itemList ?? []
        #expect(items.count == 10)
        let promoted = items.filter { $0.promotionName == "house-comedy" }.compactMap(\.itemId)
        let others = items.filter { $0.promotionName == nil }.compactMap(\.itemId)
        #expect(promoted.count == 5)
        #expect(promoted.allSatisfy { FilterShop.genre(index($0)).hasPrefix("comedy") }, "\(promoted)")
        // Promoted items keep their relative (popularity) order; the rest are sorted and pass the request filter.
        #expect(promoted == promoted.sorted { index($0) < index($1) })
        #expect(others == others.sorted { index($0) < index($1) })
        #expect(others.allSatisfy { !FilterShop.genre(index($0)).hasPrefix("comedy") }, "\(others)")

        await #expect {
            try await engine.send(
                GetRecommendationsRequest(
                    campaignArn: shop.campaign, userId: "u1",
                    promotions: [Promotion(name: "p", percentPromotedItems: 0, filterArn: comedies)]))
        } throws: { ($0 as? PersonalizeError)?.message.contains("percentPromotedItems") == true }
        await #expect {
            try await engine.send(
                GetRecommendationsRequest(
                    campaignArn: shop.campaign, userId: "u1",
                    promotions: [
                        Promotion(name: "a", percentPromotedItems: 10, filterArn: comedies),
                        Promotion(name: "b", percentPromotedItems: 10, filterArn: comedies),
                    ]))
        } throws: { ($0 as? PersonalizeError)?.message.contains("less than or equal to 1") == true }
    }

    @Test func metadataComesFromTheItemsDatasetWhenTheCampaignEnablesIt() async throws {
        let shop = try await FilterShop.open()
        let engine = shop.harness.engine
        let columns = ["ITEMS": ["GENRE", "PRICE"]]
        await #expect {
            try await engine.send(
                GetRecommendationsRequest(campaignArn: shop.campaign, userId: "u1", metadataColumns: columns))
        } throws: { ($0 as? PersonalizeError)?.message.contains("enableMetadataWithRecommendations") == true }

        let version =
            try await engine.send(DescribeCampaignRequest(campaignArn: shop.campaign)).campaign?
            .solutionVersionArn ?? ""
        let withMetadata =
            try await engine.send(
                CreateCampaignRequest(
                    name: "with-metadata", solutionVersionArn: version,
                    campaignConfig: CampaignConfig(enableMetadataWithRecommendations: true))
            ).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        let items =
            try await engine.send(
                GetRecommendationsRequest(
                    campaignArn: withMetadata, userId: "u99", numResults: 5, metadataColumns: columns)
            ).itemList ?? []
        #expect(items.count == 5)
        for item in items {
            let number = index(item.itemId ?? "")
            #expect(item.metadata?["GENRE"] == FilterShop.genre(number))
            #expect(item.metadata?["PRICE"].flatMap(Double.init) == FilterShop.price(number))
        }
        func refused(_ request: GetRecommendationsRequest, _ text: String) async {
            await #expect {
                try await engine.send(request)
            } throws: { ($0 as? PersonalizeError)?.message.contains(text) == true }
        }
        await refused(
            GetRecommendationsRequest(
                campaignArn: withMetadata, userId: "u1", numResults: 51, metadataColumns: columns),
            "at most 50")
        await refused(
            GetRecommendationsRequest(
                campaignArn: withMetadata, userId: "u1", metadataColumns: ["ITEMS": ["NOPE"]]),
            "no metadata column NOPE")
        await refused(
            GetRecommendationsRequest(
                campaignArn: withMetadata, userId: "u1",
                metadataColumns: ["ITEMS": (0..<11).map { "C\($0)" }]), "1 to 10 columns")
    }
}
