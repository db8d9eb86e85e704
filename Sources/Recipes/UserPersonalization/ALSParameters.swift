import Foundation

/// The hyperparameters of implicit ALS (``ALS``).
///
/// Out-of-range values are clamped when training starts (see ``clamped``) rather than trapping; the engine
/// validates Personalize's documented ranges before it gets here.
package struct ALSParameters: ALSFactorParameters, Sendable, Hashable {
    /// The number of latent factors per user and item (≥ 1).
    package var factors: Int = 64
    /// The number of alternating sweeps, each solving all users then all items (≥ 0).
    package var iterations: Int = 15
    /// The L2 weight, scaled per row by its number of interactions: a row with `n` interactions out of `N`
    /// columns is regularised by `regularization · (n + unobservedShare · N)^regularizationExponent`
    /// (frequency-scaled regularisation, Rendle et al. 2021 "Revisiting the performance of iALS").
    package var regularization: Float = 0.05
    /// How much of the catalogue's unobserved cells count in a row's regularisation (≥ 0); 0 scales it by the
    /// interactions alone. Rendle et al. use the unobserved weight, i.e. `1 / alpha` in this parametrisation.
    package var unobservedShare: Float = 0
    /// The exponent ν of the frequency scaling, in `0...1`: 1 is linear, 0 a constant `regularization`.
    package var regularizationExponent: Float = 1
    /// The confidence slope: an interaction of value `v` has confidence `1 + alpha · max(v, 0)`.
    package var alpha: Float = 10
    /// Conjugate-gradient steps per row and sweep, warm-started from the previous solution (≥ 1).
    package var conjugateGradientSteps: Int = 3
    /// The seed of the initial factors; with the same seed and data, training is bit-for-bit reproducible.
    package var seed: UInt64 = 42
    /// Worker threads; 0 means all cores. Results do not depend on this.
    package var threads: Int = 0

    /// The defaults above.
    package init() {}

    /// Itself: plain ALS is all factor part.
    package var als: ALSParameters {
        get { self }
        set { self = newValue }
    }

    /// These parameters with every field moved into its valid range.
    package var clamped: ALSParameters {
        var result = self
        result.factors = min(max(factors, 1), 4096)
        result.iterations = max(iterations, 0)
        result.regularization = regularization.isFinite ? max(regularization, 0) : 0
        result.alpha = alpha.isFinite ? max(alpha, 0) : 0
        result.unobservedShare = unobservedShare.isFinite ? max(unobservedShare, 0) : 0
        result.regularizationExponent = regularizationExponent.isFinite ? min(max(regularizationExponent, 0), 1) : 1
        result.conjugateGradientSteps = max(conjugateGradientSteps, 1)
        result.threads = max(threads, 0)
        return result
    }

    /// The ridge of a row with `count` interactions out of `columns` (the other side's size).
    @inline(__always)
    func rowRegularization(count: Int, columns: Int) -> Float {
        let weight = Float(count) + unobservedShare * Float(columns)
        return regularizationExponent == 1
            ? regularization * weight : regularization * pow(weight, regularizationExponent)
    }

    /// The confidence of an interaction value.
    @inline(__always)
    func confidence(_ value: Float) -> Float { 1 + alpha * max(value, 0) }
}

/// Hyperparameters of a recipe whose factor part is ``ALS``: they hold an ``ALSParameters`` (``als``), whose fields
/// read and write as their own (`parameters.factors` is `parameters.als.factors`), and which clamps them.
@dynamicMemberLookup
package protocol ALSFactorParameters {
    /// The ALS part, as set (not clamped).
    var als: ALSParameters { get set }
}

extension ALSFactorParameters {
    /// A field of the ALS part (``als``), read and written as one of these parameters.
    package subscript<Value>(dynamicMember field: WritableKeyPath<ALSParameters, Value>) -> Value {
        get { als[keyPath: field] }
        set { als[keyPath: field] = newValue }
    }

    /// The ALS part of these parameters, clamped.
    package var alternatingLeastSquares: ALSParameters { als.clamped }
}
