import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct TopKTests {
    private func bruteForce(_ scores: [Float], k: Int, excluding excluded: Set<Int32>) -> [Int32] {
        let ranked = scores.indices
            .filter { !excluded.contains(Int32($0)) && !scores[$0].isNaN }
            .sorted { (-scores[$0], $0) < (-scores[$1], $1) }
        return ranked.prefix(max(k, 0)).map { Int32($0) }
    }

    @Test(.tags(.small), arguments: [0, 1, 7, 50, 300, 400])
    func matchesABruteForceSort(k: Int) {
        var generator = SeededGenerator(seed: UInt64(k) + 11)
        for _ in 0..<20 {
            // Few distinct values, so ties are everywhere.
            let scores = (0..<300).map { _ in Float(generator.next() % 12) - 3 }
            let excluded = Set((0..<40).map { _ in Int32(generator.next() % 300) })
            let selected = TopK.select(scores, k: k, excluding: excluded)
            #expect(selected.map(\.index) == bruteForce(scores, k: k, excluding: excluded))
            #expect(selected.allSatisfy { scores[Int($0.index)] == $0.score })
        }
    }

    @Test(.tags(.small)) func skipsNaNAndHandlesEmptyInput() {
        let selected = TopK.select([1, .nan, 3, .nan], k: 3)
        #expect(selected.map(\.index) == [2, 0])
        #expect(TopK.select([], k: 3).isEmpty)
        #expect(TopK.select([1, 2], k: 2, excluding: [0, 1]).isEmpty)
    }
}

@Suite struct SoftmaxTests {
    @Test(.tags(.small)) func sumsToOneAndKeepsTheOrder() {
        var generator = SeededGenerator(seed: 5)
        let scores = (0..<1000).map { _ in generator.nextUnitFloat() * 20 - 10 }
        let normalized = Softmax.normalize(scores)
        let total = normalized.reduce(0.0) { $0 + Double($1) }
        #expect(abs(total - 1) < 1e-5)
        let ascending = scores.indices.sorted { scores[$0] < scores[$1] }
        let probabilities = ascending.map { normalized[$0] }
        #expect(zip(probabilities, probabilities.dropFirst()).allSatisfy { $0 <= $1 })
        #expect((probabilities.first ?? 1) < (probabilities.last ?? 0))
    }

    @Test(.tags(.small)) func staysFiniteForLargeScores() {
        let normalized = Softmax.normalize([1000, 1001, 999])
        #expect(normalized.allSatisfy { $0.isFinite })
        #expect(abs(normalized[1] - 0.66524) < 1e-4)
        #expect(Softmax.normalize([]).isEmpty)
        #expect(Softmax.normalize([-.infinity, -.infinity]) == [0.5, 0.5])
    }
}
