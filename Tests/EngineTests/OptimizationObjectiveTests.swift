import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

/// `solutionConfig.optimizationObjective` (guide part 2 §10.6) and `average_rewards_at_k`.
@Suite struct OptimizationObjectiveTests {
    static let itemsSchema = """
        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"},
          {"name": "DISCOUNT", "type": ["null", "float"]}, {"name": "BRAND", "type": "string"}],
          "version": "1.0"}
        """
    static let data = SyntheticData()

    /// Item i<k> costs k² + 1: the catalogue spans cheap to expensive within every taste cluster.
    static func price(_ item: String) -> Double {
        let k = Double(Int(item.dropFirst()) ?? 0)
        return k * k + 1
    }

    static func open() async throws -> (EngineHarness, String) {
        let harness = try EngineHarness()
        let (group, _, status) = try await harness.importInteractions(data.interactionsCSV())
        #expect(status == "ACTIVE")
        let engine = harness.engine
        let items = try await EngineHarness.createDataset(
            "items", type: "ITEMS", schema: itemsSchema, inGroup: group, on: engine)
        for start in stride(from: 0, to: data.items, by: 10) {
            let batch = (start..<start + 10).map {
                Item(itemId: "i\($0)", properties: #"{"price": \#(price("i\($0)")), "brand": "b\#($0 % 3)"}"#)
            }
            _ = try await engine.send(PutItemsRequest(datasetArn: items, items: batch))
        }
        return (harness, group)
    }

    static func train(
        _ harness: EngineHarness, group: String, name: String, recipe: String = "aws-user-personalization",
        objective: OptimizationObjective?
    ) async throws -> (String, [String: Double]) {
        let engine = harness.engine
        let (version, _) = try await harness.train(
            group: group, name: name, recipe: recipe, solutionConfig: SolutionConfig(optimizationObjective: objective))
        await engine.waitForBackgroundJobs()
        let metrics = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics ?? [:]
        return (try await harness.campaignWithoutExploration(name, version: version), metrics)
    }

    @Test func theObjectiveFavoursValuableItemsAndIsReported() async throws {
        let (harness, group) = try await Self.open()
        let engine = harness.engine
        let (plain, plainMetrics) = try await Self.train(harness, group: group, name: "plain", objective: nil)
        let (revenue, revenueMetrics) = try await Self.train(
            harness, group: group, name: "revenue",
            objective: OptimizationObjective(itemAttribute: "PRICE", objectiveSensitivity: .high))
        #expect(plainMetrics["average_rewards_at_k"] == nil)
        let rewards = try #require(revenueMetrics["average_rewards_at_k"])
        #expect(rewards > 0 && rewards <= 1)
        #expect((revenueMetrics["normalized_discounted_cumulative_gain_at_10"] ?? 0) > 0)

        func meanPrice(_ campaign: String) async throws -> Double {
            var total = 0.0
            var count = 0
            for user in 0..<20 {
                let items =
                    try await engine.send(
                        GetRecommendationsRequest(campaignArn: campaign, userId: "u\(user)", numResults: 10)
                    )
                    .itemList?.compactMap(\.itemId) ?? []
                total += items.map(Self.price).reduce(0, +)
                count += items.count
            }
            return total / Double(max(count, 1))
        }
        let plainPrice = try await meanPrice(plain)
        let revenuePrice = try await meanPrice(revenue)
        #expect(revenuePrice > plainPrice * 1.2, "mean price \(revenuePrice) with the objective, \(plainPrice) without")
    }

    @Test func theObjectiveIsChecked() async throws {
        let (harness, group) = try await Self.open()
        let engine = harness.engine
        let cases: [(String, OptimizationObjective)] = [
            ("aws-user-personalization", OptimizationObjective(itemAttribute: "DISCOUNT")),
            ("aws-user-personalization", OptimizationObjective(itemAttribute: "BRAND")),
            ("aws-user-personalization", OptimizationObjective(itemAttribute: "WEIGHT")),
            (
                "aws-user-personalization",
                OptimizationObjective(itemAttribute: "PRICE", objectiveSensitivity: "EXTREME")
            ),
            ("aws-sims", OptimizationObjective(itemAttribute: "PRICE")),
        ]
        for (index, (recipe, objective)) in cases.enumerated() {
            await #expect {
                _ = try await engine.send(
                    CreateSolutionRequest(
                        name: "bad-\(index)", recipeArn: ARN.recipe(recipe), datasetGroupArn: group,
                        solutionConfig: SolutionConfig(optimizationObjective: objective)))
            } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        }
    }
}
