import Foundation
import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct NextBestActionModelTests {
    private let world = PlantedActions(users: 600)

    private func rankings(
        _ model: NextBestActionModel, _ split: ActionHoldOut
    ) -> [[(action: Int32, score: Float)]] {
        split.testUsers.map { user in
            let scores = model.propensities(for: user.history)
            return model.ranking(propensities: scores, values: []).map { ($0, scores[Int($0)]) }
        }
    }

    /// The baseline the guide suggests: the same actions for everyone, the most taken first, scored by their share.
    private func popularity(_ split: ActionHoldOut) -> [[(action: Int32, score: Float)]] {
        var counts = [Float](repeating: 0, count: world.actions)
        for event in split.training.actionEvents where event.outcome == .taken { counts[Int(event.action)] += 1 }
        let total = max(counts.reduce(0, +), 1)
        let order = TopK.select(counts, k: world.actions).map { (action: $0.index, score: $0.score / total) }
        return split.testUsers.map { _ in order }
    }

    @Test(.tags(.medium)) func beatsThePopularityOfActionsOnHeldOutUsers() {
        let split = ActionHoldOut(world.data, testFraction: 0.2, seed: 5)
        let model = NextBestActionModel.train(split.training)
        #expect(model.scored.allSatisfy { $0 }, "every action has 50 taken and 50 other outcomes")
        let ours = ActionMetrics.evaluate(
            rankings: rankings(model, split), testUsers: split.testUsers, actionCount: world.actions)
        let baseline = ActionMetrics.evaluate(
            rankings: popularity(split), testUsers: split.testUsers, actionCount: world.actions)
        let ndcg = "normalized_discounted_cumulative_gain_at_5"
        #expect((ours[ndcg] ?? 0) > 1.5 * (baseline[ndcg] ?? 0), "NDCG@5 \(ours) vs popularity \(baseline)")
        // Knowing every user's taste exactly gives an AUC of about 0.79 in this world.
        #expect((ours["auc"] ?? 0) > 0.7, "\(ours)")
        #expect((ours["auc"] ?? 0) > (baseline["auc"] ?? 0) + 0.15, "AUC \(ours) vs \(baseline)")
        #expect((ours["precision"] ?? 0) > (baseline["precision"] ?? 0), "\(ours) vs \(baseline)")
        #expect(Set(ours.keys) == Set(ActionMetrics.names))
    }

    @Test(.tags(.medium)) func onlyOutcomesOfTheLastSixWeeksCountTowardTheScoringGate() throws {
        let newest = try #require(world.data.actionEvents.map(\.timestamp).max())
        /// The data with every interaction of action 0 moved to `age` seconds before the newest one.
        func aged(_ age: Int64) -> ActionTrainingSet {
            var data = world.data
            data.actionEvents = data.actionEvents.map { event in
                var moved = event
                if moved.action == 0 { moved.timestamp = newest - age }
                return moved
            }
            return data
        }
        let recent = NextBestActionModel.train(aged(41 * 86_400))
        #expect(recent.scored.allSatisfy { $0 }, "41 days old: within the guide's 6 weeks")
        let old = NextBestActionModel.train(aged(43 * 86_400))
        #expect(!old.scored[0], "43 days old: action 0's outcomes no longer count")
        #expect(old.scored.dropFirst().allSatisfy { $0 })
    }

    @Test(.tags(.medium)) func propensitiesMatchTheRatesUsersTakeActionsAt() {
        let model = NextBestActionModel.train(world.data)
        var own: [Float] = []
        var other: [Float] = []
        // New users known only by their items: their cluster's actions are the likely ones.
        for cluster in 0..<world.clusters {
            let items = (0..<5).map { Int32($0 * world.clusters + cluster) }
            let scores = model.propensities(for: ActionHistory(items: items))
            for action in 0..<world.actions {
                if action % world.clusters == cluster {
                    own.append(scores[action])
                } else {
                    other.append(scores[action])
                }
            }
            let top = model.recommend(history: ActionHistory(items: items), values: [], count: 3)
            #expect(top.allSatisfy { world.cluster(ofAction: $0.index) == cluster }, "\(top)")
        }
        let ownMean = own.reduce(0, +) / Float(own.count)
        let otherMean = other.reduce(0, +) / Float(other.count)
        #expect(abs(ownMean - world.ownRate) < 0.2, "own-cluster propensity \(ownMean), planted \(world.ownRate)")
        #expect(abs(otherMean - world.otherRate) < 0.1, "other propensity \(otherMean), planted \(world.otherRate)")
        #expect((own + other).allSatisfy { (0...1).contains($0) })
    }

    @Test(.tags(.small)) func thePropensityModelRecoversHowDeclinesAndScoresMatter() {
        // Outcomes drawn from a known logistic model: a user who declined an action before is less likely to take it.
        var generator = SeededGenerator(seed: 11)
        var examples: [PropensityExample] = []
        for _ in 0..<20_000 {
            let action = Int32(generator.next() % 3)
            let score = generator.nextUnitFloat() * 2 - 1
            let declines = Int(generator.next() % 4)
            let views = declines + Int(generator.next() % 3)
            let features = PropensityModel.features(score: score, taken: 0, notTaken: declines, viewed: views)
            let z = -0.5 + 2 * score - 1.5 * features[2] + (action == 2 ? 1 : 0)
            examples.append(
                PropensityExample(
                    action: action, features: features, taken: generator.nextUnitFloat() < 1 / (1 + exp(-z))))
        }
        let model = PropensityModel.fit(examples, actionCount: 3, biasRegularization: 1)
        #expect(abs(model.weights[0] - 2) < 0.2, "score weight \(model.weights)")
        #expect(abs(model.weights[2] - -1.5) < 0.3, "declines weight \(model.weights)")
        #expect(abs(model.weights[3]) < 0.3, "views do not matter: \(model.weights)")
        #expect(abs((model.actionBias[2] - model.actionBias[0]) - 1) < 0.25, "\(model.actionBias)")
        let fresh = PropensityModel.features(score: 0.5, taken: 0, notTaken: 0, viewed: 0)
        let declined = PropensityModel.features(score: 0.5, taken: 0, notTaken: 2, viewed: 2)
        #expect(model.propensity(action: 0, features: declined) < model.propensity(action: 0, features: fresh) - 0.2)
        // One kind of label only: the observed rate for everything.
        let allTaken = examples.prefix(10).map {
            PropensityExample(action: $0.action, features: $0.features, taken: true)
        }
        #expect(
            PropensityModel.fit(allTaken, actionCount: 3, biasRegularization: 1).propensity(action: 1, features: fresh)
                > 0.99)
    }

    @Test(.tags(.medium)) func actionsWithoutEnoughOutcomesScoreZeroAndRankByValue() {
        let small = PlantedActions(users: 40, exposuresPerUser: 4)
        let model = NextBestActionModel.train(small.data)
        #expect(model.scored.allSatisfy { !$0 }, "fewer than 50 outcomes of each kind per action")
        let values: [Float?] = (0..<small.actions).map { $0 == 7 ? 10 : ($0 == 2 ? 9 : nil) }
        let top = model.recommend(history: ActionHistory(items: [0, 4]), values: values, count: 4)
        #expect(top.map(\.score) == [0, 0, 0, 0])
        #expect(top.prefix(2).map(\.index) == [7, 2], "the most valuable first without personalisation")
        // Then the most taken.
        let rest = top.dropFirst(2).map { model.takenCounts[Int($0.index)] }
        #expect(rest == rest.sorted(by: >))
    }

    @Test(.tags(.small)) func equallyLikelyActionsRankByValue() {
        let model = NextBestActionModel.train(PlantedActions(users: 40, exposuresPerUser: 4).data)
        let scored = NextBestActionModel(
            parameters: model.parameters, actionCount: model.actionCount, itemCount: model.itemCount,
            factorModel: model.factorModel, propensityModel: model.propensityModel,
            scored: [Bool](repeating: true, count: model.actionCount), takenCounts: model.takenCounts)
        var propensities = [Float](repeating: 0.1, count: model.actionCount)
        propensities[3] = 0.702
        propensities[5] = 0.698
        propensities[8] = 0.65
        var values = [Float?](repeating: nil, count: model.actionCount)
        values[5] = 8
        values[3] = 2
        values[8] = 10
        #expect(Array(scored.ranking(propensities: propensities, values: values).prefix(3)) == [5, 3, 8])
    }

    @Test(.tags(.medium)) func isDeterministicForASeedAndAnyThreadCount() throws {
        let single = NextBestActionParameters().on(threads: 1)
        let reference = NextBestActionModel.train(world.data, parameters: single)
        let parallel = NextBestActionModel.train(world.data, parameters: single.on(threads: 3))
        #expect(reference.serialized() == parallel.serialized())
        var reseeded = single
        reseeded.seed = 7
        #expect(NextBestActionModel.train(world.data, parameters: reseeded).serialized() != reference.serialized())
    }

    @Test(.tags(.medium)) func serializationRoundTripsAndRejectsDamage() throws {
        let model = NextBestActionModel.train(world.data)
        let bytes = model.serialized()
        let read = try NextBestActionModel(serialized: bytes)
        #expect(read.serialized() == bytes)
        let history = ActionHistory(actions: [(2, .taken), (5, .viewed)], items: [1, 5, 9])
        #expect(read.propensities(for: history) == model.propensities(for: history))
        #expect(throws: RecipesError.self) { try NextBestActionModel(serialized: Array(bytes.dropLast(3))) }
        var wrongMagic = bytes
        wrongMagic[0] = UInt8(ascii: "X")
        #expect(throws: RecipesError.self) { try NextBestActionModel(serialized: wrongMagic) }
    }
}

@Suite struct ActionMetricsTests {
    @Test(.tags(.small)) func computesTheGuideDefinitionsOnAKnownCase() {
        let users = [
            ActionTestUser(user: 0, history: ActionHistory(), truth: [1: true, 2: false]),
            ActionTestUser(user: 1, history: ActionHistory(), truth: [3: true]),
            ActionTestUser(user: 2, history: ActionHistory(), truth: [0: false]),
        ]
        let order: [(action: Int32, score: Float)] = [(1, 0.9), (0, 0.8), (2, 0.7), (4, 0.6), (5, 0.5), (3, 0.4)]
        let metrics = ActionMetrics.evaluate(rankings: [order, order, order], testUsers: users, actionCount: 8)
        // NDCG@5: user 0 hits at 1 (1.0); user 1's action 3 is 6th (0); user 2 took nothing (not counted).
        #expect(metrics["normalized_discounted_cumulative_gain_at_5"] == 0.5)
        // NDCG@10: user 1's hit at 6 gains 1/log2(7) of an ideal 1.
        let expected10 = (1 + 1 / log2(7.0)) / 2
        #expect(abs((metrics["normalized_discounted_cumulative_gain_at_10"] ?? 0) - expected10) < 1e-12)
        // Precision: actions 1, 0, 2, 4, 5 each recommended 3 times; only action 1 taken (once): (1/3) / 5.
        #expect(abs((metrics["precision"] ?? 0) - (1.0 / 3) / 5) < 1e-12)
        // Recall: action 1 taken by 1 user who got it (1); action 3 taken by 1 who did not (0).
        #expect(metrics["recall"] == 0.5)
        // AUC: positives (1: 0.9), (3: 0.4); negatives (2: 0.7), (0: 0.8) → 2 of 4 pairs ordered right.
        #expect(metrics["auc"] == 0.5)
        #expect(metrics["coverage"] == 5.0 / 8)
    }

    @Test(.tags(.small)) func holdOutKeepsTestUsersOutOfTraining() {
        let world = PlantedActions(users: 50)
        let split = ActionHoldOut(world.data, testFraction: 0.2, seed: 1)
        #expect(split.testUsers.count == 10)
        let test = Set(split.testUsers.map(\.user))
        #expect(!split.training.actionEvents.contains { test.contains($0.user) })
        #expect(!split.training.itemEvents.contains { test.contains($0.user) })
        for user in split.testUsers {
            #expect(!user.truth.isEmpty)
            #expect(!user.history.actions.isEmpty)
        }
        #expect(
            ActionHoldOut(world.data, testFraction: 0.2, seed: 1).testUsers.map(\.user) == split.testUsers.map(\.user))
    }
}
