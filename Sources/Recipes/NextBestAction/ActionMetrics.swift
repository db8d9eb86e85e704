import Foundation

/// The guide's offline metrics for PERSONALIZED_ACTIONS over an ``ActionHoldOut``.
package enum ActionMetrics {
    /// The metric names `evaluate` returns.
    package static let names: [String] = [
        "coverage", "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25", "precision", "recall", "auc",
    ]

    /// How many actions a test user is recommended for `precision`, `recall` and `coverage`: the default
    /// `numResults` of GetActionRecommendations.
    package static let listLength = 5

    /// Computes the metrics.
    ///
    /// - `normalized_discounted_cumulative_gain_at_K` (K = 5, 10, 25): the actions a test user took in the truth
    ///   are the relevant ones; a hit at position p (1-based) gains `1/log2(1 + p)`, divided by the ideal gain;
    ///   averaged over the test users who took an action in the truth.
    /// - `precision`: per action, the test users it was recommended to (in their top ``listLength``) who took it,
    ///   divided by the test users it was recommended to; averaged over the actions recommended at least once.
    /// - `recall`: per action, the test users who took it and were recommended it, divided by the test users who
    ///   took it; averaged over the actions taken at least once.
    /// - `auc`: the area under the ROC curve of the scores over every (test user, action) outcome in the truth,
    ///   taken against not taken or only viewed (ties count half); absent when the truth lacks either kind.
    /// - `coverage`: the distinct actions in all top-``listLength`` lists, divided by `actionCount`.
    ///
    /// - Parameters:
    ///   - rankings: `rankings[i]` is every action for `testUsers[i]`, best first, with its score.
    ///   - testUsers: The held-out users.
    ///   - actionCount: The number of actions.
    /// - Returns: The metrics above; all 0 (and no `auc`) without test users.
    package static func evaluate(
        rankings: [[(action: Int32, score: Float)]], testUsers: [ActionTestUser], actionCount: Int
    ) -> [String: Double] {
        precondition(rankings.count == testUsers.count, "ActionMetrics: one ranking per test user")
        var result: [String: Double] = [:]
        for k in [5, 10, 25] {
            result["normalized_discounted_cumulative_gain_at_\(k)"] = ndcg(rankings, testUsers, k: k)
        }
        var recommended = [Int](repeating: 0, count: actionCount)
        var correct = [Int](repeating: 0, count: actionCount)
        var taken = [Int](repeating: 0, count: actionCount)
        var covered = Set<Int32>()
        for (ranking, user) in zip(rankings, testUsers) {
            let top = ranking.prefix(listLength).map(\.action)
            let took = user.taken
            covered.formUnion(top)
            for action in top where Int(action) < actionCount {
                recommended[Int(action)] += 1
                if took.contains(action) { correct[Int(action)] += 1 }
            }
            for action in took where Int(action) < actionCount { taken[Int(action)] += 1 }
        }
        result["precision"] = mean(of: correct, over: recommended)
        result["recall"] = mean(of: correct, over: taken)
        result["coverage"] = testUsers.isEmpty || actionCount == 0 ? 0 : Double(covered.count) / Double(actionCount)
        result["auc"] = auc(rankings, testUsers)
        return result
    }

    private static func ndcg(_ rankings: [[(action: Int32, score: Float)]], _ users: [ActionTestUser], k: Int) -> Double
    {
        var total = 0.0
        var counted = 0
        for (ranking, user) in zip(rankings, users) {
            let relevant = user.taken
            guard !relevant.isEmpty else { continue }
            let ideal = (0..<min(relevant.count, k)).reduce(0.0) { $0 + 1 / log2(2 + Double($1)) }
            var gain = 0.0
            for (offset, entry) in ranking.prefix(k).enumerated() where relevant.contains(entry.action) {
                gain += 1 / log2(2 + Double(offset))
            }
            total += gain / ideal
            counted += 1
        }
        return counted == 0 ? 0 : total / Double(counted)
    }

    /// Σ numerator[a] / denominator[a] over the actions with a positive denominator, divided by their number.
    private static func mean(of numerator: [Int], over denominator: [Int]) -> Double {
        let ratios = zip(numerator, denominator).filter { $0.1 > 0 }.map { Double($0.0) / Double($0.1) }
        return ratios.isEmpty ? 0 : ratios.reduce(0, +) / Double(ratios.count)
    }

    /// The Mann–Whitney estimate of the AUC: the share of (taken, not taken) pairs the scores order correctly.
    private static func auc(_ rankings: [[(action: Int32, score: Float)]], _ users: [ActionTestUser]) -> Double? {
        var scored: [(score: Float, positive: Bool)] = []
        for (ranking, user) in zip(rankings, users) {
            let scores = Dictionary(ranking.map { ($0.action, $0.score) }, uniquingKeysWith: { first, _ in first })
            for (action, taken) in user.truth.sorted(by: { $0.key < $1.key }) {
                scored.append((scores[action] ?? 0, taken))
            }
        }
        let positives = scored.filter(\.positive).count
        let negatives = scored.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        // Average ranks of the scores (ties share their mean rank), then U = Σ ranks of positives − P(P+1)/2.
        let order = scored.indices.sorted { scored[$0].score < scored[$1].score }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scored[order[end + 1]].score == scored[order[start]].score { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end where scored[order[position]].positive { rankSum += rank }
            start = end + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }
}
