import Foundation

/// The `aws-sims` model: item-to-item collaborative filtering from co-occurrence in user histories, discounted by
/// popularity, keeping the top neighbours of each item. It falls back to popular items, as SIMS does.
///
/// It also scores a whole history (item-kNN): the sum of the history items' neighbour similarities.
package struct ItemSimilarityModel: Sendable {
    /// The parameters it was trained with (clamped).
    package let parameters: ItemSimilarityParameters
    /// Per item, the number of distinct users who interacted with it: the popularity fallback.
    package let popularity: [Float]
    /// Items × items, each row holding that item's neighbours (ascending index) and their similarities.
    package let neighbours: SparseMatrix

    /// Wraps trained parts; `neighbours` must be `popularity.count` × `popularity.count`.
    init(parameters: ItemSimilarityParameters, popularity: [Float], neighbours: SparseMatrix) {
        precondition(neighbours.rows == popularity.count && neighbours.cols == popularity.count)
        self.parameters = parameters
        self.popularity = popularity
        self.neighbours = neighbours
    }

    /// Counts co-occurrences and keeps each item's best neighbours.
    ///
    /// Any stored cell counts as one interaction of that user with that item, whatever its value.
    ///
    /// - Parameters:
    ///   - interactions: Users × items.
    ///   - parameters: The hyperparameters; out-of-range values are clamped.
    /// - Returns: The trained model; the same for the same data, whatever the thread count.
    package static func train(
        _ interactions: SparseMatrix, parameters: ItemSimilarityParameters = .init()
    ) -> ItemSimilarityModel {
        let parameters = parameters.clamped
        let byItem = interactions.transposed()
        let popularity = (0..<byItem.rows).map { Float(byItem.rowPointers[$0 + 1] - byItem.rowPointers[$0]) }
        let counter = CoOccurrenceCounter(
            interactions: interactions, byItem: byItem, popularity: popularity, parameters: parameters)
        return ItemSimilarityModel(parameters: parameters, popularity: popularity, neighbours: counter.neighbours())
    }

    /// The number of items in the catalogue.
    package var itemCount: Int { popularity.count }

    /// The items most similar to `item`, best first, padded with the most popular items when it has fewer than
    /// `count` neighbours (or is unknown, e.g. added after training).
    ///
    /// - Parameters:
    ///   - item: The item to find neighbours of; never part of the answer.
    ///   - count: How many items to return.
    ///   - excluded: Items never to return.
    /// - Returns: Up to `count` `(index, score)` pairs; neighbours carry their similarity, popular padding 0.
    package func similarItems(
        to item: Int32, count: Int, excluding excluded: Set<Int32> = []
    ) -> [(index: Int32, score: Float)] {
        guard count > 0 else { return [] }
        let result = neighbours(of: item, count: count, excluding: excluded)
        guard result.count < count else { return result }
        let taken = excluded.union(result.map(\.index)).union([item])
        let popular = TopK.select(popularity, k: count - result.count, excluding: taken)
        return result + popular.map { (index: $0.index, score: 0) }
    }

    /// The best `count` co-occurrence neighbours of `item` (none for an item outside the model), without padding.
    package func neighbours(
        of item: Int32, count: Int, excluding excluded: Set<Int32> = []
    ) -> [(index: Int32, score: Float)] {
        guard count > 0, item >= 0, Int(item) < itemCount else { return [] }
        let row = neighbours.row(Int(item))
        let ranked = zip(row.indices, row.values).filter { !excluded.contains($0.0) }
            .sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        return ranked.prefix(count).map { (index: $0.0, score: $0.1) }
    }

    /// The item-kNN score of every item for a history: the sum of `value × similarity(h, item)` over the history.
    ///
    /// - Parameter history: The user's interactions (any order); unknown items are ignored.
    /// - Returns: `itemCount` scores; all zeros when no history item has neighbours.
    package func scores(forHistory history: [(item: Int32, value: Float)]) -> [Float] {
        var scores = [Float](repeating: 0, count: itemCount)
        for entry in FactorModel.merged(history, itemCount: itemCount) {
            let row = neighbours.row(Int(entry.item))
            for (neighbour, similarity) in zip(row.indices, row.values) {
                scores[Int(neighbour)] += entry.value * similarity
            }
        }
        return scores
    }
}

/// Counts, per item, its co-occurrences with every other item, one fixed chunk of items per unit of work.
private struct CoOccurrenceCounter {
    let interactions: SparseMatrix
    let byItem: SparseMatrix
    let popularity: [Float]
    let parameters: ItemSimilarityParameters

    static let chunkItems = 64

    func neighbours() -> SparseMatrix {
        let items = byItem.rows
        let chunks = (items + Self.chunkItems - 1) / Self.chunkItems
        let rows = UnsafeMutablePointer<[(Int32, Float)]>.allocate(capacity: max(items, 1))
        rows.initialize(repeating: [], count: max(items, 1))
        defer {
            rows.deinitialize(count: max(items, 1))
            rows.deallocate()
        }
        let output = SharedPointer(base: rows)
        Parallel.forEachChunk(chunks, threads: Parallel.threadCount(parameters.threads)) { chunk in
            fill(chunk, output: output)
        }
        var pointers = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        for item in 0..<items {
            for (column, value) in rows[item].sorted(by: { $0.0 < $1.0 }) {
                columns.append(column)
                values.append(value)
            }
            pointers.append(columns.count)
        }
        return SparseMatrix(rows: items, cols: items, rowPointers: pointers, columnIndices: columns, values: values)
    }

    private func fill(_ chunk: Int, output: SharedPointer<[(Int32, Float)]>) {
        let items = byItem.rows
        var counts = [Int32](repeating: 0, count: items)
        var touched: [Int32] = []
        let discount = parameters.popularityDiscountFactor
        let minimum = Int32(max(parameters.minCointeractionCount, 1))
        for item in (chunk * Self.chunkItems)..<min(items, (chunk + 1) * Self.chunkItems) {
            for user in byItem.row(item).indices {
                let start = interactions.rowPointers[Int(user)]
                let end = interactions.rowPointers[Int(user) + 1]
                guard end - start <= parameters.maximumUserHistory else { continue }
                for k in start..<end {
                    let other = interactions.columnIndices[k]
                    guard Int(other) != item else { continue }
                    if counts[Int(other)] == 0 { touched.append(other) }
                    counts[Int(other)] += 1
                }
            }
            var candidates: [Float] = []
            var candidateItems: [Int32] = []
            let own = powf(max(popularity[item], 1), 1 - discount)
            for other in touched where counts[Int(other)] >= minimum {
                candidateItems.append(other)
                candidates.append(Float(counts[Int(other)]) / (own * powf(max(popularity[Int(other)], 1), discount)))
            }
            for other in touched { counts[Int(other)] = 0 }
            touched.removeAll(keepingCapacity: true)
            let best = TopK.select(candidates, k: parameters.neighbours)
            output.base[item] = best.map { (candidateItems[Int($0.index)], $0.score) }
        }
    }
}
