import EngineAPI
import Foundation
import Recipes
import Synchronization

/// A campaign's exact answers, precomputed for its most active users: each user's best ``depth`` items with
/// their softmax scores and, for exploration, the pool's best ``explorationDepth`` candidates, from the user
/// vector serving computes when the user has no events newer than the lists.
///
/// The best items of the whole catalogue that pass a filter are the best of the precomputed items that pass,
/// as long as enough of them pass: an exact top-K answers any request that needs no more than K of them.
/// Beyond that (or once the user's interactions changed, see ``DataChangeObserver``) the catalogue is scored
/// as before.
///
/// A class, though immutable: every request for a listed user holds it, and a copy of a struct of its many
/// arrays retained each.
package final class CandidateLists: Sendable {
    /// The model load the lists were computed from (``DeployedModel/loadID``).
    let model: DeployedModel
    /// The interactions table the users' histories were read from, and where its changes stood before.
    let table: String
    let snapshot: DataChangeObserver.Snapshot
    /// The resource generation at which `table` was known to be the campaign's interactions table.
    let resourceGeneration: UInt64
    package let depth: Int
    let explorationDepth: Int
    /// The pool and weight the exploration lists were chosen with; nil when the campaign does not explore.
    let exploration: (pool: ExplorationPool, weight: Double)?
    /// User ID → row.
    let rows: [String: Int]
    /// Per row, the history the user vector was folded in from (newest first), for the full scoring fallback.
    let histories: [[String]]
    /// Per row, `depth` slots: model index and softmax score, best first; `topCounts` of them are used.
    let topIndices: [Int32]
    let topScores: [Float]
    let topCounts: [Int32]
    /// Per row, `explorationDepth` slots: position in the pool and softmax score, best first.
    let explorePositions: [Int32]
    let exploreScores: [Float]
    let exploreCounts: [Int32]
    /// Per row, the user's vector (`factors` values) and the softmax normaliser of their scores (when the
    /// campaign explores): with them a request explores any pool by scoring only the pool's items.
    let vectors: [Float]
    let factors: Int
    let normalisers: [SoftmaxNormaliser?]
    /// When the lists were computed, and how long it took.
    let computed: Date
    package let duration: Duration

    init(
        model: DeployedModel, table: String, snapshot: DataChangeObserver.Snapshot, resourceGeneration: UInt64,
        depth: Int, explorationDepth: Int, exploration: (pool: ExplorationPool, weight: Double)?, rows: [String: Int],
        histories: [[String]], topIndices: [Int32], topScores: [Float], topCounts: [Int32], explorePositions: [Int32],
        exploreScores: [Float], exploreCounts: [Int32], vectors: [Float], factors: Int,
        normalisers: [SoftmaxNormaliser?], computed: Date, duration: Duration
    ) {
        self.model = model
        self.table = table
        self.snapshot = snapshot
        self.resourceGeneration = resourceGeneration
        self.depth = depth
        self.explorationDepth = explorationDepth
        self.exploration = exploration
        self.rows = rows
        self.histories = histories
        self.topIndices = topIndices
        self.topScores = topScores
        self.topCounts = topCounts
        self.explorePositions = explorePositions
        self.exploreScores = exploreScores
        self.exploreCounts = exploreCounts
        self.vectors = vectors
        self.factors = factors
        self.normalisers = normalisers
        self.computed = computed
        self.duration = duration
    }

    /// The users precomputed.
    package var userCount: Int { rows.count }

    /// The bytes the lists hold (the index and score slots, the vectors and normalisers, and the histories' IDs).
    package var bytes: Int {
        let slots =
            (topIndices.count + explorePositions.count) * 8 + (topCounts.count + exploreCounts.count) * 4
            + vectors.count * 4 + normalisers.count * 17
        let history = histories.reduce(0) { $0 + $1.reduce(0) { $0 + max(16, $1.utf8.count) } + 32 }
        return slots + history + rows.count * 48
    }

    /// The best `count` items of `row`, or nil when the list is too short to tell.
    func top(row: Int, count: Int) -> [PredictedItem]? {
        let available = Int(topCounts[row])
        // A list shorter than `depth` holds every item the user may get.
        guard count <= available || available < depth else { return nil }
        let itemIDs = model.artifact.header.itemIDs
        let start = row * depth
        return (start..<(start + min(count, available))).map {
            PredictedItem(itemId: itemIDs[Int(topIndices[$0])], score: Double(topScores[$0]))
        }
    }

    /// The best `count` exploration candidates of `row` not in `excluding`, as
    /// ``UserScoring/explore(_:pool:weight:excluding:)`` chooses them, or nil when the lists cannot tell (another
    /// pool or weight, or too many of the precomputed candidates excluded).
    func explore(row: Int, count: Int, pool: ExplorationPool, weight: Double, excluding: ExcludedItems)
        -> [PredictedItem]?
    {
        guard let exploration, exploration.pool.id == pool.id, exploration.weight == weight else { return nil }
        guard count > 0, !pool.candidates.isEmpty else { return [] }
        let available = Int(exploreCounts[row])
        let start = row * explorationDepth
        var chosen: [PredictedItem] = []
        for slot in start..<(start + available) {
            let candidate = pool.candidates[Int(explorePositions[slot])]
            guard !excluding.contains(candidate.itemID) else { continue }
            chosen.append(
                PredictedItem(
                    itemId: candidate.itemID, score: candidate.modelIndex.map { _ in Double(exploreScores[slot]) },
                    reason: ExplorationPool.reason))
            if chosen.count == count { return chosen }
        }
        return available < explorationDepth ? chosen : nil
    }

    /// The best `count` candidates of any `pool` for `row`, exactly as
    /// ``UserScoring/explore(_:pool:weight:excluding:)`` chooses them, from the scores of the pool's items alone:
    /// each computed from the user's vector by the serving kernel, and turned into its softmax probability by the
    /// user's normaliser. Nil when the row has no normaliser or the model boosts scores by an objective (the
    /// boost depends on every item's score).
    ///
    /// Events change the exploration pool (an item's interaction count, the age cut-off), so the pool the
    /// precomputed candidates were chosen from soon differs from the current one; this keeps such requests from
    /// scoring the catalogue.
    ///
    /// - Parameters:
    ///   - interacted: The item IDs the user interacted with (``DeployedModel/interactedIDs(userID:history:)``).
    ///   - scoredPools: Where the request keeps the pool's scores: it asks several times (a filter asks for more
    ///     until enough pass), and the pool is scored once.
    func explore(
        row: Int, count: Int, pool: ExplorationPool, weight: Double, excluding: ExcludedItems,
        interacted: Set<String>, scoredPools: ScoredPools
    ) -> [PredictedItem]? {
        guard model.objective == nil, let normaliser = normalisers[row],
            let factorModel = model.artifact.personalization?.factorModel, factorModel.factors == factors
        else { return nil }
        guard count > 0, !pool.candidates.isEmpty else { return [] }
        let (scores, keys) = scoredPools.value(for: pool, weight: weight) {
            let vector = Array(vectors[(row * factors)..<((row + 1) * factors)])
            let scores = factorModel.scores(ofItems: pool.modelIndices, for: vector)
            return (scores, pool.keys(weight: weight, poolScores: scores))
        }
        let chosen = pool.chosenPositions(
            count: count, keys: keys, excluding: excluding.union(interacted))
        return chosen.map { position in
            PredictedItem(
                itemId: pool.candidates[position].itemID,
                score: scores[position].map { Double(normaliser.probability(of: $0)) },
                reason: ExplorationPool.reason)
        }
    }
}

/// An exploration pool's scores for one user, and its keys at one weight.
typealias ScoredPool = (scores: [Float?], keys: [Float])

/// One user's answers from a campaign's ``CandidateLists``, scoring the whole catalogue (from the history the
/// lists were computed with, so the same user vector) only when the lists cannot answer.
package struct PrecomputedAnswer: Sendable {
    let lists: CandidateLists
    let row: Int
    let userID: String
    let runtime: ServingRuntime
    let full: LazyScoring
    let scoredPools = ScoredPools()

    init(lists: CandidateLists, row: Int, userID: String, runtime: ServingRuntime) {
        self.lists = lists
        self.row = row
        self.userID = userID
        self.runtime = runtime
        let model = lists.model
        let history = lists.histories[row]
        full = LazyScoring {
            runtime.countCandidateListUse { $0.scored += 1 }
            return model.scoring(userID: userID, history: history)
        }
    }

    func top(_ count: Int) -> [PredictedItem] {
        lists.top(row: row, count: count) ?? full.value.top(count)
    }

    func explore(_ count: Int, pool: ExplorationPool, weight: Double, excluding: ExcludedItems) -> [PredictedItem] {
        if let chosen = lists.explore(row: row, count: count, pool: pool, weight: weight, excluding: excluding) {
            return chosen
        }
        let interacted = lists.model.interactedIDs(userID: userID, history: lists.histories[row])
        if let chosen = lists.explore(
            row: row, count: count, pool: pool, weight: weight, excluding: excluding, interacted: interacted,
            scoredPools: scoredPools)
        {
            runtime.countCandidateListUse { $0.poolScored += 1 }
            return chosen
        }
        return full.value.explore(count, pool: pool, weight: weight, excluding: excluding)
    }
}

/// The pools one request scored, by pool and weight: a filtered request asks for explored items several times.
final class ScoredPools: Sendable {
    private let scored = Mutex<[ScoredPoolKey: ScoredPool]>([:])

    private struct ScoredPoolKey: Hashable {
        var pool: UUID
        var weight: Double
    }

    /// The scored pool for `pool` at `weight`, from `score` the first time.
    func value(for pool: ExplorationPool, weight: Double, _ score: () -> ScoredPool) -> ScoredPool {
        let key = ScoredPoolKey(pool: pool.id, weight: weight)
        if let known = scored.withLock({ $0[key] }) { return known }
        let value = score()
        scored.withLock { $0[key] = value }
        return value
    }
}

/// How requests used the candidate lists: for tests and benchmarks to tell which path answered.
package struct CandidateListUsage: Sendable, Equatable {
    /// Requests for a user whose lists were fresh.
    package var fresh = 0
    /// Of those, requests that needed more than the lists hold and scored the catalogue.
    package var scored = 0
    /// Requests for a precomputed user whose interactions changed since (they scored the catalogue).
    package var stale = 0
    /// Requests whose exploration the precomputed candidates could not answer (another pool, or too many of
    /// them excluded), answered by scoring the pool's items only.
    package var poolScored = 0
}

/// A ``UserScoring`` computed on first use, at most once.
final class LazyScoring: Sendable {
    private let make: @Sendable () -> UserScoring
    private let computed = Mutex<UserScoring?>(nil)

    init(_ make: @escaping @Sendable () -> UserScoring) {
        self.make = make
    }

    var value: UserScoring {
        computed.withLock { value in
            if let value { return value }
            let scoring = make()
            value = scoring
            return scoring
        }
    }
}
