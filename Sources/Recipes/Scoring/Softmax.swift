import Foundation

/// Turns raw model scores into Personalize's recommendation scores.
package enum Softmax {
    /// The softmax over all scores: `exp(s_i - max) / Σ exp(s_j - max)`.
    ///
    /// The result sums to 1 (up to `Float` rounding) and keeps the order of the inputs. The exponentials are
    /// `Float`, their sum `Double`. NaN scores get 0, `+∞` counts as the largest finite score, and if no score
    /// is finite the non-NaN scores share the mass equally.
    ///
    /// - Parameter scores: Raw scores, e.g. from ``FactorModel/scores(for:)``.
    /// - Returns: One probability per score.
    package static func normalize(_ scores: [Float]) -> [Float] {
        guard !scores.isEmpty else { return [] }
        var maximum = -Float.infinity
        for score in scores where score.isFinite && score > maximum { maximum = score }
        guard maximum.isFinite else {
            let eligible = scores.filter { !$0.isNaN }.count
            return scores.map { $0.isNaN || eligible == 0 ? 0 : 1 / Float(eligible) }
        }
        var exponentials = [Float](repeating: 0, count: scores.count)
        var total = 0.0
        for (i, score) in scores.enumerated() where !score.isNaN {
            let value = exp(min(score, maximum) - maximum)
            exponentials[i] = value
            total += Double(value)
        }
        let scale = Float(1 / total)
        return exponentials.map { $0 * scale }
    }
}
