import TailorTestSupport
import Testing

@testable import Recipes

/// The segmentation metrics and their split, checked against hand-computed examples.
@Suite struct SegmentMetricsTests {
    @Test func theNewestFifthOfEachUsersInteractionsIsTested() {
        var events: [Event] = []
        for index in 0..<10 { events.append(Event(user: 0, item: Int32(index), timestamp: Int64(100 - index))) }
        for index in 0..<5 { events.append(Event(user: 1, item: Int32(index), timestamp: Int64(index))) }
        events.append(Event(user: 2, item: 7, timestamp: 5))
        let split = SegmentMetrics.Split(events: events)
        // User 0: 10 interactions, the newest 2 (items 0 and 1, timestamps 100 and 99) tested. User 1: 5, the
        // newest (item 4) tested. User 2: a single interaction stays in training.
        #expect(split.truth == [0: [0], 1: [0], 4: [1]])
        #expect(split.training.count == 8 + 4 + 1)
        #expect(!split.training.contains { $0.user == 0 && $0.item < 2 })
    }

    @Test func hitsAndRecallAtOnePercent() {
        #expect(SegmentMetrics.depth(userCount: 150) == 2)
        #expect(SegmentMetrics.depth(userCount: 40) == 1)
        let truth: [Int32: Set<Int32>] = [0: [1, 2], 1: [3], 2: [9]]
        let ranked: [Int32: [Int32]] = [0: [1, 5, 2], 1: [4, 3]]
        let metrics = SegmentMetrics.evaluate(truth: truth, userCount: 150) { item, k in
            ranked[item].map { Array($0.prefix(k)) }
        }
        // K = 2. Item 0: top [1, 5] finds 1 of its 2 users; item 1: top [4, 3] finds its only user; item 2 cannot
        // be ranked and is left out. Hits (1 + 1) / 2; recall (1/2 + 1/1) / 2.
        #expect(metrics["hits_at_1_percent"] == 1.0)
        #expect(metrics["recall_at_1_percent"] == 0.75)
        #expect(Set(metrics.keys) == Set(SegmentMetrics.names))
    }

    @Test(.tags(.medium)) func theFactorModelFindsAnItemsUsersFarBetterThanChance() {
        let data = PlantedClusters()
        let split = SegmentMetrics.Split(events: data.events)
        let parameters = UserPersonalizationParameters().small
        let model = UserPersonalizationModel.train(data.matrix(split.training), parameters: parameters).factorModel
        let learned = SegmentMetrics.evaluate(truth: split.truth, userCount: data.users) { item, k in
            TopK.select(model.userScores(for: model.itemVector(Int(item))), k: k).map(\.index)
        }
        var generator = SeededGenerator(seed: 5)
        let chance = SegmentMetrics.evaluate(truth: split.truth, userCount: data.users) { _, k in
            (0..<Int32(data.users)).shuffled(using: &generator).prefix(k).map { $0 }
        }
        // An item's test users are a few of its cluster's 60 users, picked at random, and its top users by the
        // model are mostly those who already had it in training (each user has an item once), so even a perfect
        // model of the clusters stays within a few times chance; 0.048 against 0.024 at the time of writing.
        #expect(
            (learned["recall_at_1_percent"] ?? 0) > 1.5 * (chance["recall_at_1_percent"] ?? 1),
            "model \(learned) vs chance \(chance)")
    }
}

/// Trending-Now's trend prediction accuracy, checked against a hand-computed example.
@Suite struct TrendMetricsTests {
    @Test func theRecommendedItemsGrowthOverTheMostPopularItemsGrowth() {
        // The test window is [100, 110]; the window before it [90, 100).
        let before = [Event(user: 9, item: 1, timestamp: 95), Event(user: 9, item: 2, timestamp: 95)]
        let truth =
            (0..<4).map { Event(user: Int32($0), item: 1, timestamp: 100 + Int64($0)) }
            + (0..<3).map { Event(user: Int32($0), item: 2, timestamp: 101) }
            + [Event(user: 5, item: 3, timestamp: 110)]
        let events = before + truth
        // Increases: item 1: 4 − 1 = 3, item 2: 3 − 1 = 2, item 3: 1 − 0 = 1; total over the popular ones 6.
        #expect(TrendMetrics.accuracy(recommended: [1, 3], truth: truth, events: events) == 4.0 / 6.0)
        #expect(TrendMetrics.accuracy(recommended: [1, 2, 3], truth: truth, events: events) == 1.0)
        #expect(TrendMetrics.accuracy(recommended: [7], truth: truth, events: events) == 0)
        #expect(TrendMetrics.accuracy(recommended: [1], truth: [], events: events) == 0, "nothing to compare")
    }
}
