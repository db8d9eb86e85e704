package import EngineAPI
import Recipes

/// A trained model loaded for serving: id lookups and the recipe's scoring.
package struct DeployedModel: Sendable {
    package let solutionVersionArn: String
    package let artifact: ModelArtifact
    /// The dataset group whose interactions feed real-time fold-in.
    package let datasetGroupArn: String?
    private let userIndex: [String: Int32]
    private let itemIndex: [String: Int32]
    private let popularityRanking: [(index: Int32, score: Float)]

    package init(solutionVersionArn: String, artifact: ModelArtifact, datasetGroupArn: String?) {
        self.solutionVersionArn = solutionVersionArn
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
        let scores = artifact.popularity.scores()
        popularityRanking = TopK.select(scores, k: scores.count)
    }

    package var recipe: String { artifact.header.recipe }

    /// Whether recommendations for a user depend on their latest interactions (real-time fold-in).
    package var usesHistory: Bool { recipe == "aws-user-personalization" && artifact.factorModel != nil }

    /// The top `count` items for `userID`, best first.
    ///
    /// User-personalization folds the user's interactions in (`history`, newest first: what the
    /// engine has now, including events recorded a moment ago) so new interests count at once; its
    /// scores are a softmax over the whole catalogue and the items the user already interacted with
    /// are left out. A user with no history gets the most popular items. Popularity-count returns the
    /// same popular items for everyone, without scores (as the guide says).
    package func recommend(userID: String?, history: [String], count: Int) -> [PredictedItem] {
        let itemIDs = artifact.header.itemIDs
        guard usesHistory, let factors = artifact.factorModel else { return popular(count: count) }
        var seen = Set(history.compactMap { itemIndex[$0] })
        let vector: [Float]
        if !seen.isEmpty, let parameters = foldInParameters {
            vector = factors.foldIn(seen.map { (item: $0, value: Float(1)) }, parameters: parameters)
        } else if let userID, let user = userIndex[userID], Int(user) < factors.userCount {
            vector = factors.userVector(Int(user))
            seen.formUnion(artifact.userItems.row(Int(user)).indices)
        } else {
            return popular(count: count)
        }
        let probabilities = Softmax.normalize(factors.scores(for: vector))
        return TopK.select(probabilities, k: count, excluding: seen).map { entry in
            PredictedItem(itemId: itemIDs[Int(entry.index)], score: Double(entry.score))
        }
    }

    private var foldInParameters: ALSParameters? {
        guard let factors = artifact.header.factors else { return nil }
        var parameters = ALSParameters()
        parameters.factors = factors
        if let regularization = artifact.header.regularization { parameters.regularization = regularization }
        if let alpha = artifact.header.alpha { parameters.alpha = alpha }
        return parameters
    }

    private func popular(count: Int) -> [PredictedItem] {
        popularityRanking.prefix(count).map { PredictedItem(itemId: artifact.header.itemIDs[Int($0.index)]) }
    }
}
