import EngineAPI
import Foundation
import Recipes
import TailorTestSupport
import Testing

@testable import Engine

/// `aws-next-best-action` trained and served through the engine's API: metrics, propensities, the automatic
/// exclusions, real-time events and filters.
@Suite struct NextBestActionTests {
    let world = SyntheticActions()

    /// Trains a next-best-action solution on `datasets` and deploys it; returns the version and campaign ARNs.
    private func deploy(
        _ harness: EngineHarness, _ datasets: ActionDatasets, name: String = "nba",
        hyperParameters: [String: String]? = nil
    ) async throws -> (version: String, campaign: String) {
        let (version, status) = try await harness.train(
            group: datasets.group, name: name, recipe: "aws-next-best-action", hyperParameters: hyperParameters)
        let engine = harness.engine
        let failure = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version))
            .solutionVersion?.failureReason
        try #require(status == "ACTIVE", "\(failure ?? "")")
        let campaign =
            try await engine.send(CreateCampaignRequest(name: name, solutionVersionArn: version)).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        return (version, campaign)
    }

    private func recommend(
        _ engine: LocalEngine, _ campaign: String, user: String, count: Int? = nil, filter: String? = nil,
        values: [String: String]? = nil
    ) async throws -> [PredictedAction] {
        try await engine.send(
            GetActionRecommendationsRequest(
                campaignArn: campaign, userId: user, numResults: count, filterArn: filter, filterValues: values)
        ).actionList ?? []
    }

    @Test func reportsTheGuidesActionMetricsAndBeatsThePopularityOfActions() async throws {
        let world = SyntheticActions(users: 600)
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        let (version, _) = try await deploy(harness, datasets)
        let metrics =
            try await harness.engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics ?? [:]
        #expect(Set(metrics.keys) == Set(ActionMetrics.names), "\(metrics.keys.sorted())")
        // The baseline the guide suggests, on the same hold-out split (the engine's seed): the most taken actions.
        let data = try await harness.engine.core.trainingJobs.loadActionTrainingData(datasetGroupArn: datasets.group)
        let split = ActionHoldOut(data.set, testFraction: 0.1, seed: 42)
        var counts = [Float](repeating: 0, count: data.actionIDs.count)
        for event in split.training.actionEvents where event.outcome == .taken { counts[Int(event.action)] += 1 }
        let order = TopK.select(counts, k: counts.count).map { (action: $0.index, score: $0.score) }
        let baseline = ActionMetrics.evaluate(
            rankings: split.testUsers.map { _ in order }, testUsers: split.testUsers, actionCount: counts.count)
        let ndcg = "normalized_discounted_cumulative_gain_at_5"
        #expect((metrics[ndcg] ?? 0) > 1.3 * (baseline[ndcg] ?? 0), "\(metrics) vs popularity \(baseline)")
        #expect((metrics["auc"] ?? 0) > 0.75, "\(metrics)")
        #expect((metrics["auc"] ?? 0) > (baseline["auc"] ?? 0) + 0.1, "\(metrics) vs popularity \(baseline)")
        #expect(
            try await harness.engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics?[
                "precision_at_5"] == nil)
    }

    @Test func trainingNeedsTheGuidesThousandItemInteractions() async throws {
        var limits = EngineHarness.smallLimits
        limits.minimumTrainingInteractions = 1000  // the guide's minimum, which the other tests lower
        let harness = try EngineHarness(limits: limits)
        defer { harness.directory.remove() }
        let datasets = try await harness.importActionData(SyntheticActions(users: 60))  // 600 item interactions
        let (version, status) = try await harness.train(
            group: datasets.group, name: "nba", recipe: "aws-next-best-action")
        #expect(status == "CREATE FAILED")
        let reason =
            try await harness.engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version))
            .solutionVersion?.failureReason ?? ""
        #expect(reason.contains("1000"), "\(reason)")
    }

    @Test func trainingIsDeterministicForASeed() async throws {
        var answers: [[String: Double]] = []
        var lists: [[PredictedAction]] = []
        for _ in 0..<2 {
            let harness = try EngineHarness()
            let datasets = try await harness.importActionData(world)
            let (version, campaign) = try await deploy(harness, datasets)
            answers.append(
                try await harness.engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics ?? [:])
            var all: [PredictedAction] = []
            for user in ["u1", "u2", "u7", "stranger"] {
                all += try await recommend(harness.engine, campaign, user: user, count: 12)
            }
            lists.append(all)
        }
        #expect(answers[0] == answers[1])
        #expect(lists[0] == lists[1])
    }

    @Test func scoresArePropensitiesOfTheUsersTastes() async throws {
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        let (_, campaign) = try await deploy(harness, datasets)
        var hits = 0
        for user in (0..<20).map({ "u\($0)" }) {
            let list = try await recommend(harness.engine, campaign, user: user)
            #expect(list.count == 5, "the guide's default numResults")
            let scores = list.compactMap(\.score)
            #expect(scores.allSatisfy { (0...1).contains($0) })
            // Exploration gives a slot to an action the model cannot score (score 0); the others are ranked.
            let scored = scores.filter { $0 > 0 }
            #expect(zip(scored, scored.dropFirst()).allSatisfy { $0 + 0.01 >= $1 }, "\(scores)")
            if let top = list.first?.actionId, world.cluster(ofAction: top) == world.cluster(ofUser: user) { hits += 1 }
        }
        #expect(hits >= 16, "the top action is of the user's cluster for \(hits) of 20 users")
    }

    @Test func explorationGivesSlotsToActionsTheModelCannotScoreYet() async throws {
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        let (version, explores) = try await deploy(harness, datasets)
        let engine = harness.engine
        let config = CampaignConfig(itemExplorationConfig: ["explorationWeight": "0"])
        let exploits =
            try await engine.send(
                CreateCampaignRequest(name: "exploits", solutionVersionArn: version, campaignConfig: config)
            )
            .campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        // A new action, added after training: the model has never seen it.
        _ = try await engine.send(
            PutActionsRequest(
                datasetArn: datasets.actions,
                actions: [Action(actionId: "brand-new", properties: #"{"value": 10}"#)]))

        for user in ["u1", "u4", "u9"] {
            let all = try await recommend(engine, exploits, user: user, count: 100)
            let unscored = all.filter { $0.score == 0 }.compactMap(\.actionId)
            #expect(unscored.contains("brand-new"))
            // Without exploration, the scored actions come first and the unscored ones last.
            let ranked = try await recommend(engine, exploits, user: user, count: 10)
            #expect(
                Array(ranked.prefix { ($0.score ?? 0) > 0 }) == Array(all.prefix { ($0.score ?? 0) > 0 }.prefix(10)))
            // With the default weight (0.3), round(10 × 0.3 / 2) = 2 slots go to them, never the first.
            let explored = try await recommend(engine, explores, user: user, count: 10)
            #expect(explored.count == 10)
            let zeros = explored.enumerated().filter { $0.element.score == 0 }
            #expect(zeros.count == min(2, unscored.count), "\(explored)")
            #expect(zeros.allSatisfy { $0.offset > 0 })
            #expect(zeros.map(\.element.actionId) == Array(unscored.prefix(2)).map(Optional.some))
            // The scored ones keep their order around them.
            let scoredOrder = explored.filter { ($0.score ?? 0) > 0 }
            #expect(scoredOrder == Array(all.prefix { ($0.score ?? 0) > 0 }.prefix(scoredOrder.count)))
        }
    }

    @Test func theEvaluationReportCoversActions() async throws {
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        let (version, _) = try await deploy(harness, datasets)
        let report = try await harness.engine.evaluationReport(solutionVersionArn: version)
        #expect(report.recipe == "aws-next-best-action")
        #expect(report.metrics["auc"] != nil && report.metrics["normalized_discounted_cumulative_gain_at_5"] != nil)
        #expect(report.items == world.actions, "the catalogue is the actions")
        #expect(report.sampledUsers > 0)
        #expect(
            abs(report.recommendationShareByDecile.reduce(0, +) - 1) < 1e-6, "\(report.recommendationShareByDecile)")
        #expect(abs(report.interactionShareByDecile.reduce(0, +) - 1) < 1e-6, "\(report.interactionShareByDecile)")
    }

    @Test func eventsRecordedNowChangeTheNextRecommendations() async throws {
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        let (_, campaign) = try await deploy(harness, datasets)
        let engine = harness.engine
        func propensity(_ action: String) async throws -> Double {
            try await recommend(engine, campaign, user: "newbie", count: 12).first { $0.actionId == action }?.score
                ?? -1
        }
        let before = try await propensity("a10")
        let taken = ["a2", "a6"].enumerated().map { index, action in
            ActionInteraction(
                actionId: action, userId: "newbie", sessionId: "s",
                timestamp: Date(timeIntervalSince1970: 1e9 + 60 * Double(index)),
                eventType: "Taken")
        }
        _ = try await engine.send(
            PutActionInteractionsRequest(trackingId: datasets.trackingID, actionInteractions: taken))
        let after = try await propensity("a10")
        #expect(after > before + 0.1, "a10 (the cluster of a2 and a6): \(before) → \(after)")
        let top = try await recommend(engine, campaign, user: "newbie", count: 3).compactMap(\.actionId)
        #expect(top.filter { world.cluster(ofAction: $0) == 2 }.count >= 2, "\(top)")
    }

    @Test func expiredActionsAndRepeatFrequencyAreHonouredAtOnce() async throws {
        let clock = MovableClock(Date(timeIntervalSince1970: Double(world.end + 86_400)))
        let harness = try EngineHarness(clock: clock)
        let datasets = try await harness.importActionData(world)
        let (_, campaign) = try await deploy(harness, datasets)
        let engine = harness.engine
        func listed() async throws -> Set<String> {
            Set(try await recommend(engine, campaign, user: "fresh", count: 100).compactMap(\.actionId))
        }
        #expect(try await listed().count == world.actions)
        let now = Int(clock.now().timeIntervalSince1970)
        _ = try await engine.send(
            PutActionsRequest(
                datasetArn: datasets.actions,
                actions: [
                    Action(actionId: "a1", properties: #"{"value": 5, "category": "c1", "repeatFrequency": 7}"#),
                    Action(
                        actionId: "a5",
                        properties: #"{"value": 5, "category": "c1", "actionExpirationTimestamp": \#(now - 60)}"#),
                ]))
        #expect(try await !listed().contains("a5"), "an expired action is never recommended")
        let takes = ["a1", "a2"].map { action in
            ActionInteraction(
                actionId: action, userId: "fresh", sessionId: "s", timestamp: clock.now(), eventType: "Taken")
        }
        _ = try await engine.send(
            PutActionInteractionsRequest(trackingId: datasets.trackingID, actionInteractions: takes))
        var now1 = try await listed()
        #expect(!now1.contains("a1"), "taken, and repeat frequency 7 days")
        #expect(now1.contains("a2"), "no repeat frequency: no limit")
        clock.advance(days: 6.9)
        now1 = try await listed()
        #expect(!now1.contains("a1"))
        clock.advance(days: 0.2)
        #expect(try await listed().contains("a1"), "seven days later it may be recommended again")
        #expect(try await listed().count == world.actions - 1)
    }

    @Test func withoutEnoughOutcomesEveryScoreIsZeroAndValueLeads() async throws {
        let small = SyntheticActions(users: 30, exposuresPerUser: 4)
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(small)
        let (_, campaign) = try await deploy(harness, datasets)
        _ = try await harness.engine.send(
            PutActionsRequest(
                datasetArn: datasets.actions,
                actions: [
                    Action(actionId: "a3", properties: #"{"value": 9, "category": "c3"}"#),
                    Action(actionId: "a7", properties: #"{"value": 10, "category": "c3"}"#),
                    Action(actionId: "new", properties: #"{"value": 8, "category": "c0"}"#),
                ]))
        let list = try await recommend(harness.engine, campaign, user: "u1", count: 4)
        #expect(list.map(\.score) == [0, 0, 0, 0])
        #expect(list.prefix(3).compactMap(\.actionId) == ["a7", "a3", "new"], "\(list)")
    }

    @Test func actionFiltersUseActionsAndActionInteractions() async throws {
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        let (_, campaign) = try await deploy(harness, datasets)
        let engine = harness.engine
        func filter(_ name: String, _ expression: String) async throws -> String {
            let arn =
                try await engine.send(
                    CreateFilterRequest(name: name, datasetGroupArn: datasets.group, filterExpression: expression)
                ).filterArn ?? ""
            await engine.waitForBackgroundJobs()
            return arn
        }
        let category = try await filter("no-category", "EXCLUDE ActionID WHERE Actions.CATEGORY IN ($CATEGORY)")
        let kept = try await recommend(
            engine, campaign, user: "u1", count: 100, filter: category, values: ["CATEGORY": #""c1""#])
        #expect(kept.count == world.actions - world.actions / world.clusters)
        #expect(kept.allSatisfy { world.cluster(ofAction: $0.actionId ?? "") != 1 })
        _ = try await engine.send(
            PutActionInteractionsRequest(
                trackingId: datasets.trackingID,
                actionInteractions: [
                    ActionInteraction(
                        actionId: "a3", userId: "fresh", sessionId: "s", timestamp: Date(), eventType: "Not Taken")
                ]))
        let declined = try await filter(
            "not-declined", #"EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN")"#)
        let fresh = try await recommend(engine, campaign, user: "fresh", count: 100, filter: declined)
        #expect(fresh.count == world.actions - 1)
        #expect(!fresh.contains { $0.actionId == "a3" })
        let items = try await filter("items", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#)
        await #expect {
            try await recommend(engine, campaign, user: "u1", filter: items)
        } throws: { ($0 as? PersonalizeError)?.message.contains("needs a filter on ActionID") == true }
    }

    @Test func requestsAreCheckedAgainstTheCampaignAndTheGuidesLimits() async throws {
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        let (version, campaign) = try await deploy(harness, datasets)
        let engine = harness.engine
        let input = try harness.directory.write("in.json", #"{"userId": "u1"}"# + "\n")
        await #expect {
            try await engine.send(
                CreateBatchInferenceJobRequest(
                    jobName: "batch", solutionVersionArn: version,
                    jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: input.path)),
                    jobOutput: BatchInferenceJobOutput(
                        s3DataDestination: S3DataConfig(path: harness.directory.url.appendingPathComponent("out").path)),
                    roleArn: "r"))
        } throws: { ($0 as? PersonalizeError)?.message.contains("not available for aws-next-best-action") == true }
        #expect(try await recommend(engine, campaign, user: "u1", count: 0).isEmpty)
        #expect(try await recommend(engine, campaign, user: "u1", count: 100).count == world.actions)
        await #expect {
            try await recommend(engine, campaign, user: "u1", count: 101)
        } throws: { ($0 as? PersonalizeError)?.message.contains("between 0 and 100") == true }
        await #expect {
            try await engine.send(GetActionRecommendationsRequest(campaignArn: campaign))
        } throws: { ($0 as? PersonalizeError)?.message.contains("userId is required") == true }
        await #expect {
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u1"))
        } throws: { ($0 as? PersonalizeError)?.message.contains("call GetActionRecommendations") == true }
        let (items, _) = try await harness.train(
            group: datasets.group, name: "items", recipe: "aws-user-personalization")
        let itemCampaign =
            try await engine.send(CreateCampaignRequest(name: "items", solutionVersionArn: items)).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        await #expect {
            try await recommend(engine, itemCampaign, user: "u1")
        } throws: { ($0 as? PersonalizeError)?.message.contains("PERSONALIZED_ACTIONS") == true }
        await #expect {
            try await engine.send(
                CreateSolutionRequest(
                    name: "bad-period", performAutoTraining: false, recipeArn: ARN.recipe("aws-next-best-action"),
                    datasetGroupArn: datasets.group,
                    solutionConfig: SolutionConfig(algorithmHyperParameters: ["action_optimization_period": "40"])))
        } throws: { ($0 as? PersonalizeError)?.message.contains("[7, 28]") == true }
    }

    @Test func automaticTrainingCountsNewActionInteractionsForNextBestActionOnly() async throws {
        let clock = MovableClock(Date(timeIntervalSince1970: Double(world.end + 86_400)))
        let harness = try EngineHarness(clock: clock)
        let datasets = try await harness.importActionData(SyntheticActions(users: 60))
        let engine = harness.engine
        func solution(_ name: String, _ recipe: String) async throws -> String {
            try await engine.send(
                CreateSolutionRequest(
                    name: name, recipeArn: ARN.recipe(recipe), datasetGroupArn: datasets.group,
                    solutionConfig: SolutionConfig(
                        autoTrainingConfig: AutoTrainingConfig(schedulingExpression: "rate(1 day)")))
            ).solutionArn ?? ""
        }
        let actions = try await solution("auto-actions", "aws-next-best-action")
        let items = try await solution("auto-items", "aws-popularity-count")
        clock.advance(by: 3_601)
        #expect(Set(try await engine.runDueAutoTraining().trainings.map(\.solutionArn)) == [actions, items])
        await engine.waitForBackgroundJobs()
        clock.advance(days: 1)
        _ = try await engine.send(
            PutActionInteractionsRequest(
                trackingId: datasets.trackingID,
                actionInteractions: [
                    ActionInteraction(
                        actionId: "a1", userId: "u1", sessionId: "s", timestamp: clock.now(), eventType: "Taken")
                ]))
        let next = try await engine.runDueAutoTraining()
        #expect(next.trainings.map(\.solutionArn) == [actions], "only action data arrived")
        #expect(next.skipped.map(\.solutionArn) == [items])
        await engine.waitForBackgroundJobs()
    }

    @Test func trainingConsidersAtMostAThousandActionsNewAndRecentFirst() async throws {
        let harness = try EngineHarness()
        let datasets = try await harness.importActionData(world)
        // 993 more actions without interactions or creation time: new, as the guide says, so they are kept.
        let extra = (0..<993).map { "b\($0),5,c0,," }.joined(separator: "\n")
        let header = "ACTION_ID,VALUE,CATEGORY,REPEAT_FREQUENCY,ACTION_EXPIRATION_TIMESTAMP\n"
        let status = try await harness.importCSV(
            header + extra + "\n", into: datasets.actions, job: "more-actions", mode: .incremental)
        #expect(status == "ACTIVE")
        let data = try await harness.engine.core.trainingJobs.loadActionTrainingData(datasetGroupArn: datasets.group)
        #expect(data.actionIDs.count == 1000)
        // Of the 12 used actions, the 5 whose latest interaction is oldest are left out.
        var latest: [String: Int] = [:]
        for line in world.actionInteractionsCSV().split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            latest[String(fields[1])] = max(latest[String(fields[1])] ?? 0, Int(fields[2]) ?? 0)
        }
        let dropped = latest.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(5).map(\.key)
        #expect(Set(dropped).isDisjoint(with: data.actionIDs), "\(dropped)")
        #expect(data.actionIDs.filter { $0.hasPrefix("b") }.count == 993)
    }

    @Test func trainingNeedsAnActionsDataset() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(world.itemInteractionsCSV())
        let (version, status) = try await harness.train(group: group, name: "nba", recipe: "aws-next-best-action")
        #expect(status == "CREATE FAILED")
        let reason = try await harness.engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version))
            .solutionVersion?.failureReason
        #expect(reason?.contains("no ACTIONS dataset") == true, "\(reason ?? "")")
    }
}
