import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

/// `aws-similar-items` uses item metadata, so items without interactions get neighbours (guide part 1 §12).
@Suite struct SimilarItemsMetadataTests {
    static let itemsSchema = """
        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "ITEM_ID", "type": "string"}, {"name": "GENRE", "type": "string", "categorical": true},
          {"name": "DESCRIPTION", "type": ["null", "string"], "textual": true}], "version": "1.0"}
        """
    static let data = SyntheticData()

    /// Trained items i<k> of genre g<k mod 4> (the synthetic taste clusters), and cold items c0…c3 of genre g0…g3
    /// that no one interacted with; c0 and c1 also share a distinctive description word.
    static func open() async throws -> (EngineHarness, String) {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV())
        let engine = harness.engine
        let items = try await EngineHarness.createDataset(
            "items", type: "ITEMS", schema: itemsSchema, inGroup: group, on: engine)
        var records = (0..<data.items).map { Item(itemId: "i\($0)", properties: #"{"genre": "g\#($0 % 4)"}"#) }
        records += (0..<4).map { cold in
            let words = cold < 2 ? "a zeppelin adventure" : "an ordinary story"
            return Item(itemId: "c\(cold)", properties: #"{"genre": "g\#(cold)", "description": "\#(words)"}"#)
        }
        for start in stride(from: 0, to: records.count, by: 10) {
            let batch = Array(records[start..<min(start + 10, records.count)])
            _ = try await engine.send(PutItemsRequest(datasetArn: items, items: batch))
        }
        return (harness, group)
    }

    static func related(_ engine: LocalEngine, campaign: String, item: String, count: Int = 10) async throws -> [String]
    {
        try await engine.send(GetRecommendationsRequest(campaignArn: campaign, itemId: item, numResults: count))
            .itemList?.compactMap(\.itemId) ?? []
    }

    @Test func coldItemsGetNeighboursByMetadataAndSimsKeepsPopularItems() async throws {
        let (harness, group) = try await Self.open()
        let engine = harness.engine
        let (similar, status) = try await harness.train(group: group, name: "similar", recipe: "aws-similar-items")
        #expect(status == "ACTIVE")
        let (sims, _) = try await harness.train(group: group, name: "sims", recipe: "aws-sims")
        let similarCampaign =
            try await engine.send(CreateCampaignRequest(name: "similar", solutionVersionArn: similar)).campaignArn ?? ""
        let simsCampaign =
            try await engine.send(CreateCampaignRequest(name: "sims", solutionVersionArn: sims)).campaignArn ?? ""
        await engine.waitForBackgroundJobs()

        // c2 (genre g2, no interactions): c3 (same description) and items of its genre, not popular ones of
        // every genre.
        let forCold = try await Self.related(engine, campaign: similarCampaign, item: "c2")
        #expect(forCold.count == 10)
        #expect(forCold.first == "c3")
        #expect(forCold.dropFirst().allSatisfy { $0.hasPrefix("i") && Int($0.dropFirst())! % 4 == 2 })
        // The description's rare word outweighs a shared genre: c1's nearest item is c0.
        let forC1 = try await Self.related(engine, campaign: similarCampaign, item: "c1", count: 3)
        #expect(forC1.first == "c0")

        // aws-sims does not read metadata: a cold item gets the popular items, of mixed genres.
        let simsCold = try await Self.related(engine, campaign: simsCampaign, item: "c2")
        #expect(simsCold.count == 10)
        #expect(Set(simsCold.map { Int($0.dropFirst())! % 4 }).count > 1)

        // A trained item keeps its co-occurrence neighbours first.
        let trained = try await Self.related(engine, campaign: similarCampaign, item: "i6")
        let trainedSims = try await Self.related(engine, campaign: simsCampaign, item: "i6")
        #expect(trained.count == 10 && trainedSims.count == 10)
        #expect(trained.filter { $0.hasPrefix("i") && Int($0.dropFirst())! % 4 == 2 }.count >= 8)
    }

    @Test func excludedColumnsAreLeftOutOfTheMetadata() async throws {
        let (harness, group) = try await Self.open()
        let engine = harness.engine
        let solution =
            try await engine.send(
                CreateSolutionRequest(
                    name: "genre-only", performAutoTraining: false, recipeArn: ARN.recipe("aws-similar-items"),
                    datasetGroupArn: group,
                    solutionConfig: SolutionConfig(
                        trainingDataConfig: TrainingDataConfig(excludedDatasetColumns: ["ITEMS": ["DESCRIPTION"]])))
            ).solutionArn ?? ""
        let version =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
        await engine.waitForBackgroundJobs()
        let campaign =
            try await engine.send(CreateCampaignRequest(name: "genre-only", solutionVersionArn: version)).campaignArn
            ?? ""
        await engine.waitForBackgroundJobs()
        // Without the description, c1 (genre g1) is nearest to the g1 items, not to c0.
        let forC1 = try await Self.related(engine, campaign: campaign, item: "c1", count: 5)
        #expect(forC1.count == 5)
        #expect(forC1.allSatisfy { $0.hasPrefix("i") && Int($0.dropFirst())! % 4 == 1 })

        await #expect {
            _ = try await engine.send(
                CreateSolutionRequest(
                    name: "bad", recipeArn: ARN.recipe("aws-similar-items"), datasetGroupArn: group,
                    solutionConfig: SolutionConfig(
                        trainingDataConfig: TrainingDataConfig(excludedDatasetColumns: ["ITEMS": ["ITEM_ID"]]))))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
    }
}
