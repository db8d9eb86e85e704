import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct UserPersonalizationModelTests {
    private let data = PlantedClusters()

    private let parameters = UserPersonalizationParameters().small

    private func ndcg(_ lists: [[Int32]], _ split: HoldOutSplit) -> Double {
        OfflineMetrics.evaluate(recommendations: lists, testUsers: split.testUsers, catalogueSize: data.items)[
            "normalized_discounted_cumulative_gain_at_10", default: 0]
    }

    @Test(.tags(.medium)) func beatsPopularityAndPlainALSOnPlantedClusters() {
        let lists = data.holdOutLists {
            UserPersonalizationModel.train($0, parameters: parameters)
        } recommend: {
            model, input, seen in
            let history = input.map { (item: $0.item, value: $0.value) }
            return model.recommend(history: history, count: 25, excluding: seen).map(\.index)
        }
        let ours = ndcg(lists.personal, lists.split)
        let baseline = ndcg(lists.popular, lists.split)
        #expect(ours > 1.5 * baseline, "NDCG@10 \(ours) vs popularity \(baseline)")
    }

    @Test(.tags(.medium)) func isDeterministicForASeedAndAnyThreadCount() {
        let matrix = data.matrix(data.events)
        let single = parameters.on(threads: 1)
        let reference = UserPersonalizationModel.train(matrix, parameters: single)
        let parallel = UserPersonalizationModel.train(matrix, parameters: parameters.on(threads: 3))
        #expect(parallel.factorModel.itemFactors == reference.factorModel.itemFactors)
        #expect(parallel.factorModel.userFactors == reference.factorModel.userFactors)
        let history: [(item: Int32, value: Float)] = [(3, 1), (9, 1), (4, 2)]
        #expect(parallel.scores(forHistory: history) == reference.scores(forHistory: history))
        var reseeded = single
        reseeded.seed = 7
        #expect(
            UserPersonalizationModel.train(matrix, parameters: reseeded).factorModel.itemFactors
                != reference.factorModel.itemFactors)
    }

    @Test(.tags(.medium)) func honoursItsHyperparameters() {
        var sweeps = 0
        var custom = parameters
        custom.factors = 5
        custom.iterations = 3
        let model = UserPersonalizationModel.train(data.matrix(data.events), parameters: custom) { _, loss in
            sweeps += 1
            #expect(loss.isFinite)
        }
        #expect(sweeps == 3)
        #expect(model.factorModel.factors == 5)
        #expect(model.parameters == custom.clamped)
        #expect(model.userCount == data.users && model.itemCount == data.items)
        var broken = custom
        broken.alpha = .nan
        broken.recencyWeight = -4
        broken.regularizationExponent = 3
        let clamped = broken.clamped
        #expect(clamped.alpha == 0 && clamped.recencyWeight == 0 && clamped.regularizationExponent == 1)
    }

    @Test(.tags(.medium)) func weighsRecentEventsUp() {
        let model = UserPersonalizationModel.train(data.matrix(data.events), parameters: parameters)
        let block = Int32(data.items / data.clusters)
        // Eight old events in cluster 0, then four recent ones in cluster 3.
        let old: [(item: Int32, value: Float)] = (0..<8).map { (item: Int32($0 * 2), value: 1) }
        let recent: [(item: Int32, value: Float)] = (0..<4).map { (item: 3 * block + Int32($0 * 2), value: 1) }
        let history = old + recent
        func shareOfClusterThree(recency: Float) -> Int {
            var weighted = model.parameters
            weighted.recencyWeight = recency
            let variant = UserPersonalizationModel(parameters: weighted, factorModel: model.factorModel)
            let top = variant.recommend(history: history, count: 10, excluding: Set(history.map(\.item)))
            return top.filter { data.cluster(ofItem: $0.index) == 3 }.count
        }
        #expect(shareOfClusterThree(recency: 0) < shareOfClusterThree(recency: 20))
    }

    @Test(.tags(.medium)) func recommendsSoftmaxScoresWithoutExcludedItems() throws {
        let model = UserPersonalizationModel.train(data.matrix(data.events), parameters: parameters)
        let history: [(item: Int32, value: Float)] = [(1, 1), (5, 1), (2, 1)]
        let excluded: Set<Int32> = [1, 5, 2, 0]
        let top = model.recommend(history: history, count: 7, excluding: excluded)
        let probabilities = Softmax.normalize(model.scores(forHistory: history))
        #expect(top.count == 7)
        #expect(top.allSatisfy { !excluded.contains($0.index) })
        for entry in top { #expect(abs(entry.score - probabilities[Int(entry.index)]) < 1e-6) }
        #expect(zip(top, top.dropFirst()).allSatisfy { $0.score >= $1.score })
        let byUser = model.recommend(user: 4, count: 3)
        let userProbabilities = Softmax.normalize(model.scores(forUser: 4))
        let best = try #require(byUser.first)
        #expect(abs(best.score - (userProbabilities.max() ?? 0)) < 1e-6)
    }

    @Test(.tags(.small)) func ignoresUnknownItemsAndScoresAnEmptyHistoryAsZero() {
        let factorModel = FactorModel(factors: 2, userFactors: [1, 0], itemFactors: [1, 0, 0, 1, 1, 1])
        let model = UserPersonalizationModel(parameters: UserPersonalizationParameters(), factorModel: factorModel)
        #expect(model.scores(forHistory: []) == [0, 0, 0])
        #expect(model.scores(forHistory: [(item: 9, value: 1), (item: -2, value: 1)]) == [0, 0, 0])
        #expect(model.parameters.factors == 2)
        #expect(model.scores(forUser: 0) == [1, 0, 1])
        let known = model.scores(forHistory: [(item: 0, value: 1), (item: 77, value: 1)])
        #expect(known[0] > known[1])
    }
}
