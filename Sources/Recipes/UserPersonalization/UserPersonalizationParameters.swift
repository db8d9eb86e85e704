/// The hyperparameters of ``UserPersonalizationModel``: implicit ALS tuned after Rendle et al. 2021, plus a
/// recency weighting of the history that is folded in at serving time.
///
/// The defaults were chosen on MovieLens 100K under the guide's hold-out protocol (10 folds; see
/// `Benchmarks/README.md`): a low confidence slope (`alpha` 2 instead of ALS's 10), the catalogue-scaled
/// regularisation of Rendle et al. (`unobservedShare`), and `recencyWeight` 2 together lift NDCG@10 from 0.121 to
/// 0.148 at a coverage of 0.32. Out-of-range values are clamped when training starts.
///
/// The ALS fields (`factors`, Personalize's `hidden_dimension`; `iterations`, `alpha`, `regularization`,
/// `unobservedShare`, `regularizationExponent`, `conjugateGradientSteps`, `seed`, `threads`) are those of
/// ``als`` and read and write as these parameters' own.
package struct UserPersonalizationParameters: ALSFactorParameters, Sendable, Hashable {
    /// The ALS part: ``ALSParameters``' defaults but `alpha` 2 and `unobservedShare` 0.05.
    package var als: ALSParameters = {
        var als = ALSParameters()
        als.alpha = 2
        als.unobservedShare = 0.05
        return als
    }()
    /// How much more a history's newest event counts than its oldest when it is folded in (≥ 0): with `n` events,
    /// oldest first, the `k`-th (1-based) has its value multiplied by `1 + recencyWeight · k / n`. 0 weighs all alike.
    package var recencyWeight: Float = 2

    /// The defaults above.
    package init() {}

    /// These parameters with every field moved into its valid range.
    package var clamped: UserPersonalizationParameters {
        var result = self
        result.als = als.clamped
        result.recencyWeight = recencyWeight.isFinite ? max(recencyWeight, 0) : 0
        return result
    }
}
