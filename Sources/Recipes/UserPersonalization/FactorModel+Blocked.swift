/// Scoring many users at once: the users × items product, blocked so that the item matrix is read once per
/// block of users rather than once per user.
extension FactorModel {
    /// How many users one pass over the item matrix scores.
    package static let scoringBlock = 16

    /// Calls `body(row, scores)` with the score of every item for each of `rows` user vectors, in blocks of
    /// ``scoringBlock`` users on up to `threads` threads.
    ///
    /// Each score is the same ``VectorKernels/dot(_:_:_:)`` as ``scores(for:)`` computes, in the same order, so
    /// the values are bit-identical to scoring each user alone; only the memory traffic changes (a 100,000 ×
    /// 64 item matrix is 25.6 MB: read once per block instead of once per user, the product turns from memory
    /// bound to compute bound).
    ///
    /// - Parameters:
    ///   - vectors: `rows × factors` user vectors, row-major.
    ///   - rows: The number of user vectors.
    ///   - threads: Worker threads (0 = all cores).
    ///   - body: Called once per row, from a worker thread, with `itemCount` scores valid only during the call.
    package func forEachScoreRow(
        of vectors: [Float], rows: Int, threads: Int,
        _ body: @Sendable (_ row: Int, _ scores: UnsafeBufferPointer<Float>) -> Void
    ) {
        precondition(vectors.count == rows * factors, "FactorModel: \(vectors.count) values are not \(rows) vectors")
        let block = Self.scoringBlock
        let blocks = (rows + block - 1) / block
        let count = itemCount
        let f = factors
        // Items in tiles that stay in the L2 cache while every user of the block passes over them.
        let tile = max(1, (256 * 1024) / (f * 4))
        vectors.withUnsafeBufferPointer { vectorBuffer in
            itemFactors.withUnsafeBufferPointer { itemBuffer in
                guard let userBase = vectorBuffer.baseAddress, let itemBase = itemBuffer.baseAddress else { return }
                let users = SharedPointer(base: UnsafeMutablePointer(mutating: userBase))
                let items = SharedPointer(base: UnsafeMutablePointer(mutating: itemBase))
                Parallel.forEachChunk(blocks, threads: Parallel.threadCount(threads)) { chunk in
                    let first = chunk * block
                    let members = min(block, rows - first)
                    var output = [Float](repeating: 0, count: members * count)
                    output.withUnsafeMutableBufferPointer { outputBuffer in
                        guard let out = outputBuffer.baseAddress else { return }
                        var start = 0
                        while start < count {
                            let end = min(count, start + tile)
                            for member in 0..<members {
                                let user = UnsafePointer(users.base + (first + member) &* f)
                                let row = out + member &* count
                                for item in start..<end {
                                    row[item] = VectorKernels.dot(UnsafePointer(items.base + item &* f), user, f)
                                }
                            }
                            start = end
                        }
                        for member in 0..<members {
                            body(first + member, UnsafeBufferPointer(start: out + member &* count, count: count))
                        }
                    }
                }
            }
        }
    }
}
