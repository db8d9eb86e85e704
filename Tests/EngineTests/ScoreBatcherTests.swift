import EngineAPI
import Foundation
import Recipes
import TailorTestSupport
import Testing

@testable import Engine

/// Real-time requests that score the catalogue share passes over the item matrix (`ScoreBatcher`): every row is
/// bit-identical to scoring the user alone, so every answer is exactly what it was, however many arrive at once.
@Suite(.tags(.medium))
struct ScoreBatcherTests {
    @Test func concurrentRowsAreBitIdenticalToScoringAlone() async throws {
        let shop = try await CandidateListTests.Shop.open()
        let model = try await shop.engine.core.serving.deployedModel(campaignArn: shop.campaign)
        let factors = try #require(model.artifact.personalization?.factorModel)
        let batcher = ScoreBatcher(model: factors, lanes: 2)
        var random = SplitMix(seed: 11)
        let vectors = (0..<96).map { _ in
            (0..<factors.factors).map { _ in Float(Int(random.next() % 2001) - 1000) / 500 }
        }
        let batched = await withTaskGroup(of: (Int, [Float]).self) { group in
            for (index, vector) in vectors.enumerated() {
                group.addTask { (index, await batcher.scores(for: vector)) }
            }
            return await group.reduce(into: [Int: [Float]]()) { $0[$1.0] = $1.1 }
        }
        for (index, vector) in vectors.enumerated() {
            #expect(batched[index] == factors.scores(for: vector), "row \(index)")
        }
        let counts = batcher.counts
        #expect(counts.scored == vectors.count)
        #expect(counts.passes <= counts.scored)
    }

    @Test func concurrentRequestsAnswerExactlyAsOneAtATime() async throws {
        let shop = try await CandidateListTests.Shop.open(exploration: ["explorationWeight": "0.3"])
        // No precomputed answers: every request scores the catalogue.
        shop.engine.core.serving.forgetCandidateLists(campaignArn: shop.campaign)
        let users = CandidateListTests.users
        let counts = [5, 25]
        let sequential = try await shop.answers(users: users, counts: counts)
        let concurrent = try await withThrowingTaskGroup(of: (String, [PredictedItem]).self) { group in
            for user in users {
                for count in counts {
                    for filter in shop.filters {
                        group.addTask {
                            (
                                "\(user)|\(count)|\(filter ?? "-")",
                                try await shop.recommend(user, count: count, filter: filter)
                            )
                        }
                    }
                }
            }
            return try await group.reduce(into: [String: [PredictedItem]]()) { $0[$1.0] = $1.1 }
        }
        #expect(concurrent == sequential)
        #expect(concurrent.values.contains { $0.contains { $0.reason == ["Exploration"] } })
    }
}

/// The exploration keys every exploring request computes over the pool: the fast loop over the catalogue's scores
/// gives the very values of the general form (from the pool's own scores).
@Suite struct ExplorationKeyTests {
    @Test func theFastLoopComputesTheGeneralFormsValues() {
        var random = SplitMix(seed: 5)
        let items = 5000
        let scores = (0..<items).map { _ in Float(Int(random.next() % 20001) - 10000) / 777 }
        let candidates = (0..<3000).map { position in
            let known = random.next() % 5 != 0
            return ExplorationPool.Candidate(
                itemID: "i\(position)", modelIndex: known ? Int32(random.next() % UInt64(items)) : nil,
                interactions: Int(random.next() % 40))
        }
        let pool = ExplorationPool(candidates)
        let poolScores = candidates.map { candidate in candidate.modelIndex.map { scores[Int($0)] } }
        for weight in [0, 0.3, 0.77, 1] {
            #expect(pool.keys(weight: weight, scores: scores) == pool.keys(weight: weight, poolScores: poolScores))
        }
        let cold = ExplorationPool(
            candidates.map {
                var cold = $0; cold.modelIndex = nil; return cold
            })
        #expect(
            cold.keys(weight: 0.3, scores: scores)
                == cold.keys(weight: 0.3, poolScores: candidates.map { _ in nil }))
    }
}
