package import EngineAPI
import Recipes

/// A trained model loaded for serving: id lookups and the recipe's scoring.
package struct DeployedModel: Sendable {
    package let solutionVersionArn: String
    package let artifact: ModelArtifact
    private let userIndex: [String: Int32]
    private let popularityRanking: [(index: Int32, score: Float)]

    package init(solutionVersionArn: String, artifact: ModelArtifact) {
        self.solutionVersionArn = solutionVersionArn
        self.artifact = artifact
        var users: [String: Int32] = [:]
        users.reserveCapacity(artifact.header.userIDs.count)
        for (index, id) in artifact.header.userIDs.enumerated() { users[id] = Int32(index) }
        userIndex = users
        let scores = artifact.popularity.scores()
        popularityRanking = TopK.select(scores, k: scores.count)
    }

    package var recipe: String { artifact.header.recipe }

    /// The top `count` items for `userID`, best first.
    ///
    /// User-personalization scores are a softmax over the whole catalogue and leave out the items the
    /// user already interacted with; an unknown user gets the most popular items. Popularity-count
    /// returns the same popular items for everyone, without scores (as the guide says).
    package func recommend(userID: String?, count: Int) -> [PredictedItem] {
        let itemIDs = artifact.header.itemIDs
        guard recipe == "aws-user-personalization", let factors = artifact.factorModel,
            let userID, let user = userIndex[userID], Int(user) < factors.userCount
        else {
            let ranking = popularityRanking.prefix(count)
            return ranking.map { PredictedItem(itemId: itemIDs[Int($0.index)], reason: nil) }
        }
        let seen = Set(artifact.userItems.row(Int(user)).indices)
        let probabilities = Softmax.normalize(factors.scores(for: factors.userVector(Int(user))))
        return TopK.select(probabilities, k: count, excluding: seen).map { entry in
            PredictedItem(itemId: itemIDs[Int(entry.index)], score: Double(entry.score))
        }
    }
}
