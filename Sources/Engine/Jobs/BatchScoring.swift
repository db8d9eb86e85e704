import Foundation
import GRDB
import PersonalizeRules
import Recipes
import Synchronization

extension BatchJobs {
    /// Input lines of a batch inference job scored together.
    static let batchScoringLines = 64

    /// The scoring of every user-personalization user of `lines` (JSON objects with a `userId`) the model
    /// knows, by user ID: their histories read in one transaction, their vectors folded in on every core, and
    /// their scores computed in blocks (``Recipes/FactorModel/forEachScoreRow(of:rows:threads:_:)``), the same
    /// values ``DeployedModel/scoring(userID:history:contextAffinity:standIn:)`` computes for one user.
    func batchScorings(_ lines: [String], model: DeployedModel) async throws -> [String: UserScoring] {
        guard model.recipeType != .relatedItems, model.recipeType != .personalizedRanking, model.usesHistory,
            let group = model.datasetGroupArn
        else { return [:] }
        var users: [String] = []
        var seen = Set<String>()
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let user = object?["userId"] as? String, seen.insert(user).inserted { users.append(user) }
        }
        guard !users.isEmpty else { return [:] }
        let ids = users
        let histories = try await read { db in
            let table = try DatasetTable.find(db, group: group, type: .interactions)
            return try ids.map { try table.recentItems(db, userID: $0) }
        }
        return try await compute { Self.scorings(users: ids, histories: histories, model: model) }
    }

    private static func scorings(
        users: [String], histories: [[String]], model: DeployedModel
    ) -> [String: UserScoring] {
        guard let factorModel = model.artifact.personalization?.factorModel else { return [:] }
        let states = Mutex(
            [(vector: [Float], excluded: Set<Int32>, excludedIDs: [String])?](
                repeating: nil, count: users.count))
        Parallel.forEachChunk(users.count, threads: Parallel.threadCount(0)) { index in
            let state = model.userState(userID: users[index], history: histories[index])
            states.withLock { $0[index] = state }
        }
        let known = states.withLock { $0 }.enumerated().compactMap { index, state in
            state.map { (index: index, state: $0) }
        }
        let result = Mutex<[String: UserScoring]>([:])
        factorModel.forEachScoreRow(of: known.flatMap(\.state.vector), rows: known.count, threads: 0) { row, scores in
            let (index, state) = known[row]
            let scoring = UserScoring(
                model: model, scores: model.withContext(Array(scores), [:]), excluded: state.excluded,
                interacted: Set(histories[index]).union(state.excludedIDs))
            result.withLock { $0[users[index]] = scoring }
        }
        return result.withLock { $0 }
    }
}
