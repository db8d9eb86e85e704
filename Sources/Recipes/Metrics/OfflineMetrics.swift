import Foundation

/// Personalize's offline metrics over a hold-out split.
package enum OfflineMetrics {
    /// The metric names `evaluate` returns, in Personalize's spelling (plus `recall_at_20` for benchmarks).
    package static let names: [String] = [
        "coverage", "mean_reciprocal_rank_at_25",
        "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25",
        "precision_at_5", "precision_at_10", "precision_at_25", "recall_at_20",
    ]

    /// Computes Personalize's offline metrics, averaged over the test users.
    ///
    /// - `precision_at_K` (K = 5, 10, 25): hits in the top K, divided by K.
    /// - `normalized_discounted_cumulative_gain_at_K`: a hit at position p (1-based) gains `1/log2(1 + p)`;
    ///   divided by the ideal gain of `min(|truth|, K)` hits at the top.
    /// - `mean_reciprocal_rank_at_25`: `1/p` for the first hit within the top 25, else 0.
    /// - `coverage`: distinct items in all top-25 lists, divided by `catalogueSize`.
    /// - `recall_at_20`: hits in the top 20, divided by `min(20, |truth|)`.
    ///
    /// - Parameters:
    ///   - recommendations: `recommendations[i]` is the ranked list (best first, 25 or more) for `testUsers[i]`.
    ///   - testUsers: The held-out users, from ``HoldOutSplit``.
    ///   - catalogueSize: The number of recommendable items.
    /// - Returns: Every metric in ``names``; all 0 when there are no test users.
    package static func evaluate(
        recommendations: [[Int32]], testUsers: [TestUser], catalogueSize: Int
    ) -> [String: Double] {
        precondition(
            recommendations.count == testUsers.count,
            "OfflineMetrics: \(recommendations.count) recommendation lists for \(testUsers.count) test users"
        )
        var sums = [String: Double](uniqueKeysWithValues: names.map { ($0, 0) })
        var covered = Set<Int32>()
        for (list, user) in zip(recommendations, testUsers) {
            covered.formUnion(list.prefix(25))
            for (name, value) in userMetrics(list, truth: user.truth) { sums[name, default: 0] += value }
        }
        let userCount = Double(max(testUsers.count, 1))
        var result = sums.mapValues { $0 / userCount }
        result["coverage"] = testUsers.isEmpty || catalogueSize <= 0 ? 0 : Double(covered.count) / Double(catalogueSize)
        return result
    }

    /// One user's metrics except coverage.
    private static func userMetrics(_ list: [Int32], truth: Set<Int32>) -> [(String, Double)] {
        let hits = list.prefix(25).map { truth.contains($0) }
        var result: [(String, Double)] = []
        for k in [5, 10, 25] {
            let top = hits.prefix(k)
            result.append(("precision_at_\(k)", Double(top.filter { $0 }.count) / Double(k)))
            result.append(("normalized_discounted_cumulative_gain_at_\(k)", ndcg(top, truthCount: truth.count, k: k)))
        }
        let firstHit = hits.firstIndex(of: true)
        result.append(("mean_reciprocal_rank_at_25", firstHit.map { 1 / Double($0 + 1) } ?? 0))
        let recallBase = min(20, truth.count)
        let recall = recallBase == 0 ? 0 : Double(hits.prefix(20).filter { $0 }.count) / Double(recallBase)
        result.append(("recall_at_20", recall))
        return result
    }

    private static func ndcg(_ hits: ArraySlice<Bool>, truthCount: Int, k: Int) -> Double {
        let ideal = (0..<min(truthCount, k)).reduce(0.0) { $0 + gain(position: $1 + 1) }
        guard ideal > 0 else { return 0 }
        var actual = 0.0
        for (offset, hit) in hits.enumerated() where hit { actual += gain(position: offset + 1) }
        return actual / ideal
    }

    private static func gain(position: Int) -> Double { 1 / log2(1 + Double(position)) }
}
