/// A trained matrix-factorisation model: one vector per user and per item, scored by dot product.
package struct FactorModel: Sendable {
    /// The length of every vector.
    package let factors: Int
    /// The user vectors, `userCount × factors`, row-major.
    package let userFactors: [Float]
    /// The item vectors, `itemCount × factors`, row-major.
    package let itemFactors: [Float]
    /// `YᵀY` of ``itemFactors`` (`factors × factors`), kept for ``foldIn(_:parameters:)``.
    let itemGram: [Float]

    /// Wraps trained factors.
    ///
    /// - Parameters:
    ///   - factors: The vector length (≥ 1).
    ///   - userFactors: `userCount × factors` values; the count must be a multiple of `factors`.
    ///   - itemFactors: `itemCount × factors` values; the count must be a multiple of `factors`.
    package init(factors: Int, userFactors: [Float], itemFactors: [Float]) {
        precondition(factors >= 1, "FactorModel: factors must be at least 1, not \(factors)")
        let gram = VectorKernels.gram(
            itemFactors, rows: itemFactors.count / factors, factors: factors, threads: Parallel.threadCount(0)
        )
        self.init(factors: factors, userFactors: userFactors, itemFactors: itemFactors, itemGram: gram)
    }

    init(factors: Int, userFactors: [Float], itemFactors: [Float], itemGram: [Float]) {
        precondition(
            factors >= 1 && userFactors.count % factors == 0 && itemFactors.count % factors == 0,
            "FactorModel: factor arrays (\(userFactors.count), \(itemFactors.count)) are not multiples of \(factors)"
        )
        self.factors = factors
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.itemGram = itemGram
    }

    /// The number of users with a trained vector.
    package var userCount: Int { userFactors.count / factors }

    /// The number of items with a trained vector.
    package var itemCount: Int { itemFactors.count / factors }

    /// The trained vector of a user.
    ///
    /// - Parameter user: An index in `0..<userCount`.
    package func userVector(_ user: Int) -> [Float] {
        Array(userFactors[(user * factors)..<((user + 1) * factors)])
    }

    /// Solves a user vector exactly from that user's interactions, with the item vectors fixed.
    ///
    /// This is the user half-step of training, solved in closed form (Cholesky, in `Double`):
    /// `(YᵀY + Σ (c_i − 1) y_i y_iᵀ + λ_n·Id) x = Σ c_i y_i` with `c_i = 1 + alpha · max(v_i, 0)` and `λ_n` the
    /// ridge of ``ALSParameters/rowRegularization(count:columns:)`` for `n` distinct known items. Use it for users
    /// unseen at training time, or to apply new events at once.
    ///
    /// - Parameters:
    ///   - items: The user's interactions; duplicates are summed, items outside `0..<itemCount` are ignored.
    ///   - parameters: Uses ``ALSParameters/alpha`` and the regularisation fields (use the training values).
    /// - Returns: A vector of length ``factors``; all zeros when no known item is given.
    package func foldIn(_ items: [(item: Int32, value: Float)], parameters: ALSParameters) -> [Float] {
        let parameters = parameters.clamped
        let merged = Self.merged(items, itemCount: itemCount)
        let f = factors
        guard !merged.isEmpty else { return [Float](repeating: 0, count: f) }
        // Accumulate YᵀY + Σ (c_i − 1) y_i y_iᵀ and Σ c_i y_i with SIMD in Float, then solve in Double.
        var matrix = itemGram
        var rhs = [Float](repeating: 0, count: f)
        itemFactors.withUnsafeBufferPointer { itemBuffer in
            matrix.withUnsafeMutableBufferPointer { matrixBuffer in
                rhs.withUnsafeMutableBufferPointer { rhsBuffer in
                    guard let y = itemBuffer.baseAddress, let a = matrixBuffer.baseAddress,
                        let b = rhsBuffer.baseAddress
                    else { return }
                    for entry in merged {
                        let vector = y + Int(entry.item) * f
                        let confidence = parameters.confidence(entry.value)
                        VectorKernels.axpy(confidence, vector, b, f)
                        for row in 0..<f where vector[row] != 0 {
                            VectorKernels.axpy((confidence - 1) * vector[row], vector, a + row * f, f)
                        }
                    }
                }
            }
        }
        let lambda = parameters.rowRegularization(count: merged.count, columns: itemCount)
        for a in 0..<f { matrix[a * f + a] += lambda }
        return Cholesky.solve(matrix.map(Double.init), rhs.map(Double.init), size: f).map(Float.init)
    }

    /// The known items of a history, ascending, with the values of repeated items summed.
    static func merged(_ items: [(item: Int32, value: Float)], itemCount: Int) -> [(item: Int32, value: Float)] {
        let known = items.filter { $0.item >= 0 && Int($0.item) < itemCount }
        // Stable, so repeated items are summed in input order and the result is deterministic.
        let sorted = known.enumerated().sorted { ($0.element.item, $0.offset) < ($1.element.item, $1.offset) }
        var merged: [(item: Int32, value: Float)] = []
        merged.reserveCapacity(sorted.count)
        for (_, entry) in sorted {
            if let last = merged.last, last.item == entry.item {
                merged[merged.count - 1].value += entry.value
            } else {
                merged.append(entry)
            }
        }
        return merged
    }

    /// The scores of some items, each the same value ``scores(for:)`` gives it (the same kernel, item by item):
    /// for callers that need a few items' scores, not the catalogue's.
    ///
    /// - Parameters:
    ///   - items: Item indices; one outside `0..<itemCount` (such as -1 for "none") is left nil in the result.
    ///   - userVector: A vector of length ``factors``.
    package func scores(ofItems items: [Int32], for userVector: [Float]) -> [Float?] {
        precondition(
            userVector.count == factors, "FactorModel: user vector has \(userVector.count) values, not \(factors)")
        let f = factors
        return itemFactors.withUnsafeBufferPointer { itemBuffer in
            userVector.withUnsafeBufferPointer { userBuffer in
                guard let itemBase = itemBuffer.baseAddress, let user = userBuffer.baseAddress else {
                    return items.map { _ in nil }
                }
                return items.map { item in
                    guard (0..<itemCount).contains(Int(item)) else { return nil }
                    return VectorKernels.dot(itemBase + Int(item) &* f, user, f)
                }
            }
        }
    }

    /// The dot product of a user vector with every item vector: the serving kernel.
    ///
    /// - Parameter userVector: A vector of length ``factors`` (from ``userVector(_:)`` or
    ///   ``foldIn(_:parameters:)``).
    /// - Returns: `itemCount` raw scores, indexed by item.
    package func scores(for userVector: [Float]) -> [Float] {
        precondition(
            userVector.count == factors, "FactorModel: user vector has \(userVector.count) values, not \(factors)")
        return Self.dots(itemFactors, rows: itemCount, with: userVector, length: factors)
    }

    /// An item's trained vector.
    ///
    /// - Parameter item: An item index in `0..<itemCount`.
    package func itemVector(_ item: Int) -> [Float] {
        precondition((0..<itemCount).contains(item), "FactorModel: item \(item) is outside 0..<\(itemCount)")
        return Array(itemFactors[(item * factors)..<((item + 1) * factors)])
    }

    /// The dot product of an item-space vector with every user vector: how strongly each trained user is
    /// drawn to it (user segments).
    ///
    /// - Parameter itemVector: A vector of length ``factors`` (an item's, or a mean of several).
    /// - Returns: `userCount` raw scores, indexed by user.
    package func userScores(for itemVector: [Float]) -> [Float] {
        precondition(
            itemVector.count == factors, "FactorModel: item vector has \(itemVector.count) values, not \(factors)")
        return Self.dots(userFactors, rows: userCount, with: itemVector, length: factors)
    }

    /// The dot product of `vector` with each of the `count` rows of the row-major `matrix`, rows of length `f`.
    @inline(__always)
    private static func dots(_ matrix: [Float], rows count: Int, with vector: [Float], length f: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { output, initialized in
            matrix.withUnsafeBufferPointer { matrixBuffer in
                vector.withUnsafeBufferPointer { vectorBuffer in
                    guard let rows = matrixBuffer.baseAddress, let v = vectorBuffer.baseAddress else { return }
                    for row in 0..<count {
                        output[row] = VectorKernels.dot(rows + row &* f, v, f)
                    }
                }
            }
            initialized = count
        }
    }
}
