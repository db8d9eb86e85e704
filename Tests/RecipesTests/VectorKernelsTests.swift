import Foundation
import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct VectorKernelsTests {
    @Test(.tags(.small), arguments: [0, 1, 7, 8, 1023, 1024, 1025, 5000])
    func sumsExponentialsLikeTheScalarLoop(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) + 3)
        let values = (0..<count).map { _ in generator.nextUnitFloat() * 120 - 100 }
        let shift = values.max() ?? 0
        let expected = values.reduce(0.0) { $0 + exp(Double($1 - shift)) }
        let actual = values.withUnsafeBufferPointer { VectorKernels.sumOfExponentials($0, minus: shift) }
        #expect(abs(actual - expected) <= 1e-6 * max(expected, 1e-30), "\(actual) vs \(expected)")
        let maximum = values.withUnsafeBufferPointer { VectorKernels.maximum($0) }
        #expect(maximum == (values.max() ?? -.infinity))
    }

    @Test(.tags(.small)) func topProbabilitiesMatchTheFullSoftmaxWhenTheBestIsExcluded() {
        let scores: [Float] = [0.5, 3, -1, 2.5, .nan, 0] + (0..<40).map { Float($0) / 40 }
        let top = UserPersonalizationModel.topProbabilities(scores, count: 3, excluding: [1])
        let full = Softmax.normalize(scores)
        #expect(top.map(\.index) == [3, 45, 44])
        for entry in top { #expect(abs(entry.score - full[Int(entry.index)]) < 1e-6) }
        #expect(
            UserPersonalizationModel.topProbabilities(scores, count: 3, excluding: Set((0..<46).map(Int32.init)))
                .isEmpty)
        let infinite = UserPersonalizationModel.topProbabilities([1, .infinity, 2], count: 2, excluding: [])
        #expect(infinite.map(\.index) == [1, 2])
        #expect(infinite.map(\.score) == [1, 2].map { Softmax.normalize([1, .infinity, 2])[$0] })
    }
}
