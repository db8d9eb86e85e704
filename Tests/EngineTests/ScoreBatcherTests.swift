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
