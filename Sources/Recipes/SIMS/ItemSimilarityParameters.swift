/// The hyperparameters of ``ItemSimilarityModel`` (the `aws-sims` recipe's names and defaults).
package struct ItemSimilarityParameters: Sendable, Hashable {
    /// `popularity_discount_factor`, in `0...1`: how much a popular neighbour is discounted. The similarity of `j`
    /// to `i` is `co(i, j) / (users(i)^(1 − d) · users(j)^d)`, so 0 ranks neighbours by raw co-occurrence (popular
    /// items first), 0.5 by cosine, and 1 by the share of `j`'s users who also have `i`.
    package var popularityDiscountFactor: Float = 0.5
    /// `min_cointeraction_count`, in `0...10`: pairs with fewer common users are not neighbours (a pair needs at
    /// least one common user in any case).
    package var minCointeractionCount: Int = 3
    /// How many neighbours to keep per item (≥ 1): the model is sparse, `items × neighbours`, at any catalogue size.
    package var neighbours: Int = 100
    /// Users with more distinct items than this are left out of the co-occurrence counts (≥ 1): counting costs
    /// the square of a history's length, and such histories are usually robots or catalogue crawls.
    package var maximumUserHistory: Int = 5000
    /// Worker threads; 0 means all cores. Results do not depend on this.
    package var threads: Int = 0

    /// The defaults above.
    package init() {}

    /// These parameters with every field moved into its valid range.
    package var clamped: ItemSimilarityParameters {
        var result = self
        result.popularityDiscountFactor =
            popularityDiscountFactor.isFinite ? min(max(popularityDiscountFactor, 0), 1) : 0.5
        result.minCointeractionCount = min(max(minCointeractionCount, 0), 10)
        result.neighbours = max(neighbours, 1)
        result.maximumUserHistory = max(maximumUserHistory, 1)
        result.threads = max(threads, 0)
        return result
    }
}
