/// The hyperparameters of ``UserPersonalizationModel``: implicit ALS tuned after Rendle et al. 2021, plus a
/// recency weighting of the history that is folded in at serving time.
///
/// The defaults were chosen on MovieLens 100K under the guide's hold-out protocol (10 folds; see
/// `Benchmarks/README.md`): a low confidence slope (`alpha` 2 instead of ALS's 10), the catalogue-scaled
/// regularisation of Rendle et al. (`unobservedShare`), and `recencyWeight` 2 together lift NDCG@10 from 0.121 to
/// 0.148 at a coverage of 0.32. Out-of-range values are clamped when training starts.
package struct UserPersonalizationParameters: ALSFactorParameters, Sendable, Hashable {
    /// The number of latent factors per user and item (Personalize's `hidden_dimension`), in `1...4096`.
    package var factors: Int = 64
    /// The number of alternating sweeps (≥ 0).
    package var iterations: Int = 15
    /// The confidence slope: an interaction of value `v` has confidence `1 + alpha · max(v, 0)`.
    package var alpha: Float = 2
    /// The L2 weight; a row with `n` interactions out of `N` columns is regularised by
    /// `regularization · (n + unobservedShare · N)^regularizationExponent`.
    package var regularization: Float = 0.05
    /// The share of the catalogue's unobserved cells in a row's regularisation (≥ 0).
    package var unobservedShare: Float = 0.05
    /// The exponent of the frequency-scaled regularisation, in `0...1`.
    package var regularizationExponent: Float = 1
    /// Conjugate-gradient steps per row and sweep (≥ 1).
    package var conjugateGradientSteps: Int = 3
    /// How much more a history's newest event counts than its oldest when it is folded in (≥ 0): with `n` events,
    /// oldest first, the `k`-th (1-based) has its value multiplied by `1 + recencyWeight · k / n`. 0 weighs all alike.
    package var recencyWeight: Float = 2
    /// The seed of the initial factors; with the same seed and data, training is bit-for-bit reproducible.
    package var seed: UInt64 = 42
    /// Worker threads for training; 0 means all cores. Results do not depend on this.
    package var threads: Int = 0

    /// The defaults above.
    package init() {}

    /// These parameters with every field moved into its valid range.
    package var clamped: UserPersonalizationParameters {
        var result = self
        let als = alternatingLeastSquares
        result.setFactorFields(from: als)
        result.regularizationExponent = als.regularizationExponent
        result.conjugateGradientSteps = als.conjugateGradientSteps
        result.recencyWeight = recencyWeight.isFinite ? max(recencyWeight, 0) : 0
        return result
    }

    /// The ALS part of these parameters, clamped.
    package var alternatingLeastSquares: ALSParameters {
        var base = ALSParameters()
        base.regularizationExponent = regularizationExponent
        base.conjugateGradientSteps = conjugateGradientSteps
        return alternatingLeastSquares(from: base)
    }
}
