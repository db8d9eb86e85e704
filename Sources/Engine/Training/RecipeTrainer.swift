package import PersonalizeRules
package import Recipes

/// Trains a recipe on `TrainingData`: first on the guide's hold-out split to compute the offline
/// metrics, then on all the data for the model that campaigns serve.
package struct RecipeTrainer: Sendable {
    package let recipe: BuiltInRecipe
    package var hyperParameters: [String: String]
    package let seed: UInt64
    package let threads: Int
    /// The hyperparameters the solution set explicitly (``hyperParameters`` also holds the defaults).
    package var given: [String: String] = [:]
    /// The solution's `featureTransformationParameters` (`trend_discovery_frequency` of trending-now).
    package var featureTransformation: [String: String] = [:]
    /// The solution's `optimizationObjective`, per item of the training data (factor recipes).
    package var objective: ObjectiveBoost?

    /// The number of items evaluated per test user (the largest K of the metrics).
    static let evaluationDepth = 25

    package func train(
        _ data: TrainingData, progress: @Sendable (Double) -> Void = { _ in }
    ) throws -> (artifact: ModelArtifact, metrics: [String: Double]) {
        let events = filteredByHistoryLength(data)
        let metrics =
            recipe.type == .userSegmentation
            ? segmentMetrics(events, data, progress: progress) : itemMetrics(events, data, progress: progress)
        let final = fit(events, users: data.userIDs.count, items: data.itemIDs.count) { fraction in
            progress(0.5 + fraction * 0.5)
        }
        let header = ModelArtifact.Header(
            recipe: recipe, userIDs: data.userIDs, itemIDs: data.itemIDs,
            factors: final.personalization?.parameters.factors,
            regularization: final.personalization?.parameters.regularization,
            alpha: final.personalization?.parameters.alpha, trainingLoss: final.loss,
            trendFrequency: recipe == .trendingNow
                ? featureTransformation["trend_discovery_frequency"].flatMap { TrendingModel.frequencies[$0] }
                    ?? TrendingModel.defaultFrequency : nil)
        let artifact = ModelArtifact(
            header: header, userItems: final.interactions, popularity: final.popularity,
            personalization: final.personalization, similarity: final.similarity)
        return (artifact, metrics)
    }

    /// The guide's metrics of item recipes: a model fitted without 10 % of the users, asked for their newest
    /// interactions from their older ones.
    private func itemMetrics(_ events: [Recipes.Event], _ data: TrainingData, progress: @Sendable (Double) -> Void)
        -> [String: Double]
    {
        let split = HoldOutSplit(events: events, testFraction: 0.1, seed: seed)
        let evaluation = fit(split.training, users: data.userIDs.count, items: data.itemIDs.count) { fraction in
            progress(fraction * 0.45)
        }
        let recommendations = split.testUsers.map { user in
            evaluation.recommend(
                history: user.input.map { ($0.item, $0.value) }, count: Self.evaluationDepth, objective: objective)
        }
        var metrics = OfflineMetrics.evaluate(
            recommendations: recommendations, testUsers: split.testUsers, catalogueSize: data.itemIDs.count
        ).filter { !$0.key.hasPrefix("recall") }
        if recipe == .trendingNow {
            let truths = Dictionary(
                split.testUsers.map { ($0.user, $0.truth) }, uniquingKeysWith: { first, _ in first })
            let truth = events.filter { truths[$0.user]?.contains($0.item) == true }
            metrics[TrendMetrics.name] = TrendMetrics.accuracy(
                recommended: evaluation.recommend(history: [], count: 25), truth: truth, events: events)
        }
        if let objective {
            metrics["average_rewards_at_k"] = ObjectiveBoost.averageRewards(
                recommendations: recommendations, testUsers: split.testUsers, values: objective.values,
                depth: Self.evaluationDepth)
        }
        return metrics
    }

    /// The guide's metrics of segmentation recipes: a model fitted on the oldest 80 % of each user's
    /// interactions ranks users for each item of the newest 20 %.
    private func segmentMetrics(_ events: [Recipes.Event], _ data: TrainingData, progress: @Sendable (Double) -> Void)
        -> [String: Double]
    {
        let split = SegmentMetrics.Split(events: events)
        let evaluation = fit(split.training, users: data.userIDs.count, items: data.itemIDs.count) { fraction in
            progress(fraction * 0.45)
        }
        return SegmentMetrics.evaluate(truth: split.truth, userCount: data.userIDs.count) { item, k in
            guard let model = evaluation.personalization?.factorModel, Int(item) < model.itemCount else { return nil }
            return TopK.select(model.userScores(for: model.itemVector(Int(item))), k: k).map(\.index)
        }
    }

    /// `trainingMode` UPDATE: `previous` (the latest FULL model of the solution) updated with all the data now —
    /// new users, items and interactions — by a few ALS sweeps warm-started from its vectors
    /// (``UserPersonalizationModel/incrementalIterations``) instead of a full training. No new offline metrics.
    package func update(_ data: TrainingData, previous: ModelArtifact) -> ModelArtifact? {
        guard let old = previous.personalization else { return nil }
        let events = filteredByHistoryLength(data)
        let matrix = SparseMatrix(
            rows: data.userIDs.count, cols: data.itemIDs.count,
            entries: events.map { (row: $0.user, col: $0.item, value: $0.value) })
        var oldUsers: [String: Int32] = [:]
        for (index, id) in previous.header.userIDs.enumerated() where index < old.userCount {
            oldUsers[id] = Int32(index)
        }
        var oldItems: [String: Int32] = [:]
        for (index, id) in previous.header.itemIDs.enumerated() where index < old.itemCount {
            oldItems[id] = Int32(index)
        }
        var loss: [Double] = []
        let model = UserPersonalizationModel.update(
            old, with: matrix, users: data.userIDs.map { oldUsers[$0] }, items: data.itemIDs.map { oldItems[$0] },
            threads: threads
        ) { _, value in loss.append(value) }
        let header = ModelArtifact.Header(
            recipe: recipe, userIDs: data.userIDs, itemIDs: data.itemIDs, factors: model.parameters.factors,
            regularization: model.parameters.regularization, alpha: model.parameters.alpha, trainingLoss: loss,
            trendFrequency: nil)
        return ModelArtifact(
            header: header, userItems: matrix, popularity: PopularityModel(matrix), personalization: model,
            similarity: nil)
    }

    /// The trainer with the best of `candidates` (hyperparameter settings) and that setting, for HPO.
    ///
    /// Each candidate is fitted on the training users of the guide's hold-out split and scored by NDCG@10 on a
    /// second hold-out split of those users, so the users the reported metrics are computed on never choose
    /// the hyperparameters. Ties go to the earlier candidate.
    package func tuned(
        _ data: TrainingData, candidates: [[String: String]], progress: (Double) -> Void = { _ in }
    ) -> (trainer: RecipeTrainer, chosen: [String: String], scores: [Double]) {
        let events = filteredByHistoryLength(data)
        let outer = HoldOutSplit(events: events, testFraction: 0.1, seed: seed)
        let inner = HoldOutSplit(events: outer.training, testFraction: 0.1, seed: seed &+ 1)
        var best: (trainer: RecipeTrainer, chosen: [String: String], score: Double)?
        var scores: [Double] = []
        for (index, candidate) in candidates.enumerated() {
            var trainer = self
            trainer.hyperParameters.merge(candidate) { _, new in new }
            trainer.given.merge(candidate) { _, new in new }
            let model = trainer.fit(inner.training, users: data.userIDs.count, items: data.itemIDs.count) { _ in }
            let recommendations = inner.testUsers.map { user in
                model.recommend(history: user.input.map { ($0.item, $0.value) }, count: Self.evaluationDepth)
            }
            let score =
                OfflineMetrics.evaluate(
                    recommendations: recommendations, testUsers: inner.testUsers, catalogueSize: data.itemIDs.count
                )["normalized_discounted_cumulative_gain_at_10"] ?? 0
            scores.append(score)
            if best == nil || score > best!.score { best = (trainer, candidate, score) }
            progress(Double(index + 1) / Double(candidates.count))
        }
        guard let best else { return (self, [:], []) }
        return (best.trainer, best.chosen, scores)
    }

    /// The guide's `min/max_user_history_length_percentile`: drops users with the shortest and longest
    /// histories from training.
    private func filteredByHistoryLength(_ data: TrainingData) -> [Recipes.Event] {
        guard recipe.isFactorModel else { return data.events }
        let low = Double(hyperParameters["min_user_history_length_percentile"] ?? "") ?? 0
        let high = Double(hyperParameters["max_user_history_length_percentile"] ?? "") ?? 1
        var lengths = [Int](repeating: 0, count: data.userIDs.count)
        for event in data.events { lengths[Int(event.user)] += 1 }
        let sorted = lengths.filter { $0 > 0 }.sorted()
        guard !sorted.isEmpty else { return data.events }
        let lowCut = sorted[min(sorted.count - 1, Int(Double(sorted.count) * low))]
        let highCut = sorted[min(sorted.count - 1, Int((Double(sorted.count) * high).rounded(.up)) - 1)]
        return data.events.filter { event in
            let length = lengths[Int(event.user)]
            return length >= lowCut && length <= max(highCut, lowCut)
        }
    }

    private func fit(_ events: [Recipes.Event], users: Int, items: Int, progress: (Double) -> Void) -> FittedModel {
        let matrix = SparseMatrix(
            rows: users, cols: items, entries: events.map { (row: $0.user, col: $0.item, value: $0.value) })
        let popularity = PopularityModel(matrix)
        if recipe.type == .relatedItems {
            let model = ItemSimilarityModel.train(matrix, parameters: similarityParameters)
            progress(1)
            return FittedModel(
                interactions: matrix, popularity: popularity, personalization: nil, similarity: model, loss: [])
        }
        guard recipe.isFactorModel else {
            progress(1)
            return FittedModel(
                interactions: matrix, popularity: popularity, personalization: nil, similarity: nil, loss: [])
        }
        let parameters = personalizationParameters
        var loss: [Double] = []
        let model = UserPersonalizationModel.train(matrix, parameters: parameters) { iteration, value in
            loss.append(value)
            progress(Double(iteration) / Double(parameters.iterations))
        }
        return FittedModel(
            interactions: matrix, popularity: popularity, personalization: model, similarity: nil, loss: loss)
    }

    /// SIMS's parameters from the hyperparameters (`aws-similar-items` defaults to no popularity discount, as
    /// the guide's table says).
    var similarityParameters: ItemSimilarityParameters {
        var parameters = ItemSimilarityParameters()
        if let factor = hyperParameters["popularity_discount_factor"].flatMap(Float.init) {
            parameters.popularityDiscountFactor = factor
        }
        if let count = hyperParameters["min_cointeraction_count"].flatMap(Int.init) {
            parameters.minCointeractionCount = count
        }
        parameters.threads = threads
        return parameters
    }

    /// The model's parameters from the solution's hyperparameters.
    ///
    /// `hidden_dimension` sets the number of factors when the solution gives it; otherwise the factor model
    /// keeps its tuned rank (64): the guide's default of 149 sizes the service's recurrent network, and a
    /// factor model of that rank is slower without being better on the MovieLens benchmark.
    /// `recency_mask: false` turns off the recency weighting of a user's latest interactions.
    var personalizationParameters: UserPersonalizationParameters {
        var parameters = UserPersonalizationParameters()
        if let dimension = given["hidden_dimension"].flatMap(Int.init) { parameters.factors = dimension }
        // v1's `recency_mask` and v2's `apply_recency_bias` both turn the recency weighting off when false.
        if hyperParameters["recency_mask"]?.lowercased() == "false" { parameters.recencyWeight = 0 }
        if hyperParameters["apply_recency_bias"]?.lowercased() == "false" { parameters.recencyWeight = 0 }
        parameters.seed = seed
        parameters.threads = threads
        return parameters
    }
}

/// A model fitted on some events, able to recommend for a history.
struct FittedModel {
    let interactions: SparseMatrix
    let popularity: PopularityModel
    let personalization: UserPersonalizationModel?
    let similarity: ItemSimilarityModel?
    let loss: [Double]

    /// The best `count` items for a history (oldest first), leaving out the history's items: the factor
    /// model's fold-in, or for related-items recipes the items most similar to the history (item-kNN),
    /// padded with popular ones.
    func recommend(history: [(Int32, Float)], count: Int, objective: ObjectiveBoost? = nil) -> [Int32] {
        let excluded = Set(history.map(\.0))
        if let personalization, let objective {
            let scores = objective.apply(
                to: personalization.scores(forHistory: history.map { (item: $0.0, value: $0.1) }))
            return TopK.select(scores, k: count, excluding: excluded).map(\.index)
        }
        if let personalization {
            return personalization.recommend(
                history: history.map { (item: $0.0, value: $0.1) }, count: count, excluding: excluded
            ).map(\.index)
        }
        if let similarity {
            let scores = similarity.scores(forHistory: history.map { (item: $0.0, value: $0.1) })
            let similar = TopK.select(scores, k: count, excluding: excluded).filter { $0.score > 0 }.map(\.index)
            guard similar.count < count else { return similar }
            let popular = TopK.select(
                popularity.scores(), k: count - similar.count, excluding: excluded.union(similar))
            return similar + popular.map(\.index)
        }
        return TopK.select(popularity.scores(), k: count, excluding: excluded).map(\.index)
    }
}
