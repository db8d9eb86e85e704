/// The hyperparameters of ``NextBestActionModel``.
///
/// The factor part is implicit ALS over users × (actions ∪ items): a taken action is a positive of weight 1, an
/// item interaction one of weight ``itemWeight``, so users who share tastes in items share actions too. The
/// propensity part is a logistic model over the factor score and the user's own counts of each outcome with the
/// action, fitted on the outcomes that followed each user's earlier history within ``optimizationPeriod``.
///
/// The defaults were chosen on a planted-cluster world (four tastes; 600 users shown ten random actions each):
/// strong regularisation matters more than the rank, and items weighing as much as taken actions helps users
/// with few actions. They reach an AUC of about 0.74 there, where knowing each user's taste exactly gives 0.79.
package struct NextBestActionParameters: ALSFactorParameters, Sendable, Hashable {
    /// The number of latent factors (≥ 1).
    package var factors: Int = 16
    /// ALS sweeps (≥ 0).
    package var iterations: Int = 12
    /// The confidence slope of ALS: a cell of value `v` has confidence `1 + alpha · v`.
    package var alpha: Float = 2
    /// The weight of one item interaction next to one taken action (≥ 0; 0 ignores items).
    package var itemWeight: Float = 1
    /// The ALS L2 weight, scaled per row (see ``ALSParameters/regularization``).
    package var regularization: Float = 0.5
    /// The share of unobserved cells in a row's ALS regularisation (see ``ALSParameters/unobservedShare``).
    package var unobservedShare: Float = 0.05
    /// The L2 weight of each action's own intercept in the propensity model (≥ 0).
    package var biasRegularization: Float = 1
    /// The guide's `action_optimization_period`, in seconds: the outcomes that count as following a history.
    package var optimizationPeriod: Int64 = 14 * 86_400
    /// Taken and not-taken-or-viewed interactions an action needs (each) within ``scoringWindow`` of the newest
    /// action interaction before its propensity is reported; until then its score is 0 (the guide's 50).
    package var minimumOutcomesForScore: Int = 50
    /// How far back from the newest action interaction ``minimumOutcomesForScore`` looks (the guide's 6 weeks).
    package var scoringWindow: Int64 = 42 * 86_400
    /// The seed of ALS's initial factors.
    package var seed: UInt64 = 42
    /// Worker threads for ALS; 0 means all cores. Results do not depend on this.
    package var threads: Int = 0

    /// The defaults above.
    package init() {}

    /// The ALS part of these parameters, clamped.
    package var alternatingLeastSquares: ALSParameters { alternatingLeastSquares(from: ALSParameters()) }

    /// These parameters with every field moved into its valid range.
    package var clamped: NextBestActionParameters {
        var result = self
        result.setFactorFields(from: alternatingLeastSquares)
        result.itemWeight = itemWeight.isFinite ? max(itemWeight, 0) : 0
        result.biasRegularization = biasRegularization.isFinite ? max(biasRegularization, 0) : 1
        result.optimizationPeriod = max(optimizationPeriod, 1)
        result.minimumOutcomesForScore = max(minimumOutcomesForScore, 0)
        result.scoringWindow = max(scoringWindow, 0)
        return result
    }
}
