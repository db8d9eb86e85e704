import Foundation

/// The `aws-user-personalization` model: implicit ALS with Rendle et al.'s regularisation, served by folding in
/// the user's history with recency weights.
///
/// Training factorises the users × items matrix once (``train(_:parameters:)``). Serving is real-time: a history,
/// including events recorded a moment ago or an anonymous session's, is folded into a user vector exactly
/// (a `factors × factors` Cholesky solve), then scored against every item (``scores(forHistory:)``). The cost is
/// independent of the number of users and linear in the number of items, so it scales to large catalogues:
/// about 1 ms for 100k items × 64 factors.
package struct UserPersonalizationModel: Sendable {
    /// The parameters it was trained with (clamped); fold-in uses the same ones.
    package let parameters: UserPersonalizationParameters
    /// The trained user and item vectors.
    package let factorModel: FactorModel

    /// Wraps a trained factor model and the parameters it was trained with.
    ///
    /// - Parameters:
    ///   - parameters: The training parameters; they are clamped, and `factors` is taken from `factorModel`.
    ///   - factorModel: The trained vectors.
    package init(parameters: UserPersonalizationParameters, factorModel: FactorModel) {
        var parameters = parameters.clamped
        parameters.factors = factorModel.factors
        self.parameters = parameters
        self.factorModel = factorModel
    }

    /// Trains the model on a users × items matrix.
    ///
    /// - Parameters:
    ///   - interactions: Users × items; a cell's value is the summed value of the pair's events.
    ///   - parameters: The hyperparameters; out-of-range values are clamped.
    /// - Returns: The trained model; the same for the same data and seed, whatever the thread count.
    package static func train(
        _ interactions: SparseMatrix, parameters: UserPersonalizationParameters = .init()
    ) -> UserPersonalizationModel {
        let parameters = parameters.clamped
        let model = ALS.train(interactions, parameters: parameters.alternatingLeastSquares)
        return UserPersonalizationModel(parameters: parameters, factorModel: model)
    }

    /// Trains the model as ``train(_:parameters:)`` does, reporting the training loss after each sweep.
    ///
    /// - Parameters:
    ///   - interactions: Users × items.
    ///   - parameters: The hyperparameters; out-of-range values are clamped.
    ///   - progress: Called after each sweep with its number (1-based) and the loss per interaction.
    /// - Returns: The same model as ``train(_:parameters:)``.
    package static func train(
        _ interactions: SparseMatrix, parameters: UserPersonalizationParameters,
        progress: (_ iteration: Int, _ loss: Double) -> Void
    ) -> UserPersonalizationModel {
        let parameters = parameters.clamped
        let model = ALS.train(interactions, parameters: parameters.alternatingLeastSquares, progress: progress)
        return UserPersonalizationModel(parameters: parameters, factorModel: model)
    }

    /// Updates `previous` with `interactions` (all of the data now): a few ALS sweeps (``incrementalIterations``)
    /// warm-started from its vectors, new users and items starting random.
    ///
    /// - Parameters:
    ///   - users: For each row of `interactions`, its user's index in `previous` (nil for a new user).
    ///   - items: For each column, its item's index in `previous` (nil for a new item).
    package static func update(
        _ previous: UserPersonalizationModel, with interactions: SparseMatrix, users: [Int32?], items: [Int32?],
        threads: Int, progress: (_ iteration: Int, _ loss: Double) -> Void
    ) -> UserPersonalizationModel {
        var parameters = previous.parameters.clamped
        parameters.iterations = incrementalIterations
        parameters.threads = threads
        var als = parameters.alternatingLeastSquares
        als.iterations = incrementalIterations
        let model = ALS.update(
            interactions, parameters: als, from: (previous.factorModel, users, items), progress: progress)
        return UserPersonalizationModel(parameters: parameters, factorModel: model)
    }

    /// The sweeps of an incremental update.
    package static let incrementalIterations = 3

    /// The number of users trained (valid arguments of ``scores(forUser:)``).
    package var userCount: Int { factorModel.userCount }

    /// The number of items in the catalogue.
    package var itemCount: Int { factorModel.itemCount }

    /// The user vector for a history, with the newest events weighted up by
    /// ``UserPersonalizationParameters/recencyWeight``.
    ///
    /// - Parameter history: The user's interactions, **oldest first**, with their values (1 for a plain event).
    ///   Repeated items add up; items outside `0..<itemCount` (e.g. added after training) are ignored.
    /// - Returns: A vector of ``FactorModel/factors`` values; all zeros when no known item is given.
    package func userVector(forHistory history: [(item: Int32, value: Float)]) -> [Float] {
        let count = Float(history.count)
        let recency = parameters.recencyWeight
        let weighted = history.enumerated().map { offset, entry in
            (item: entry.item, value: entry.value * (1 + recency * Float(offset + 1) / count))
        }
        return factorModel.foldIn(weighted, parameters: parameters.alternatingLeastSquares)
    }

    /// The raw score of every item for a history (fold-in, then the dot product with every item).
    ///
    /// - Parameter history: The user's interactions, **oldest first**; see ``userVector(forHistory:)``.
    /// - Returns: `itemCount` scores, indexed by item; all zeros for an empty or unknown history.
    package func scores(forHistory history: [(item: Int32, value: Float)]) -> [Float] {
        factorModel.scores(for: userVector(forHistory: history))
    }

    /// The raw score of every item for a user seen in training, from their trained vector.
    ///
    /// Prefer ``scores(forHistory:)`` when the user's current history is at hand: it includes events recorded
    /// after training and weighs recent ones up.
    ///
    /// - Parameter user: A user index in `0..<userCount`.
    /// - Returns: `itemCount` scores, indexed by item.
    package func scores(forUser user: Int) -> [Float] {
        precondition(
            (0..<userCount).contains(user), "UserPersonalizationModel: user \(user) is outside 0..<\(userCount)")
        return factorModel.scores(for: factorModel.userVector(user))
    }

    /// The best `count` items for a history, with Personalize's scores: a softmax over the whole catalogue.
    ///
    /// - Parameters:
    ///   - history: The user's interactions, **oldest first**.
    ///   - count: How many items to return.
    ///   - excluded: Items never to return; pass the history's items to leave out what the user already has.
    /// - Returns: Up to `count` `(index, score)` pairs, best first; scores are probabilities over all items.
    package func recommend(
        history: [(item: Int32, value: Float)], count: Int, excluding excluded: Set<Int32> = []
    ) -> [(index: Int32, score: Float)] {
        Self.topProbabilities(scores(forHistory: history), count: count, excluding: excluded)
    }

    /// The best `count` items for a user seen in training, scored as ``recommend(history:count:excluding:)`` does.
    ///
    /// - Parameters:
    ///   - user: A user index in `0..<userCount`.
    ///   - count: How many items to return.
    ///   - excluded: Items never to return.
    /// - Returns: Up to `count` `(index, score)` pairs, best first.
    package func recommend(
        user: Int, count: Int, excluding excluded: Set<Int32> = []
    ) -> [(index: Int32, score: Float)] {
        Self.topProbabilities(scores(forUser: user), count: count, excluding: excluded)
    }

    /// Top-k on raw scores, then each selected score turned into its softmax probability over all the scores
    /// (the same values as ``Softmax/normalize(_:)`` gives, without normalising the whole catalogue).
    ///
    /// - Parameters:
    ///   - scores: Raw scores, one per item.
    ///   - count: How many items to return.
    ///   - excluded: Items never to return (they still count in the normaliser).
    /// - Returns: Up to `count` `(index, probability)` pairs, best first.
    package static func topProbabilities(
        _ scores: [Float], count: Int, excluding excluded: Set<Int32>
    ) -> [(index: Int32, score: Float)] {
        topProbabilitiesAndNormaliser(scores, count: count, excluding: excluded).top
    }

    /// ``topProbabilities(_:count:excluding:)``, and the scores' ``SoftmaxNormaliser`` it computed on the way
    /// (nil when it computed none: no item to return, or no finite normaliser).
    package static func topProbabilitiesAndNormaliser(
        _ scores: [Float], count: Int, excluding excluded: Set<Int32>
    ) -> (top: [(index: Int32, score: Float)], normaliser: SoftmaxNormaliser?) {
        let top = TopK.select(scores, k: count, excluding: excluded)
        guard !top.isEmpty else { return ([], nil) }
        if let normaliser = SoftmaxNormaliser(scores) {
            return (top.map { (index: $0.index, score: normaliser.probability(of: $0.score)) }, normaliser)
        }
        // Rare: no finite maximum, or exponentials whose sum overflows the kernel's.
        let best = scores.withUnsafeBufferPointer { VectorKernels.maximum($0) }
        guard best.isFinite else {
            let probabilities = Softmax.normalize(scores)
            return (top.map { (index: $0.index, score: probabilities[Int($0.index)]) }, nil)
        }
        var total = 0.0
        for score in scores where !score.isNaN { total += Double(exp(score - best)) }
        return (top.map { (index: $0.index, score: Float(Double(exp($0.score - best)) / total)) }, nil)
    }

    /// The softmax probabilities over all of `scores` of the items at `indices`.
    package static func probabilities(of indices: [Int32], in scores: [Float]) -> [Float] {
        guard !indices.isEmpty else { return [] }
        guard let normaliser = SoftmaxNormaliser(scores) else {
            let probabilities = Softmax.normalize(scores)
            return indices.map { probabilities[Int($0)] }
        }
        return indices.map { normaliser.probability(of: scores[Int($0)]) }
    }
}

/// What turns one raw score into its softmax probability over a whole list of scores: the list's maximum and
/// its sum of exponentials after subtracting it. Kept, it gives an item's probability from that item's score
/// alone, the same value ``UserPersonalizationModel/probabilities(of:in:)`` gives.
package struct SoftmaxNormaliser: Sendable, Equatable {
    package let best: Float
    package let total: Double

    /// The normaliser of `scores`; nil when they have no finite maximum or their exponentials no finite,
    /// positive sum (the probabilities are then computed another way, over the whole list).
    package init?(_ scores: [Float]) {
        let best = scores.withUnsafeBufferPointer { VectorKernels.maximum($0) }
        guard best.isFinite else { return nil }
        let total = scores.withUnsafeBufferPointer { VectorKernels.sumOfExponentials($0, minus: best) }
        guard total.isFinite, total > 0 else { return nil }
        self.best = best
        self.total = total
    }

    package init(best: Float, total: Double) {
        self.best = best
        self.total = total
    }

    package func probability(of score: Float) -> Float {
        Float(Double(exp(score - best)) / total)
    }
}
