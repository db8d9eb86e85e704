import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct ALSTests {
    private let data = PlantedClusters()

    private let parameters = ALSParameters().small

    @Test(.tags(.medium)) func isDeterministicForASeedAndAnyThreadCount() {
        let matrix = data.matrix(data.events)
        let single = parameters.on(threads: 1)
        let reference = ALS.train(matrix, parameters: single)
        let parallel = ALS.train(matrix, parameters: parameters.on(threads: 5))
        let again = ALS.train(matrix, parameters: single)
        #expect(parallel.userFactors == reference.userFactors)
        #expect(parallel.itemFactors == reference.itemFactors)
        #expect(again.userFactors == reference.userFactors)
        var reseeded = single
        reseeded.seed = 43
        #expect(ALS.train(matrix, parameters: reseeded).userFactors != reference.userFactors)
    }

    @Test(.tags(.medium)) func reportsADecreasingLossEverySweep() {
        var sweeps: [Int] = []
        var losses: [Double] = []
        let model = ALS.train(data.matrix(data.events), parameters: parameters) { iteration, loss in
            sweeps.append(iteration)
            losses.append(loss)
        }
        #expect(sweeps == Array(1...8))
        #expect(losses.allSatisfy { $0.isFinite })
        #expect((losses.last ?? .infinity) < (losses.first ?? 0))
        #expect(model.userCount == 300)
        #expect(model.itemCount == 200)
        #expect(model.factors == 8)
    }

    @Test(.tags(.medium)) func beatsPopularityOnPlantedClusters() throws {
        let lists = data.holdOutLists {
            ALS.train($0, parameters: parameters)
        } recommend: { model, input, seen in
            let vector = model.foldIn(input.map { ($0.item, $0.value) }, parameters: parameters)
            return TopK.select(model.scores(for: vector), k: 25, excluding: seen).map(\.index)
        }
        let alsMetrics = OfflineMetrics.evaluate(
            recommendations: lists.personal, testUsers: lists.split.testUsers, catalogueSize: data.items)
        let popularityMetrics = OfflineMetrics.evaluate(
            recommendations: lists.popular, testUsers: lists.split.testUsers, catalogueSize: data.items)
        let key = "normalized_discounted_cumulative_gain_at_10"
        let als = try #require(alsMetrics[key])
        let baseline = try #require(popularityMetrics[key])
        #expect(als > 1.5 * baseline, "ALS NDCG@10 \(als) vs popularity \(baseline)")
        #expect((alsMetrics["coverage"] ?? 0) > (popularityMetrics["coverage"] ?? 1))
    }

    @Test(.tags(.medium), arguments: [0, 2, 4])
    func foldInRanksTheUsersClusterFirst(cluster: Int) {
        let model = ALS.train(data.matrix(data.events), parameters: parameters)
        let block = data.items / data.clusters
        let input = (0..<6).map { (item: Int32(cluster * block + $0 * 3), value: Float(1)) }
        let vector = model.foldIn(input, parameters: parameters)
        let top = TopK.select(model.scores(for: vector), k: 10, excluding: Set(input.map(\.item)))
        #expect(top.count == 10)
        #expect(top.allSatisfy { data.cluster(ofItem: $0.index) == cluster }, "\(top.map(\.index))")
    }

    @Test(.tags(.medium)) func foldInOfATrainingUserAgreesWithTraining() {
        let matrix = data.matrix(data.events)
        var converged = parameters
        converged.conjugateGradientSteps = 20
        let model = ALS.train(matrix, parameters: converged)
        let row = matrix.row(7)
        let folded = model.foldIn(zip(row.indices, row.values).map { ($0, $1) }, parameters: converged)
        let trained = model.userVector(7)
        // After the last item sweep the user vector is one half-step stale, so allow a loose tolerance.
        let difference = zip(folded, trained).map { abs($0 - $1) }.max() ?? .infinity
        let size = trained.map(abs).max() ?? 0
        #expect(difference < 0.2 * size)
    }

    @Test(.tags(.small)) func foldInWithoutKnownItemsIsZero() {
        let model = FactorModel(factors: 3, userFactors: [], itemFactors: [1, 0, 0, 0, 1, 0])
        #expect(model.foldIn([], parameters: ALSParameters()) == [0, 0, 0])
        #expect(model.foldIn([(item: 7, value: 1), (item: -1, value: 1)], parameters: ALSParameters()) == [0, 0, 0])
        #expect(model.scores(for: [2, 3, 4]) == [2, 3])
    }

    @Test(.tags(.small)) func givesRowsWithoutInteractionsZeroVectors() {
        let matrix = SparseMatrix(rows: 3, cols: 4, entries: [(0, 1, 1), (2, 3, 1)])
        let model = ALS.train(matrix, parameters: parameters)
        #expect(model.userVector(1).allSatisfy { $0 == 0 })
        #expect(model.itemFactors[0..<8].allSatisfy { $0 == 0 })
        #expect(model.userVector(0).contains { $0 != 0 })
    }
}

@Suite struct ALSRegularizationTests {
    @Test(.tags(.small)) func scalesTheRidgeByInteractionsAndCatalogue() {
        var parameters = ALSParameters()
        parameters.regularization = 0.5
        #expect(parameters.rowRegularization(count: 10, columns: 1000) == 5)
        parameters.unobservedShare = 0.1
        #expect(parameters.rowRegularization(count: 10, columns: 1000) == 55)
        parameters.regularizationExponent = 0.5
        #expect(abs(parameters.rowRegularization(count: 10, columns: 90) - 0.5 * Float(19).squareRoot()) < 1e-5)
        parameters.regularizationExponent = 0
        #expect(parameters.rowRegularization(count: 10, columns: 90) == 0.5)
    }

    @Test(.tags(.medium)) func trainingWithoutProgressGivesTheSameModel() {
        let data = PlantedClusters(users: 60, items: 40, perUser: 8)
        var parameters = ALSParameters()
        parameters.factors = 4
        parameters.iterations = 3
        parameters.unobservedShare = 0.2
        let matrix = data.matrix(data.events)
        let quiet = ALS.train(matrix, parameters: parameters)
        let reporting = ALS.train(matrix, parameters: parameters) { _, _ in }
        #expect(quiet.userFactors == reporting.userFactors)
        #expect(quiet.itemFactors == reporting.itemFactors)
    }
}
