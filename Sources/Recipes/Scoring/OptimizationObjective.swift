import Foundation

/// A solution's `optimizationObjective` (guide part 2 §10.6): besides relevance, favour items with higher
/// values of one numeric Items column, as much as `objectiveSensitivity` says.
package struct ObjectiveBoost: Sendable {
    /// Per item, the standardised log of its (non-negative) value: how far above the catalogue's usual value.
    package let standardised: [Float]
    /// The raw values, per item (the rewards of ``averageRewards(recommendations:testUsers:values:depth:)``).
    package let values: [Float]
    /// How many standard deviations of the user's scores one standard deviation of the objective is worth.
    package let weight: Float

    /// The weight of each `objectiveSensitivity`: OFF 0, LOW 0.5, MEDIUM 1, HIGH 2.
    package static func weight(sensitivity: String) -> Float? {
        ["OFF": 0, "LOW": 0.5, "MEDIUM": 1, "HIGH": 2][sensitivity]
    }

    package init(values: [Float], weight: Float) {
        self.values = values
        self.weight = weight
        let logs = values.map { log1p(max($0.isFinite ? $0 : 0, 0)) }
        let (mean, deviation) = Self.meanAndDeviation(logs)
        standardised = logs.map { deviation > 0 ? ($0 - mean) / deviation : 0 }
    }

    /// `scores` plus `weight` × their standard deviation × each item's standardised value.
    package func apply(to scores: [Float]) -> [Float] {
        guard weight > 0, scores.count == standardised.count, scores.count > 1 else { return scores }
        let scale = weight * Self.meanAndDeviation(scores).deviation
        return zip(scores, standardised).map { $0 + scale * $1 }
    }

    /// The mean and (population) standard deviation of `values`; (0, 0) when empty.
    package static func meanAndDeviation(_ values: [Float]) -> (mean: Float, deviation: Float) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        return (mean, variance.squareRoot())
    }

    /// `average_rewards_at_k`: per test user, the value of their held-out items found in the top `depth`
    /// recommendations over the value of all their held-out items; averaged over the users whose held-out
    /// items have any value.
    package static func averageRewards(
        recommendations: [[Int32]], testUsers: [TestUser], values: [Float], depth: Int = 25
    ) -> Double {
        var total = 0.0
        var users = 0
        for (list, user) in zip(recommendations, testUsers) {
            let reward: (Int32) -> Double = { Int($0) < values.count ? Double(max(values[Int($0)], 0)) : 0 }
            let possible = user.truth.reduce(0) { $0 + reward($1) }
            guard possible > 0 else { continue }
            let earned = list.prefix(depth).filter { user.truth.contains($0) }.reduce(0) { $0 + reward($1) }
            total += earned / possible
            users += 1
        }
        return users == 0 ? 0 : total / Double(users)
    }
}
