import Foundation

/// One outcome the propensity model learns from: an action shown to a user after some history, and whether
/// the user took it.
package struct PropensityExample: Sendable, Hashable {
    /// The action's dense index.
    package var action: Int32
    /// The features of the pair (``PropensityModel/featureCount`` values).
    package var features: [Float]
    /// Whether the user took the action.
    package var taken: Bool

    /// Creates an example.
    package init(action: Int32, features: [Float], taken: Bool) {
        self.action = action
        self.features = features
        self.taken = taken
    }
}

/// A logistic model of the chance that a user takes an action:
/// `p = σ(intercept + Σ weights[k] · features[k] + actionBias[action])`.
///
/// The features are the factor model's score for the pair and `log(1 + n)` of how often the user took, declined
/// and viewed the action before (``features(score:taken:notTaken:viewed:)``). Fitting alternates a Newton step on
/// the shared weights (lightly L2-regularised, the intercept not) with one Newton step per action intercept
/// (L2-regularised by `biasRegularization`, so actions with few outcomes stay near the shared rate), in a fixed
/// order: the result depends only on the examples.
package struct PropensityModel: Sendable, Hashable {
    /// The number of features per example.
    package static let featureCount = 4

    package var intercept: Float
    package var weights: [Float]
    package var actionBias: [Float]

    /// A model that gives every pair the same propensity `rate`.
    package init(actionCount: Int, rate: Float = 0.5) {
        let clamped = min(max(rate, 1e-4), 1 - 1e-4)
        intercept = log(clamped / (1 - clamped))
        weights = [Float](repeating: 0, count: Self.featureCount)
        actionBias = [Float](repeating: 0, count: actionCount)
    }

    /// Wraps fitted values.
    package init(intercept: Float, weights: [Float], actionBias: [Float]) {
        precondition(weights.count == Self.featureCount, "PropensityModel: \(weights.count) weights")
        self.intercept = intercept
        self.weights = weights
        self.actionBias = actionBias
    }

    /// The features of a (user, action) pair.
    ///
    /// - Parameters:
    ///   - score: The factor model's raw score for the pair.
    ///   - taken: How often the user took the action before.
    ///   - notTaken: How often the user declined it.
    ///   - viewed: How often it was shown to the user.
    package static func features(score: Float, taken: Int, notTaken: Int, viewed: Int) -> [Float] {
        [score, log1p(Float(taken)), log1p(Float(notTaken)), log1p(Float(viewed))]
    }

    /// The chance, in (0, 1), that the user takes `action`.
    package func propensity(action: Int32, features: [Float]) -> Float {
        var z = intercept
        for (weight, feature) in zip(weights, features) { z += weight * feature }
        if action >= 0, Int(action) < actionBias.count { z += actionBias[Int(action)] }
        return 1 / (1 + exp(-z))
    }

    /// Fits the model by regularised maximum likelihood.
    ///
    /// - Parameters:
    ///   - examples: The outcomes; without any, or with only one kind of label, the model gives the observed
    ///     rate (0.5 without examples) to everything.
    ///   - actionCount: The number of actions.
    ///   - biasRegularization: The L2 weight of each action intercept.
    ///   - rounds: The most alternations of the two Newton steps.
    /// - Returns: The fitted model.
    package static func fit(
        _ examples: [PropensityExample], actionCount: Int, biasRegularization: Float, rounds: Int = 40
    ) -> PropensityModel {
        let positives = examples.filter(\.taken).count
        guard positives > 0, positives < examples.count else {
            let rate = examples.isEmpty ? 0.5 : Float(positives) / Float(examples.count)
            return PropensityModel(actionCount: actionCount, rate: rate)
        }
        var fitter = LogisticFitter(
            examples: examples, actionCount: actionCount, biasRegularization: Double(biasRegularization))
        fitter.intercept = log(Double(positives) / Double(examples.count - positives))
        for _ in 0..<rounds {
            let step = fitter.sharedStep() + fitter.biasStep()
            if step < 1e-7 { break }
        }
        return PropensityModel(
            intercept: Float(fitter.intercept), weights: fitter.weights.map(Float.init),
            actionBias: fitter.bias.map(Float.init))
    }
}

/// The Newton iterations of ``PropensityModel/fit(_:actionCount:biasRegularization:rounds:)``, in `Double`.
private struct LogisticFitter {
    let examples: [PropensityExample]
    let biasRegularization: Double
    var intercept = 0.0
    var weights = [Double](repeating: 0, count: PropensityModel.featureCount)
    var bias: [Double]

    /// The L2 weight of the shared weights (not the intercept): enough to keep separable data finite.
    static let weightRegularization = 1e-2
    /// The largest change of one parameter in one step, so early steps on badly scaled data cannot overshoot.
    static let maximumStep = 4.0

    init(examples: [PropensityExample], actionCount: Int, biasRegularization: Double) {
        self.examples = examples
        self.biasRegularization = biasRegularization
        bias = [Double](repeating: 0, count: actionCount)
    }

    func probability(_ example: PropensityExample) -> Double {
        var z = intercept + bias[Int(example.action)]
        for (weight, feature) in zip(weights, example.features) { z += weight * Double(feature) }
        return 1 / (1 + exp(-z))
    }

    /// One Newton step on the intercept and the shared weights; returns the largest change.
    mutating func sharedStep() -> Double {
        let size = PropensityModel.featureCount + 1
        var hessian = [Double](repeating: 0, count: size * size)
        var gradient = [Double](repeating: 0, count: size)
        var x = [Double](repeating: 1, count: size)
        for example in examples {
            for k in 0..<PropensityModel.featureCount { x[k + 1] = Double(example.features[k]) }
            let p = probability(example)
            let residual = (example.taken ? 1 : 0) - p
            let curvature = max(p * (1 - p), 1e-9)
            for i in 0..<size {
                gradient[i] += residual * x[i]
                for j in 0..<size { hessian[i * size + j] += curvature * x[i] * x[j] }
            }
        }
        for k in 0..<PropensityModel.featureCount {
            gradient[k + 1] -= Self.weightRegularization * weights[k]
            hessian[(k + 1) * size + k + 1] += Self.weightRegularization
        }
        let step = Cholesky.solve(hessian, gradient, size: size).map {
            min(max($0, -Self.maximumStep), Self.maximumStep)
        }
        intercept += step[0]
        for k in 0..<PropensityModel.featureCount { weights[k] += step[k + 1] }
        return step.map(abs).max() ?? 0
    }

    /// One Newton step on every action intercept; returns the largest change.
    mutating func biasStep() -> Double {
        var gradient = bias.map { -biasRegularization * $0 }
        var curvature = [Double](repeating: biasRegularization, count: bias.count)
        for example in examples {
            let p = probability(example)
            gradient[Int(example.action)] += (example.taken ? 1 : 0) - p
            curvature[Int(example.action)] += max(p * (1 - p), 1e-9)
        }
        var largest = 0.0
        for action in bias.indices where curvature[action] > 0 {
            let step = min(max(gradient[action] / curvature[action], -Self.maximumStep), Self.maximumStep)
            bias[action] += step
            largest = max(largest, abs(step))
        }
        return largest
    }
}
