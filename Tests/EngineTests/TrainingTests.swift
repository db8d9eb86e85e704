import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

@Suite struct TrainingTests {
    let harness: EngineHarness
    let data = SyntheticData(users: 200, items: 200, clusters: 4)
    init() throws { harness = try EngineHarness() }

    private func campaign(_ versionArn: String, name: String) async throws -> String {
        let engine = harness.engine
        let arn =
            try await engine.send(CreateCampaignRequest(name: name, solutionVersionArn: versionArn)).campaignArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeCampaignRequest(campaignArn: arn)).campaign?.status
        }
        #expect(status == "ACTIVE")
        return arn
    }

    @Test func userPersonalizationLearnsTastesAndBeatsPopularity() async throws {
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (upArn, upStatus) = try await harness.train(
            group: group, name: "up", recipe: "aws-user-personalization", hyperParameters: ["hidden_dimension": "32"])
        let (popArn, popStatus) = try await harness.train(group: group, name: "pop", recipe: "aws-popularity-count")
        #expect(upStatus == "ACTIVE")
        #expect(popStatus == "ACTIVE")
        let engine = harness.engine
        let up = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: upArn)).metrics ?? [:]
        let pop = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: popArn)).metrics ?? [:]
        for key in [
            "precision_at_10", "normalized_discounted_cumulative_gain_at_10", "mean_reciprocal_rank_at_25",
            "coverage",
        ] {
            #expect(up[key] != nil, "missing \(key)")
        }
        let upNDCG = up["normalized_discounted_cumulative_gain_at_10"] ?? 0
        let popNDCG = pop["normalized_discounted_cumulative_gain_at_10"] ?? 0
        #expect(upNDCG > popNDCG + 0.05, "UP \(upNDCG) vs popularity \(popNDCG)")
        #expect((up["coverage"] ?? 0) > (pop["coverage"] ?? 0))
    }

    @Test func recommendationsArePersonalScoredAndSkipWhatTheUserHas() async throws {
        let csv = data.interactionsCSV(perUser: 15)
        let (group, _, _) = try await harness.importInteractions(csv)
        let (versionArn, _) = try await harness.train(
            group: group, name: "up", recipe: "aws-user-personalization", hyperParameters: ["hidden_dimension": "32"])
        let campaignArn = try await campaign(versionArn, name: "picks")
        let engine = harness.engine
        let forUser0 =
            try await engine.send(
                GetRecommendationsRequest(campaignArn: campaignArn, userId: "u0", numResults: 10)
            ).itemList ?? []
        let forUser1 =
            try await engine.send(
                GetRecommendationsRequest(campaignArn: campaignArn, userId: "u1", numResults: 10)
            ).itemList ?? []
        #expect(forUser0.count == 10)
        #expect(forUser0.map(\.itemId) != forUser1.map(\.itemId))
        let seen = Set(
            csv.split(separator: "\n").filter { $0.hasPrefix("u0,") }.map { String($0.split(separator: ",")[1]) })
        #expect(forUser0.allSatisfy { !seen.contains($0.itemId ?? "") })
        let ownCluster = forUser0.filter { Int(($0.itemId ?? "i0").dropFirst())! % 4 == data.cluster(ofUser: 0) }
        #expect(ownCluster.count >= 8, "most recommendations come from the user's taste cluster")
        #expect(forUser0.compactMap(\.score).count == 10)
        // Exploration (on by default, weight 0.3) places a few items among the others; those keep the model's order.
        let scores = forUser0.filter { $0.reason == nil }.compactMap(\.score)
        #expect(scores.count == 8)
        #expect(scores == scores.sorted(by: >))
        #expect(scores.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func popularityServesTheSameListToEveryoneWithoutScores() async throws {
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (versionArn, _) = try await harness.train(group: group, name: "pop", recipe: "aws-popularity-count")
        let campaignArn = try await campaign(versionArn, name: "popular")
        let engine = harness.engine
        let a = try await engine.send(GetRecommendationsRequest(campaignArn: campaignArn, userId: "u0")).itemList ?? []
        let b =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaignArn, userId: "nobody")).itemList ?? []
        #expect(a.count == 25)
        #expect(a.map(\.itemId) == b.map(\.itemId))
        #expect(a.allSatisfy { $0.score == nil })
    }

    @Test func tooLittleDataFailsTheVersionWithTheGuidesMessage() async throws {
        var limits = EngineHarness.smallLimits
        limits.minimumUsersWithTwoInteractions = 500
        let harness = try EngineHarness(limits: limits)
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (versionArn, status) = try await harness.train(group: group, name: "up", recipe: "aws-user-personalization")
        #expect(status == "CREATE FAILED")
        let version = try await harness.engine.send(DescribeSolutionVersionRequest(solutionVersionArn: versionArn))
        #expect(
            version.solutionVersion?.failureReason == "Create failed. There are fewer than 500 users with at "
                + "least 2 interactions each in the dataset (found 200).")
    }

    @Test func unknownHyperparametersAndUntrainableRecipesAreInvalidInput() async throws {
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let engine = harness.engine
        /// The error a user-personalization solution with `hyperParameters` is refused with.
        func refusal(_ hyperParameters: [String: String]) async -> PersonalizeError? {
            await ConformanceShop.error {
                _ = try await engine.send(
                    CreateSolutionRequest(
                        name: "x", recipeArn: ARN.recipe("aws-user-personalization"), datasetGroupArn: group,
                        solutionConfig: SolutionConfig(algorithmHyperParameters: hyperParameters)))
            }
        }
        #expect(
            await refusal(["hidden_dimensions": "64"])?.message.hasPrefix("Unknown hyperparameter hidden_dimensions")
                == true)
        #expect(
            await refusal(["hidden_dimension": "8"])?.message
                == "Hyperparameter hidden_dimension must be an integer in [32, 256]; got '8'.")
        await #expect {
            try await engine.send(
                CreateSolutionRequest(
                    name: "x", performAutoTraining: true, recipeArn: ARN.recipe("aws-popularity-count"),
                    datasetGroupArn: group,
                    solutionConfig: SolutionConfig(
                        autoTrainingConfig: AutoTrainingConfig(schedulingExpression: "rate(31 days)"))))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
    }

    @Test func modelsSurviveARestartAndServeTheSameRecommendations() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("i.csv", data.interactionsCSV(perUser: 15))
        let dataFolder = directory.url.appendingPathComponent("data")
        let before: [String]
        let campaignArn: String
        do {
            let engine = try EngineHarness.open(dataFolder)
            let group = try await engine.send(CreateDatasetGroupRequest(name: "g")).datasetGroupArn ?? ""
            let schema = try await engine.send(CreateSchemaRequest(name: "s", schema: SyntheticData.interactionsSchema))
            let dataset = try await engine.send(
                CreateDatasetRequest(
                    name: "d", schemaArn: schema.schemaArn ?? "", datasetGroupArn: group, datasetType: "INTERACTIONS"))
            _ = try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "j", datasetArn: dataset.datasetArn ?? "", dataSource: DataSource(dataLocation: file.path))
            )
            await engine.waitForBackgroundJobs()
            let solution = try await engine.send(
                CreateSolutionRequest(
                    name: "up", performAutoTraining: false, recipeArn: ARN.recipe("aws-user-personalization"),
                    datasetGroupArn: group,
                    solutionConfig: SolutionConfig(algorithmHyperParameters: ["hidden_dimension": "32"])))
            let version = try await engine.send(CreateSolutionVersionRequest(solutionArn: solution.solutionArn ?? ""))
            await engine.waitForBackgroundJobs()
            campaignArn =
                try await engine.send(
                    CreateCampaignRequest(
                        name: "c", solutionVersionArn: version.solutionVersionArn ?? "")
                ).campaignArn ?? ""
            await engine.waitForBackgroundJobs()
            before =
                try await engine.send(GetRecommendationsRequest(campaignArn: campaignArn, userId: "u3"))
                .itemList?.compactMap(\.itemId) ?? []
        }
        let reopened = try EngineHarness.open(dataFolder)
        let after =
            try await reopened.send(GetRecommendationsRequest(campaignArn: campaignArn, userId: "u3"))
            .itemList?.compactMap(\.itemId) ?? []
        #expect(!before.isEmpty)
        #expect(after == before)
    }
}
