import EngineAPI
package import Foundation
import PersonalizeRules
import Recipes

/// What `tailor evaluate` shows about one trained solution version.
package struct EvaluationReport: Sendable {
    package var solutionName: String
    package var solutionVersionArn: String
    package var recipe: String
    package var createdAt: Date?
    /// GetSolutionMetrics' figures.
    package var metrics: [String: Double]
    /// The training loss after each sweep (factor recipes), first to last.
    package var trainingLoss: [Double]
    package var users: Int
    package var items: Int
    package var interactions: Int
    /// Items split into ten equal groups by popularity (most popular first): the share of all training
    /// interactions each group holds, and the share of the recommendations (`recommendationsPerUser` for
    /// each of up to `sampledUsers` users) that falls in it.
    package var interactionShareByDecile: [Double]
    package var recommendationShareByDecile: [Double]
    package var sampledUsers: Int
    package var recommendationsPerUser: Int
}

extension TrainingJobs {
    /// The report of `solutionVersionArn`: its metrics and loss, and how popular the items it recommends are
    /// compared with the items people interact with (a sample of up to 500 users, 25 recommendations each).
    package func evaluationReport(solutionVersionArn: String) async throws -> EvaluationReport {
        let (version, solution) = try await read { db in
            let version = try ResourceStore.load(
                db, SolutionVersion.self, arn: solutionVersionArn, kind: .solutionVersion)
            let solution = try ResourceStore.load(db, Solution.self, arn: version.solutionArn ?? "", kind: .solution)
            return (version, solution)
        }
        guard version.status == Status.active else {
            throw PersonalizeError.inUse(
                "Solution version \(solutionVersionArn) is \(version.status ?? "not active"); a report needs an "
                    + "ACTIVE one.")
        }
        let metrics =
            try await modelControl.getSolutionMetrics(GetSolutionMetricsRequest(solutionVersionArn: solutionVersionArn))
            .metrics
            ?? [:]
        let model = try await serving.loadModel(solutionVersionArn)
        let perUser = 25
        return try await compute {
            let artifact = model.artifact
            let itemCount = artifact.header.itemIDs.count
            let counts = artifact.popularity.counts
            // Deciles of the catalogue by popularity, most popular first.
            let order = (0..<itemCount).sorted { (counts[$1], $0) < (counts[$0], $1) }
            var decile = [Int](repeating: 0, count: itemCount)
            for (rank, item) in order.enumerated() { decile[item] = min(9, rank * 10 / max(itemCount, 1)) }
            var interactionShare = [Double](repeating: 0, count: 10)
            let rows = artifact.userItems
            var interactions = 0
            for user in 0..<rows.rows {
                for item in rows.row(user).indices {
                    interactionShare[decile[Int(item)]] += 1
                    interactions += 1
                }
            }
            // An evenly spread sample of the users seen in training.
            let userIDs = artifact.header.userIDs
            let step = max(1, userIDs.count / 500)
            let sample = Array(stride(from: 0, to: userIDs.count, by: step).prefix(500))
            var recommendationShare = [Double](repeating: 0, count: 10)
            let index = Dictionary(artifact.header.itemIDs.enumerated().map { ($1, $0) }) { first, _ in first }
            var recommended = 0
            for user in sample {
                let items: [PredictedItem]
                switch model.recipeType {
                case .relatedItems:
                    // Related items of the user's first item.
                    let seed = rows.row(user).indices.first.map { artifact.header.itemIDs[Int($0)] } ?? ""
                    items = model.related(to: seed, count: perUser)
                default:
                    items = model.recommend(userID: userIDs[user], history: [], count: perUser)
                }
                for item in items {
                    guard let position = index[item.itemId ?? ""] else { continue }
                    recommendationShare[decile[position]] += 1
                    recommended += 1
                }
            }
            return EvaluationReport(
                solutionName: solution.name ?? "", solutionVersionArn: solutionVersionArn, recipe: model.recipe.name,
                createdAt: version.creationDateTime, metrics: metrics, trainingLoss: artifact.header.trainingLoss,
                users: userIDs.count, items: itemCount, interactions: interactions,
                interactionShareByDecile: interactionShare.map { $0 / Double(max(interactions, 1)) },
                recommendationShareByDecile: recommendationShare.map { $0 / Double(max(recommended, 1)) },
                sampledUsers: sample.count, recommendationsPerUser: perUser)
        }
    }
}
