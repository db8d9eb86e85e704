package import EngineAPI
import Foundation
package import PersonalizeRules
package import Recipes

/// A trained model loaded for serving: id lookups and the recipe's scoring.
///
/// A class, though immutable: requests pass it around, and a copy of a struct of ten references retained each.
package final class DeployedModel: Sendable {
    package let solutionVersionArn: String
    package let artifact: ModelArtifact
    /// The dataset group whose interactions feed real-time fold-in.
    package let datasetGroupArn: String?
    private let userIndex: [String: Int32]
    /// Item (or, for next-best-action, action) ID → index.
    let itemIndex: [String: Int32]
    /// Next-best-action: the ID → index of the items whose interactions it folds in.
    let interactionItemIndex: [String: Int32]
    private let popularityRanking: [(index: Int32, score: Float)]

    /// The solution's `optimizationObjective`, per model item (user-personalization, personalized-ranking).
    package let objective: ObjectiveBoost?

    /// `trainingDataConfig.excludedDatasetColumns` of its solution or recommender, by upper-cased dataset type:
    /// columns that neither item metadata (similar-items) nor context may use.
    package let excludedColumns: [String: Set<String>]

    /// Tells loads apart (the objective is read at load time): candidate lists belong to one load.
    let loadID = UUID()

    /// Batches the catalogue scoring of concurrent real-time requests (factor models only).
    package let batcher: ScoreBatcher?

    package init(
        solutionVersionArn: String, artifact: ModelArtifact, datasetGroupArn: String?, objective: ObjectiveBoost? = nil,
        excludedColumns: [String: [String]]? = nil
    ) {
        self.solutionVersionArn = solutionVersionArn
        self.objective = objective
        var excluded: [String: Set<String>] = [:]
        for (type, columns) in excludedColumns ?? [:] { excluded[type.uppercased(), default: []].formUnion(columns) }
        self.excludedColumns = excluded
        self.artifact = artifact
        self.datasetGroupArn = datasetGroupArn
        var items: [String: Int32] = [:]
        items.reserveCapacity(artifact.header.itemIDs.count)
        for (index, id) in artifact.header.itemIDs.enumerated() { items[id] = Int32(index) }
        itemIndex = items
        var users: [String: Int32] = [:]
        users.reserveCapacity(artifact.header.userIDs.count)
        for (index, id) in artifact.header.userIDs.enumerated() { users[id] = Int32(index) }
        userIndex = users
        interactionItemIndex = Dictionary(
            (artifact.header.interactionItemIDs ?? []).enumerated().map { ($1, Int32($0)) },
            uniquingKeysWith: { first, _ in first })
        let scores = artifact.popularity.scores()
        popularityRanking = TopK.select(scores, k: scores.count)
        batcher = artifact.personalization.map { ScoreBatcher(model: $0.factorModel) }
    }

    package var recipe: BuiltInRecipe { artifact.header.recipe }

    /// Whether recommendations for a user depend on their latest interactions (real-time fold-in).
    package var usesHistory: Bool { recipe.isFactorModel && artifact.personalization != nil }

    /// The recipe's type, as `DescribeRecipe` reports it.
    package var recipeType: RecipeType { recipe.type }

    /// The top `count` items for `userID`, best first.
    ///
    /// User-personalization folds the user's interactions in (`history`, newest first: what the
    /// engine has now, including events recorded a moment ago) so new interests count at once, the
    /// latest weighted up; its scores are a softmax over the whole catalogue and the items the user
    /// already interacted with are left out. A user with no history gets the most popular items.
    /// Popularity-count returns the same popular items for everyone, without scores (as the guide says).
    package func recommend(userID: String?, history: [String], count: Int) -> [PredictedItem] {
        recommender(userID: userID, history: history)(count)
    }

    /// ``recommend(userID:history:count:)`` for any count, scoring the catalogue once: filters ask for more and
    /// more candidates until enough pass, and each further ask only selects a larger top.
    package func recommender(userID: String?, history: [String]) -> @Sendable (Int) -> [PredictedItem] {
        let scoring = scoring(userID: userID, history: history)
        return { scoring.top($0) }
    }

    /// The user's scores over the catalogue (nil when the model knows nothing of them: popular items then),
    /// computed once for both the best items and exploration.
    ///
    /// - Parameters:
    ///   - history: The user's latest interactions, newest first.
    ///   - contextAffinity: Per item ID, the log-ratio of its share of interactions made in the request's
    ///     context to the average share (contextual metadata): added to the user's scores, scaled by their spread,
    ///     so items people use in this context (a phone, a place) rank up.
    ///   - standIn: For a user with no history, the items most interacted with in the request's context and
    ///     how often: they are ranked by that count (never excluded: the user did not interact with them).
    package func scoring(
        userID: String?, history: [String], contextAffinity: [String: Float] = [:],
        standIn: [(item: String, count: Int)] = []
    ) -> UserScoring {
        let state = userState(userID: userID, history: history)
        let raw = state.flatMap { state in artifact.personalization.map { $0.factorModel.scores(for: state.vector) } }
        return scoring(state: state, raw: raw, history: history, contextAffinity: contextAffinity, standIn: standIn)
    }

    /// ``scoring(userID:history:contextAffinity:standIn:)`` for a real-time request: the catalogue is scored in a
    /// pass shared with the requests that arrive at the same time (``ScoreBatcher``), with the same result.
    package func batchedScoring(
        userID: String?, history: [String], contextAffinity: [String: Float] = [:],
        standIn: [(item: String, count: Int)] = []
    ) async -> UserScoring {
        let state = userState(userID: userID, history: history)
        var raw: [Float]?
        if let state, let batcher { raw = await batcher.scores(for: state.vector) }
        return scoring(state: state, raw: raw, history: history, contextAffinity: contextAffinity, standIn: standIn)
    }

    /// The scoring of a user whose ``userState(userID:history:)`` is `state` and raw catalogue scores `raw`.
    private func scoring(
        state: (vector: [Float], excluded: Set<Int32>, excludedIDs: [String])?, raw: [Float]?, history: [String],
        contextAffinity: [String: Float], standIn: [(item: String, count: Int)]
    ) -> UserScoring {
        let itemIDs = artifact.header.itemIDs
        var scoring = UserScoring(model: self, scores: nil, excluded: [], interacted: Set(history))
        guard usesHistory, artifact.personalization != nil else { return scoring }
        if let state, let raw {
            scoring.scores = withContext(raw, contextAffinity)
            scoring.excluded = state.excluded
            scoring.interacted.formUnion(state.excludedIDs)
        } else if !standIn.isEmpty {
            var scores = [Float](repeating: 0, count: itemIDs.count)
            for entry in standIn {
                if let index = itemIndex[entry.item] { scores[Int(index)] = log(1 + Float(entry.count)) }
            }
            scoring.scores = scores
        }
        return scoring
    }

    /// The item IDs ``scoring(userID:history:contextAffinity:standIn:)`` counts as the user's interactions (its
    /// `interacted`) when the user has a vector: the history, and the items the user was trained on when the
    /// model knows none of the history. Without folding the history in.
    package func interactedIDs(userID: String?, history: [String]) -> Set<String> {
        var interacted = Set(history)
        guard !history.contains(where: { itemIndex[$0] != nil }), let user = trainedUser(userID) else {
            return interacted
        }
        let itemIDs = artifact.header.itemIDs
        interacted.formUnion(artifact.userItems.row(user).indices.map { itemIDs[Int($0)] })
        return interacted
    }

    /// The user's row in the factor model, when it was trained on them.
    private func trainedUser(_ userID: String?) -> Int? {
        guard let model = artifact.personalization, let userID, let user = userIndex[userID],
            Int(user) < model.userCount
        else { return nil }
        return Int(user)
    }

    /// The vector ``scoring(userID:history:contextAffinity:standIn:)`` scores a user with: folded in from
    /// `history` (newest first) when it holds items the model knows, else the user's trained vector; and the
    /// model indices never recommended to them (the history's, or the trained interactions'), with the IDs of
    /// the latter (they count as interacted with). Nil when the model knows nothing of the user.
    package func userState(
        userID: String?, history: [String]
    ) -> (vector: [Float], excluded: Set<Int32>, excludedIDs: [String])? {
        guard usesHistory, let model = artifact.personalization else { return nil }
        let known = history.reversed().compactMap { itemIndex[$0] }
        if !known.isEmpty {
            return (model.userVector(forHistory: known.map { (item: $0, value: Float(1)) }), Set(known), [])
        }
        guard let user = trainedUser(userID) else { return nil }
        let excluded = Set(artifact.userItems.row(user).indices)
        let itemIDs = artifact.header.itemIDs
        return (model.factorModel.userVector(user), excluded, excluded.map { itemIDs[Int($0)] })
    }

    /// How much the context's log-ratios weigh, in standard deviations of the user's scores.
    package static let contextEmphasis: Float = 1

    /// `scores` plus ``contextEmphasis`` × their standard deviation × each item's context log-ratio, then the
    /// optimization objective's boost.
    func withContext(_ scores: [Float], _ affinity: [String: Float]) -> [Float] {
        let scores = objective?.apply(to: scores) ?? scores
        guard !affinity.isEmpty, scores.count > 1 else { return scores }
        let spread = ObjectiveBoost.meanAndDeviation(scores).deviation
        var adjusted = scores
        for (item, ratio) in affinity {
            guard let index = itemIndex[item], Int(index) < adjusted.count else { continue }
            adjusted[Int(index)] += Self.contextEmphasis * spread * ratio
        }
        return adjusted
    }

    /// The index of `itemID` in the model, if it was trained on it.
    package func modelIndex(of itemID: String) -> Int32? { itemIndex[itemID] }

    /// The items related to `itemID`, best first (`aws-sims`, `aws-similar-items`): its neighbours by
    /// co-occurrence, then (with `metadata`, for similar-items) the items most like it by metadata — so an item
    /// without interactions still gets neighbours — padded with popular items; an item known to neither gets
    /// popular items, as the guide says. `excluding` (e.g. what the user already has) is never returned.
    package func related(
        to itemID: String, count: Int, excluding: Set<String> = [], metadata: MetadataSimilarity? = nil
    ) -> [PredictedItem] {
        guard let similarity = artifact.similarity else { return popular(count: count) }
        let itemIDs = artifact.header.itemIDs
        let excluded = Set(excluding.compactMap { itemIndex[$0] })
        let item = itemIndex[itemID] ?? -1
        var result = similarity.neighbours(of: item, count: count, excluding: excluded).map { itemIDs[Int($0.index)] }
        if result.count < count, let metadata {
            let taken = excluding.union(result).union([itemID])
            result += metadata.similar(to: itemID, count: count - result.count, excluding: taken).map(\.id)
        }
        if result.count < count {
            let taken = excluded.union(result.compactMap { itemIndex[$0] }).union([item])
            result += TopK.select(artifact.popularity.scores(), k: count - result.count, excluding: taken)
                .map { itemIDs[Int($0.index)] }
        }
        return result.map { PredictedItem(itemId: $0) }
    }

    /// `GetPersonalizedRanking`: `items` ordered for the user, best first, each known item scored by a
    /// softmax over the input items only (so the scores sum to 1 over them, as the guide says). Items the
    /// model has no data for come last, in input order, without a score; repeated items count once.
    package func rank(
        userID: String?, history: [String], contextAffinity: [String: Float] = [:], items: [String]
    ) -> [PredictedItem] {
        var seen = Set<String>()
        let unique = items.filter { seen.insert($0).inserted }
        let known = unique.filter { itemIndex[$0] != nil }
        let unknown = unique.filter { itemIndex[$0] == nil }.map { PredictedItem(itemId: $0) }
        guard !known.isEmpty else { return unknown }
        let raw: [Float]
        let recent = history.reversed().compactMap { itemIndex[$0] }
        if let model = artifact.personalization, !recent.isEmpty {
            raw = withContext(model.scores(forHistory: recent.map { (item: $0, value: Float(1)) }), contextAffinity)
        } else if let model = artifact.personalization, let user = trainedUser(userID) {
            raw = withContext(model.scores(forUser: user), contextAffinity)
        } else {
            // Nothing known of the user: the most popular first, in proportion to their popularity.
            let counts = artifact.popularity.counts
            raw = counts.map { log(max($0, 0) + 1) }
        }
        let values = known.map { raw[Int(itemIndex[$0] ?? 0)] }
        let probabilities = Softmax.normalize(values)
        let ranked = zip(known, probabilities).sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        return ranked.map { PredictedItem(itemId: $0.0, score: Double($0.1)) } + unknown
    }

    /// `aws-trending-now`: the items whose interactions grew most between the last two complete periods
    /// (`current` and `previous`: interaction counts per item id in each), then popular items; only popular
    /// items when both periods are empty, as the guide says.
    package func trending(
        current: [String: Int], previous: [String: Int], evaluatedAt: Int64, count: Int
    ) -> [PredictedItem] {
        let itemCount = artifact.header.itemIDs.count
        var now = [Float](repeating: 0, count: itemCount)
        var before = [Float](repeating: 0, count: itemCount)
        for (id, value) in current { if let index = itemIndex[id] { now[Int(index)] = Float(value) } }
        for (id, value) in previous { if let index = itemIndex[id] { before[Int(index)] = Float(value) } }
        let model = TrendingModel(
            frequency: artifact.header.trendFrequency ?? TrendingModel.defaultFrequency, evaluatedAt: evaluatedAt,
            current: now, previous: before, popularity: artifact.popularity.counts)
        return model.recommend(count: count).map { PredictedItem(itemId: artifact.header.itemIDs[Int($0.index)]) }
    }

    /// Item-Affinity and Item-Attribute-Affinity: the trained users most drawn to `items` (by the mean of their
    /// vectors), best first. Nil when none of the items was in training.
    package func segment(items: [String], count: Int) -> [String]? {
        guard let model = artifact.personalization?.factorModel else { return nil }
        let known = items.compactMap { itemIndex[$0] }.filter { Int($0) < model.itemCount }
        guard !known.isEmpty else { return nil }
        var mean = [Float](repeating: 0, count: model.factors)
        for item in known {
            for (index, value) in model.itemVector(Int(item)).enumerated() { mean[index] += value / Float(known.count) }
        }
        let scores = model.userScores(for: mean)
        return TopK.select(scores, k: count).map { artifact.header.userIDs[Int($0.index)] }
    }

    fileprivate func popular(count: Int) -> [PredictedItem] {
        popularityRanking.prefix(count).map { PredictedItem(itemId: artifact.header.itemIDs[Int($0.index)]) }
    }
}

/// One user's scores over a model's catalogue: the best items, and the items exploration adds.
package struct UserScoring: Sendable {
    let model: DeployedModel
    /// The factor model's scores, or nil when the user is unknown (popular items are served).
    var scores: [Float]?
    /// Model indices never recommended (the user's interactions).
    var excluded: Set<Int32>
    /// Item IDs the user interacted with.
    var interacted: Set<String>
    /// The user's precomputed answers (``CandidateLists``), which stand in for `scores` when they suffice.
    var precomputed: PrecomputedAnswer?

    /// The best `count` items, best first, scored by a softmax over the catalogue; popular items when the
    /// model knows nothing of the user.
    package func top(_ count: Int) -> [PredictedItem] {
        if let precomputed { return precomputed.top(count) }
        guard let scores else { return model.popular(count: count) }
        let itemIDs = model.artifact.header.itemIDs
        return UserPersonalizationModel.topProbabilities(scores, count: count, excluding: excluded).map {
            PredictedItem(itemId: itemIDs[Int($0.index)], score: Double($0.score))
        }
    }

    /// The best `count` exploration candidates of `pool` (``ExplorationPool/choose(count:weight:scores:excluding:)``),
    /// leaving out `excluding` and what the user interacted with, each with the reason `Exploration` and the
    /// softmax score of the items the model knows.
    package func explore(
        _ count: Int, pool: ExplorationPool, weight: Double, excluding: ExcludedItems
    ) -> [PredictedItem] {
        if let precomputed { return precomputed.explore(count, pool: pool, weight: weight, excluding: excluding) }
        let chosen = pool.choose(count: count, weight: weight, scores: scores, excluding: excluding.union(interacted))
        var probabilities: [Int32: Float] = [:]
        if let scores {
            let indices = chosen.compactMap(\.modelIndex)
            for (index, probability) in zip(indices, UserPersonalizationModel.probabilities(of: indices, in: scores)) {
                probabilities[index] = probability
            }
        }
        return chosen.map { candidate in
            PredictedItem(
                itemId: candidate.itemID, score: candidate.modelIndex.flatMap { probabilities[$0] }.map(Double.init),
                reason: ExplorationPool.reason)
        }
    }
}
