import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct ItemSimilarityModelTests {
    private let data = PlantedClusters()

    @Test(.tags(.medium)) func beatsPopularityOnPlantedClusters() {
        let lists = data.holdOutLists {
            ItemSimilarityModel.train($0)
        } recommend: { model, input, seen in
            let scores = model.scores(forHistory: input.map { ($0.item, $0.value) })
            return TopK.select(scores, k: 25, excluding: seen).map(\.index)
        }
        let testUsers = lists.split.testUsers
        let key = "normalized_discounted_cumulative_gain_at_10"
        let ours = OfflineMetrics.evaluate(recommendations: lists.personal, testUsers: testUsers, catalogueSize: 200)
        let baseline = OfflineMetrics.evaluate(recommendations: lists.popular, testUsers: testUsers, catalogueSize: 200)
        #expect(
            ours[key, default: 0] > 1.3 * baseline[key, default: 1],
            "\(ours[key, default: 0]) vs \(baseline[key, default: 0])")
    }

    @Test(.tags(.medium), arguments: [0, 1, 4])
    func findsNeighboursInTheItemsCluster(cluster: Int) {
        let model = ItemSimilarityModel.train(data.matrix(data.events))
        let item = Int32(cluster * (data.items / data.clusters) + 2)
        let similar = model.similarItems(to: item, count: 10)
        #expect(similar.count == 10)
        #expect(!similar.contains { $0.index == item })
        #expect(similar.allSatisfy { data.cluster(ofItem: $0.index) == cluster }, "\(similar.map(\.index))")
        #expect(zip(similar, similar.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    /// Items 0 and 1 share 4 users, 0 and 2 share 2, 0 and 3 share 5 but 3 is in every history.
    private let small = SparseMatrix(
        rows: 8, cols: 5,
        entries: [
            (0, 0, 1), (0, 1, 1), (0, 3, 1), (1, 0, 1), (1, 1, 1), (1, 3, 1), (2, 0, 1), (2, 1, 1), (2, 3, 1),
            (3, 0, 1), (3, 1, 1), (3, 2, 1), (3, 3, 1), (4, 0, 1), (4, 2, 1), (4, 3, 1), (5, 3, 1), (6, 3, 1),
            (7, 3, 1),
        ])

    @Test(.tags(.small)) func honoursTheDiscountAndTheMinimumCointeractionCount() {
        var parameters = ItemSimilarityParameters()
        parameters.popularityDiscountFactor = 0
        let raw = ItemSimilarityModel.train(small, parameters: parameters)
        // Without a discount the ever-present item 3 (5 common users) ranks first; item 2 has only 2.
        #expect(raw.similarItems(to: 0, count: 2).map(\.index) == [3, 1])
        #expect(!raw.neighbours.row(0).indices.contains(2))
        parameters.popularityDiscountFactor = 1
        let discounted = ItemSimilarityModel.train(small, parameters: parameters)
        #expect(discounted.similarItems(to: 0, count: 1).map(\.index) == [1])
        parameters.minCointeractionCount = 0
        let all = ItemSimilarityModel.train(small, parameters: parameters)
        #expect(all.neighbours.row(0).indices.contains(2))
        #expect(!all.neighbours.row(0).indices.contains(4))
        parameters.neighbours = 1
        #expect(ItemSimilarityModel.train(small, parameters: parameters).neighbours.row(0).indices.count == 1)
    }

    @Test(.tags(.small)) func fallsBackToPopularItems() {
        let model = ItemSimilarityModel.train(small)
        #expect(model.popularity == [5, 4, 2, 8, 0])
        // Item 4 has no interactions and 99 is unknown: popular items, most popular first.
        #expect(model.similarItems(to: 4, count: 3).map(\.index) == [3, 0, 1])
        #expect(model.similarItems(to: 99, count: 2, excluding: [3]).map(\.index) == [0, 1])
        let padded = model.similarItems(to: 2, count: 4)
        #expect(padded.count == 4 && !padded.contains { $0.index == 2 })
        #expect(Set(padded.map(\.index)).count == 4)
    }

    @Test(.tags(.medium)) func isDeterministicForAnyThreadCount() {
        var single = ItemSimilarityParameters()
        single.threads = 1
        var many = single
        many.threads = 3
        let matrix = data.matrix(data.events)
        let one = ItemSimilarityModel.train(matrix, parameters: single)
        let other = ItemSimilarityModel.train(matrix, parameters: many)
        #expect(one.neighbours.columnIndices == other.neighbours.columnIndices)
        #expect(one.neighbours.values == other.neighbours.values)
        #expect(one.neighbours.rowPointers == other.neighbours.rowPointers)
    }

    @Test(.tags(.small)) func roundTripsAndRejectsDamagedBytes() throws {
        let model = ItemSimilarityModel.train(small)
        let bytes = model.serialized()
        let decoded = try ItemSimilarityModel(serialized: bytes)
        #expect(decoded.parameters == model.parameters)
        #expect(decoded.popularity == model.popularity)
        #expect(decoded.neighbours.columnIndices == model.neighbours.columnIndices)
        #expect(decoded.neighbours.values == model.neighbours.values)
        #expect(decoded.serialized() == bytes)
        SerializationExpectations.rejectsTruncations(of: bytes, andExtra: 1, ItemSimilarityModel.init(serialized:))
        #expect(throws: RecipesError.self) { try ItemSimilarityModel(serialized: PopularityModel(small).serialized()) }
        let header = 4 + 4 + 4 + 12 + 16 + 4 * model.itemCount
        var outOfRange = bytes
        // The first stored neighbour index becomes 9, outside the 5 items.
        outOfRange.replaceSubrange(
            (header + 4 * model.itemCount)..<(header + 4 * model.itemCount + 4), with: [9, 0, 0, 0])
        #expect(throws: RecipesError.self) { try ItemSimilarityModel(serialized: outOfRange) }
        var badCounts = bytes
        badCounts[header] = 200
        #expect(throws: RecipesError.self) { try ItemSimilarityModel(serialized: badCounts) }
    }
}
