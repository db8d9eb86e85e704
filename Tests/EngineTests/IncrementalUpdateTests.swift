import Engine
import EngineAPI
import Foundation
import Recipes
import TailorTestSupport
import Testing

/// `trainingMode` UPDATE: the latest FULL model updated with new users, items and interactions by a few
/// warm-started sweeps, not a full retraining.
@Suite struct IncrementalUpdateTests {
    static let data = SyntheticData()

    @Test func anUpdateLearnsNewItemsFromTheFullModelInAFewSweeps() async throws {
        let harness = try EngineHarness()
        let engine = harness.engine
        let (group, dataset, _) = try await harness.importInteractions(Self.data.interactionsCSV())
        let solution = try await harness.createSolution("picks", recipe: "aws-user-personalization", group: group)
        let full = try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
        await engine.waitForBackgroundJobs()

        // New items that the users of taste cluster 0 take to (u0 has not seen them yet), and a new user.
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"]
        for user in stride(from: 4, to: Self.data.users, by: 4) {
            for fresh in 0..<4 { lines.append("u\(user),fresh\(fresh),\(1_700_000_000 + fresh),click,1") }
        }
        lines += ["newbie,i0,1700000001,click,1", "newbie,i4,1700000002,click,1"]
        let file = try harness.directory.write("more.csv", lines.joined(separator: "\n") + "\n")
        _ = try await engine.send(
            CreateDatasetImportJobRequest(
                jobName: "more", datasetArn: dataset, dataSource: DataSource(dataLocation: file.path),
                importMode: .incremental))
        await engine.waitForBackgroundJobs()

        let update =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solution, trainingMode: .update))
            .solutionVersionArn ?? ""
        await engine.waitForBackgroundJobs()
        let described = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: update))
            .solutionVersion
        #expect(described?.status == "ACTIVE")
        #expect(described?.trainingMode == .update)

        let store = engine.core.models
        let fullModel = try ModelArtifact(serialized: try store.read(for: full))
        let updated = try ModelArtifact(serialized: try store.read(for: update))
        #expect(fullModel.header.trainingLoss.count == 15)
        #expect(updated.header.trainingLoss.count == UserPersonalizationModel.incrementalIterations)
        #expect(updated.header.itemIDs.contains("fresh0") && !fullModel.header.itemIDs.contains("fresh0"))
        #expect(updated.header.userIDs.contains("newbie"))
        // Warm-started: the update's loss starts where the full training ended, not from random factors.
        let firstUpdateLoss = try #require(updated.header.trainingLoss.first)
        let lastFullLoss = try #require(fullModel.header.trainingLoss.last)
        let firstFullLoss = try #require(fullModel.header.trainingLoss.first)
        #expect(firstUpdateLoss < firstFullLoss)
        #expect(firstUpdateLoss < lastFullLoss * 1.5)

        // The offline metrics are the FULL version's.
        let fullMetrics = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: full)).metrics
        let updateMetrics = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: update)).metrics
        #expect(fullMetrics == updateMetrics)

        // The updated model recommends the new item to a user of its cluster; the full model cannot.
        let campaign = try await harness.campaignWithoutExploration("picks", version: update)
        let items =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u0", numResults: 15))
            .itemList?.compactMap(\.itemId) ?? []
        #expect(items.contains { $0.hasPrefix("fresh") }, "\(items)")
    }
}
