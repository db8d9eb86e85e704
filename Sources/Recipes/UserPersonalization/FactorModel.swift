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
    /// `(YᵀY + Σ (c_i − 1) y_i y_iᵀ + λ·n·Id) x = Σ c_i y_i` with `c_i = 1 + alpha · max(v_i, 0)` and `n` the
    /// number of distinct known items. Use it for users unseen at training time, or to apply new events at once.
    ///
    /// - Parameters:
    ///   - items: The user's interactions; duplicates are summed, items outside `0..<itemCount` are ignored.
    ///   - parameters: Uses ``ALSParameters/alpha`` and ``ALSParameters/regularization`` (use the training values).
    /// - Returns: A vector of length ``factors``; all zeros when no known item is given.
    package func foldIn(_ items: [(item: Int32, value: Float)], parameters: ALSParameters) -> [Float] {
        let parameters = parameters.clamped
        var merged: [Int32: Float] = [:]
        for entry in items where entry.item >= 0 && Int(entry.item) < itemCount {
            merged[entry.item, default: 0] += entry.value
        }
        guard !merged.isEmpty else { return [Float](repeating: 0, count: factors) }
        let f = factors
        var matrix = itemGram.map(Double.init)
        var rhs = [Double](repeating: 0, count: f)
        for (item, value) in merged.sorted(by: { $0.key < $1.key }) {
            let vector = itemFactors[(Int(item) * f)..<((Int(item) + 1) * f)].map(Double.init)
            let confidence = Double(parameters.confidence(value))
            for a in 0..<f {
                rhs[a] += confidence * vector[a]
                let scaled = (confidence - 1) * vector[a]
                for b in 0..<f { matrix[a * f + b] += scaled * vector[b] }
            }
        }
        let lambda = Double(parameters.regularization) * Double(merged.count)
        for a in 0..<f { matrix[a * f + a] += lambda }
        return Cholesky.solve(matrix, rhs, size: f).map(Float.init)
    }

    /// The dot product of a user vector with every item vector: the serving kernel.
    ///
    /// - Parameter userVector: A vector of length ``factors`` (from ``userVector(_:)`` or
    ///   ``foldIn(_:parameters:)``).
    /// - Returns: `itemCount` raw scores, indexed by item.
    package func scores(for userVector: [Float]) -> [Float] {
        precondition(
            userVector.count == factors, "FactorModel: user vector has \(userVector.count) values, not \(factors)")
        let count = itemCount
        let f = factors
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            itemFactors.withUnsafeBufferPointer { itemBuffer in
                userVector.withUnsafeBufferPointer { userBuffer in
                    guard let items = itemBuffer.baseAddress, let user = userBuffer.baseAddress else { return }
                    for item in 0..<count {
                        output[item] = VectorKernels.dot(items + item &* f, user, f)
                    }
                }
            }
            initialized = count
        }
    }
}
