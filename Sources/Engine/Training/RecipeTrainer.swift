import Recipes

/// Trains a recipe on `TrainingData`: first on the guide's hold-out split to compute the offline
/// metrics, then on all the data for the model that campaigns serve.
package struct RecipeTrainer: Sendable {
    package let recipe: String
    package let hyperParameters: [String: String]
    package let seed: UInt64
    package let threads: Int

    /// The number of items evaluated per test user (the largest K of the metrics).
    static let evaluationDepth = 25

    package func train(
        _ data: TrainingData, progress: @Sendable (Double) -> Void = { _ in }
    ) throws -> (artifact: ModelArtifact, metrics: [String: Double]) {
        let events = filteredByHistoryLength(data)
        let split = HoldOutSplit(events: events, testFraction: 0.1, seed: seed)
        let evaluation = fit(split.training, users: data.userIDs.count, items: data.itemIDs.count) { fraction in
            progress(fraction * 0.45)
        }
        let recommendations = split.testUsers.map { user in
            evaluation.recommend(history: user.input.map { ($0.item, $0.value) }, count: Self.evaluationDepth)
        }
        let metrics = OfflineMetrics.evaluate(
            recommendations: recommendations, testUsers: split.testUsers, catalogueSize: data.itemIDs.count
        ).filter { !$0.key.hasPrefix("recall") }
        let final = fit(events, users: data.userIDs.count, items: data.itemIDs.count) { fraction in
            progress(0.5 + fraction * 0.5)
        }
        let header = ModelArtifact.Header(
            recipe: recipe, userIDs: data.userIDs, itemIDs: data.itemIDs,
            factors: final.factors?.factors, regularization: final.parameters?.regularization,
            alpha: final.parameters?.alpha, trainingLoss: final.loss)
        let artifact = ModelArtifact(
            header: header, userItems: final.interactions, popularity: final.popularity,
            factorModel: final.factors)
        return (artifact, metrics)
    }

    /// The guide's `min/max_user_history_length_percentile`: drops users with the shortest and longest
    /// histories from training.
    private func filteredByHistoryLength(_ data: TrainingData) -> [Recipes.Event] {
        guard recipe == "aws-user-personalization" else { return data.events }
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
        guard recipe == "aws-user-personalization" else {
            progress(1)
            return FittedModel(interactions: matrix, popularity: popularity, factors: nil, parameters: nil, loss: [])
        }
        var parameters = ALSParameters()
        parameters.factors = Int(hyperParameters["hidden_dimension"] ?? "") ?? parameters.factors
        parameters.seed = seed
        parameters.threads = threads
        var loss: [Double] = []
        let iterations = parameters.iterations
        let model = ALS.train(matrix, parameters: parameters) { iteration, value in
            loss.append(value)
            progress(Double(iteration + 1) / Double(iterations))
        }
        return FittedModel(
            interactions: matrix, popularity: popularity, factors: model, parameters: parameters, loss: loss)
    }
}

/// A model fitted on some events, able to recommend for a history.
struct FittedModel {
    let interactions: SparseMatrix
    let popularity: PopularityModel
    let factors: FactorModel?
    let parameters: ALSParameters?
    let loss: [Double]

    func recommend(history: [(Int32, Float)], count: Int) -> [Int32] {
        let excluded = Set(history.map(\.0))
        if let factors, let parameters {
            let vector = factors.foldIn(history.map { (item: $0.0, value: $0.1) }, parameters: parameters)
            return TopK.select(factors.scores(for: vector), k: count, excluding: excluded).map(\.index)
        }
        return TopK.select(popularity.scores(), k: count, excluding: excluded).map(\.index)
    }
}
