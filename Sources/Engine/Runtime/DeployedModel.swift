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
    package var usesHistory: Bool { recipe == "aws-user-personalization" && artifact.personalization != nil }

    /// The top `count` items for `userID`, best first.
    ///
    /// User-personalization folds the user's interactions in (`history`, newest first: what the
    /// engine has now, including events recorded a moment ago) so new interests count at once, the
    /// latest weighted up; its scores are a softmax over the whole catalogue and the items the user
    /// already interacted with are left out. A user with no history gets the most popular items.
    /// Popularity-count returns the same popular items for everyone, without scores (as the guide says).
    package func recommend(userID: String?, history: [String], count: Int) -> [PredictedItem] {
        let itemIDs = artifact.header.itemIDs
        guard usesHistory, let model = artifact.personalization else { return popular(count: count) }
        let known = history.reversed().compactMap { itemIndex[$0] }
        let ranked: [(index: Int32, score: Float)]
        if !known.isEmpty {
            ranked = model.recommend(
                history: known.map { (item: $0, value: Float(1)) }, count: count, excluding: Set(known))
        } else if let userID, let user = userIndex[userID], Int(user) < model.userCount {
            ranked = model.recommend(
                user: Int(user), count: count, excluding: Set(artifact.userItems.row(Int(user)).indices))
        } else {
            return popular(count: count)
        }
        return ranked.map { PredictedItem(itemId: itemIDs[Int($0.index)], score: Double($0.score)) }
    }

    private func popular(count: Int) -> [PredictedItem] {
        popularityRanking.prefix(count).map { PredictedItem(itemId: artifact.header.itemIDs[Int($0.index)]) }
    }
}
