import EngineAPI
import Foundation
import Recipes
import Synchronization

/// One user's lists, before they are laid out side by side.
private struct CandidateRow: Sendable {
    var top: [(index: Int32, score: Float)]
    var explore: [(position: Int32, score: Float)]
    /// The softmax normaliser of the user's scores, when exploration needs it.
    var normaliser: SoftmaxNormaliser?
}

/// A user to precompute: their row of user vectors and what serving leaves out for them.
private struct CandidateUser: Sendable {
    var id: String
    var history: [String]
    var vector: [Float]
    var excluded: Set<Int32>
    var interacted: Set<String>
}

extension ServingRuntime {
    /// Computes the lists of `input`'s users: each user's vector as serving would fold it in, every user's scores
    /// over the catalogue in blocks (``FactorModel/forEachScoreRow(of:rows:threads:_:)``, bit-identical to
    /// scoring one user), then the same top-k, softmax and exploration choice as a request, only deeper.
    static func candidateLists(
        _ input: CandidateListsInput, model: DeployedModel, settings: CandidateListSettings, computed: Date
    ) -> CandidateLists {
        let start = ContinuousClock.now
        let users = candidateUsers(input.users, model: model)
        let depth = settings.depth
        let explorationDepth = input.exploration == nil ? 0 : settings.explorationDepth
        let factors = model.artifact.personalization?.factorModel.factors ?? 0
        var vectors: [Float] = []
        vectors.reserveCapacity(users.count * factors)
        for user in users { vectors += user.vector }
        let rows = Mutex([CandidateRow?](repeating: nil, count: users.count))
        let exploration = input.exploration
        model.artifact.personalization?.factorModel.forEachScoreRow(of: vectors, rows: users.count, threads: 0) {
            row, buffer in
            let user = users[row]
            let scores = model.withContext(Array(buffer), [:])
            let (top, normaliser) = UserPersonalizationModel.topProbabilitiesAndNormaliser(
                scores, count: depth, excluding: user.excluded)
            var result = CandidateRow(top: top, explore: [])
            if let exploration, explorationDepth > 0 {
                let pool = exploration.pool
                let chosen = TopK.select(
                    pool.keys(weight: exploration.weight, scores: scores), k: explorationDepth,
                    excluding: pool.positions(of: user.interacted))
                let indices = chosen.compactMap { pool.candidates[Int($0.index)].modelIndex }
                // Kept for requests that explore another pool later, from the pool's scores alone.
                result.normaliser = normaliser ?? SoftmaxNormaliser(scores)
                var probabilities =
                    if let normaliser = result.normaliser {
                        indices.map { normaliser.probability(of: scores[Int($0)]) }.makeIterator()
                    } else {
                        UserPersonalizationModel.probabilities(of: indices, in: scores).makeIterator()
                    }
                result.explore = chosen.map { entry in
                    let known = pool.candidates[Int(entry.index)].modelIndex != nil
                    return (entry.index, known ? probabilities.next() ?? .nan : .nan)
                }
            }
            rows.withLock { $0[row] = result }
        }
        let computedRows = rows.withLock { $0 }
        var topIndices = [Int32](repeating: 0, count: users.count * depth)
        var topScores = [Float](repeating: 0, count: users.count * depth)
        var topCounts = [Int32](repeating: 0, count: users.count)
        var explorePositions = [Int32](repeating: 0, count: users.count * explorationDepth)
        var exploreScores = [Float](repeating: 0, count: users.count * explorationDepth)
        var exploreCounts = [Int32](repeating: 0, count: users.count)
        var normalisers = [SoftmaxNormaliser?](repeating: nil, count: users.count)
        for (row, result) in computedRows.enumerated() {
            guard let result else { continue }
            normalisers[row] = result.normaliser
            topCounts[row] = Int32(result.top.count)
            for (slot, entry) in result.top.enumerated() {
                topIndices[row * depth + slot] = entry.index
                topScores[row * depth + slot] = entry.score
            }
            exploreCounts[row] = Int32(result.explore.count)
            for (slot, entry) in result.explore.enumerated() {
                explorePositions[row * explorationDepth + slot] = entry.position
                exploreScores[row * explorationDepth + slot] = entry.score
            }
        }
        var rowOf: [String: Int] = [:]
        rowOf.reserveCapacity(users.count)
        for (row, user) in users.enumerated() { rowOf[user.id] = row }
        return CandidateLists(
            model: model, table: input.table, snapshot: input.snapshot, resourceGeneration: input.resourceGeneration,
            depth: depth, explorationDepth: explorationDepth, exploration: input.exploration, rows: rowOf,
            histories: users.map(\.history), topIndices: topIndices, topScores: topScores, topCounts: topCounts,
            explorePositions: explorePositions, exploreScores: exploreScores, exploreCounts: exploreCounts,
            // The vectors serve exploration only (with the normalisers).
            vectors: exploration == nil ? [] : vectors, factors: factors, normalisers: normalisers, computed: computed,
            duration: ContinuousClock.now - start)
    }

    /// The users the model can score, with the vector and exclusions ``DeployedModel/scoring(userID:history:contextAffinity:standIn:)``
    /// would use (fold-ins on every core).
    private static func candidateUsers(
        _ input: [(user: String, history: [String])], model: DeployedModel
    ) -> [CandidateUser] {
        let chunk = 256
        let chunks = (input.count + chunk - 1) / chunk
        let results = Mutex([[CandidateUser]](repeating: [], count: chunks))
        Parallel.forEachChunk(chunks, threads: Parallel.threadCount(0)) { index in
            var users: [CandidateUser] = []
            for (user, history) in input[(index * chunk)..<min(input.count, (index + 1) * chunk)] {
                guard let state = model.userState(userID: user, history: history) else { continue }
                users.append(
                    CandidateUser(
                        id: user, history: history, vector: state.vector, excluded: state.excluded,
                        interacted: Set(history).union(state.excludedIDs)))
            }
            results.withLock { $0[index] = users }
        }
        return results.withLock { $0 }.flatMap { $0 }
    }
}
