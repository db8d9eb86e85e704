/// The hyperparameters of implicit ALS (``ALS``).
///
/// Out-of-range values are clamped when training starts (see ``clamped``) rather than trapping; the engine
/// validates Personalize's documented ranges before it gets here.
package struct ALSParameters: Sendable, Hashable {
    /// The number of latent factors per user and item (≥ 1).
    package var factors: Int = 64
    /// The number of alternating sweeps, each solving all users then all items (≥ 0).
    package var iterations: Int = 15
    /// The L2 weight, scaled per row by its number of interactions: a user with `n` items is regularised by
    /// `regularization · n` (frequency-scaled regularisation, as in the reference iALS).
    package var regularization: Float = 0.05
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

    /// These parameters with every field moved into its valid range.
    package var clamped: ALSParameters {
        var result = self
        result.factors = min(max(factors, 1), 4096)
        result.iterations = max(iterations, 0)
        result.regularization = regularization.isFinite ? max(regularization, 0) : 0
        result.alpha = alpha.isFinite ? max(alpha, 0) : 0
        result.conjugateGradientSteps = max(conjugateGradientSteps, 1)
        result.threads = max(threads, 0)
        return result
    }

    /// The confidence of an interaction value.
    @inline(__always)
    func confidence(_ value: Float) -> Float { 1 + alpha * max(value, 0) }
}
