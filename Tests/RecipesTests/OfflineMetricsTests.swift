import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct OfflineMetricsTests {
    private func testUser(_ user: Int32, truth: Set<Int32>) -> TestUser {
        TestUser(user: user, input: [], truth: truth)
    }

    /// The guide's example: two truth items, hits at positions 2 and 5.
    @Test(.tags(.small)) func matchesTheGuidesWorkedExample() throws {
        let list: [Int32] = [10, 1, 11, 12, 2] + (20..<40).map { Int32($0) }
        let metrics = OfflineMetrics.evaluate(
            recommendations: [list], testUsers: [testUser(0, truth: [1, 2])], catalogueSize: 100
        )
        let mrr = try #require(metrics["mean_reciprocal_rank_at_25"])
        let ndcg5 = try #require(metrics["normalized_discounted_cumulative_gain_at_5"])
        let precision5 = try #require(metrics["precision_at_5"])
        #expect(abs(mrr - 0.5) < 1e-9)
        #expect(abs(ndcg5 - 0.6241) < 1e-4)
        #expect(abs(precision5 - 0.4) < 1e-9)
        #expect(abs((metrics["precision_at_10"] ?? -1) - 0.2) < 1e-9)
        #expect(abs((metrics["recall_at_20"] ?? -1) - 1) < 1e-9)
        #expect(abs((metrics["coverage"] ?? -1) - 0.25) < 1e-9)
    }

    /// The guide's mean-reciprocal-rank example: first relevant items at ranks 4, 2 and 6.
    @Test(.tags(.small)) func averagesReciprocalRanksOverUsers() {
        let lists: [[Int32]] = [
            [50, 51, 52, 1, 53],
            [60, 2, 61, 62, 63],
            [70, 71, 72, 73, 74, 3],
        ]
        let users = [testUser(0, truth: [1]), testUser(1, truth: [2]), testUser(2, truth: [3])]
        let metrics = OfflineMetrics.evaluate(recommendations: lists, testUsers: users, catalogueSize: 80)
        #expect(abs((metrics["mean_reciprocal_rank_at_25"] ?? -1) - 0.3056) < 1e-4)
        #expect(abs((metrics["coverage"] ?? -1) - 16.0 / 80) < 1e-9)
    }

    @Test(.tags(.small)) func capsTheIdealGainAtK() {
        let truth = Set((0..<30).map { Int32($0) })
        let perfect = (0..<25).map { Int32($0) }
        let metrics = OfflineMetrics.evaluate(
            recommendations: [perfect], testUsers: [testUser(0, truth: truth)], catalogueSize: 30
        )
        for name in [
            "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_25",
            "precision_at_25", "recall_at_20",
        ] {
            #expect(abs((metrics[name] ?? -1) - 1) < 1e-9, "\(name)")
        }
        #expect(Set(metrics.keys) == Set(OfflineMetrics.names))
    }

    @Test(.tags(.small)) func scoresAMissAsZero() {
        let metrics = OfflineMetrics.evaluate(
            recommendations: [[5, 6, 7]], testUsers: [testUser(0, truth: [1])], catalogueSize: 10
        )
        #expect(metrics["mean_reciprocal_rank_at_25"] == 0)
        #expect(metrics["normalized_discounted_cumulative_gain_at_10"] == 0)
    }
}
