/// Implicit-feedback alternating least squares, the user-personalization recipe's model.
package enum ALS {
    /// Trains implicit ALS (Hu, Koren & Volinsky 2008) with conjugate-gradient row solves (Takács et al. 2011,
    /// as benfred/implicit does).
    ///
    /// Each interaction of value `v` is a positive preference with confidence `1 + alpha · max(v, 0)`; every
    /// other cell is a negative preference with confidence 1. Rows are regularised by
    /// ``ALSParameters/rowRegularization(count:columns:)``. Factors start uniform in `±0.01` from
    /// ``ALSParameters/seed``, and the work is split into fixed chunks, so the result is identical for any
    /// ``ALSParameters/threads``. Rows (or columns) without interactions get zero vectors.
    ///
    /// - Parameters:
    ///   - interactions: Users × items; duplicate events should already be summed (``SparseMatrix`` does).
    ///   - parameters: The hyperparameters; out-of-range values are clamped.
    ///   - progress: Called on the calling thread after each sweep with the sweep number (1-based) and the
    ///     training loss: the confidence-weighted squared error over all cells plus the regularisation terms,
    ///     divided by the number of interactions.
    /// - Returns: The trained model.
    package static func train(
        _ interactions: SparseMatrix, parameters: ALSParameters,
        progress: (_ iteration: Int, _ loss: Double) -> Void
    ) -> FactorModel {
        train(interactions, parameters: parameters, computesLoss: true, progress: progress)
    }

    /// Trains implicit ALS as ``train(_:parameters:progress:)`` does, without computing the loss (a little faster).
    ///
    /// - Parameters:
    ///   - interactions: Users × items.
    ///   - parameters: The hyperparameters; out-of-range values are clamped.
    /// - Returns: The trained model, identical to the one the progress-reporting variant returns.
    package static func train(_ interactions: SparseMatrix, parameters: ALSParameters) -> FactorModel {
        train(interactions, parameters: parameters, computesLoss: false) { _, _ in }
    }

    /// Trains implicit ALS as ``train(_:parameters:progress:)`` does, starting from `start`'s vectors where it has
    /// them (an incremental update: a few sweeps from a trained model instead of many from random factors).
    ///
    /// - Parameters:
    ///   - interactions: Users × items.
    ///   - parameters: The hyperparameters (``ALSParameters/factors`` is taken from `start`).
    ///   - start: The trained model, and for each row and column of `interactions` its index in that model
    ///     (nil for users and items it has not seen: they start random, as in a full training).
    ///   - progress: As in ``train(_:parameters:progress:)``.
    /// - Returns: The updated model.
    package static func update(
        _ interactions: SparseMatrix, parameters: ALSParameters,
        from start: (model: FactorModel, users: [Int32?], items: [Int32?]),
        progress: (_ iteration: Int, _ loss: Double) -> Void
    ) -> FactorModel {
        var parameters = parameters
        parameters.factors = start.model.factors
        return train(interactions, parameters: parameters, computesLoss: true, start: start, progress: progress)
    }

    private static func train(
        _ interactions: SparseMatrix, parameters: ALSParameters, computesLoss: Bool,
        start: (model: FactorModel, users: [Int32?], items: [Int32?])? = nil,
        progress: (_ iteration: Int, _ loss: Double) -> Void
    ) -> FactorModel {
        let parameters = parameters.clamped
        let f = parameters.factors
        let threads = Parallel.threadCount(parameters.threads)
        var generator = SeededGenerator(seed: parameters.seed)
        var users = randomFactors(count: interactions.rows * f, using: &generator)
        var items = randomFactors(count: interactions.cols * f, using: &generator)
        if let start, start.model.factors == f {
            copy(start.model.userFactors, rows: start.users, into: &users, factors: f)
            copy(start.model.itemFactors, rows: start.items, into: &items, factors: f)
        }
        let byItem = interactions.transposed()
        var itemGram = VectorKernels.gram(items, rows: interactions.cols, factors: f, threads: threads)
        for iteration in 0..<parameters.iterations {
            ALSRowSolver(
                interactions: interactions, fixed: items, gram: itemGram, parameters: parameters,
                threads: threads
            ).update(&users)
            let userGram = VectorKernels.gram(users, rows: interactions.rows, factors: f, threads: threads)
            ALSRowSolver(
                interactions: byItem, fixed: users, gram: userGram, parameters: parameters,
                threads: threads
            ).update(&items)
            itemGram = VectorKernels.gram(items, rows: interactions.cols, factors: f, threads: threads)
            guard computesLoss else { continue }
            let loss = ALSLoss(parameters: parameters, threads: threads).compute(
                interactions: interactions, byItem: byItem, users: users, items: items, itemGram: itemGram
            )
            progress(iteration + 1, loss)
        }
        return FactorModel(factors: f, userFactors: users, itemFactors: items, itemGram: itemGram)
    }

    /// Copies row `mapping[r]` of `source` into row `r` of `target`, for each row that has one.
    private static func copy(_ source: [Float], rows mapping: [Int32?], into target: inout [Float], factors f: Int) {
        let sourceRows = source.count / f
        for (row, old) in mapping.enumerated() {
            guard let old, Int(old) < sourceRows, (row + 1) * f <= target.count else { continue }
            for k in 0..<f { target[row * f + k] = source[Int(old) * f + k] }
        }
    }

    private static func randomFactors(count: Int, using generator: inout SeededGenerator) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = (generator.nextUnitFloat() * 2 - 1) * 0.01 }
            initialized = count
        }
    }
}

/// The implicit-ALS objective, computed without visiting the zero cells.
///
/// For user `u` with vector `x`: `xᵀ(YᵀY)x + Σ_{i∈I_u} [c_i(1 − x·y_i)² − (x·y_i)²] + λ|I_u|·‖x‖²`, plus
/// `λ|U_i|·‖y_i‖²` for every item. Partial sums are kept per fixed chunk and added in chunk order.
private struct ALSLoss {
    let parameters: ALSParameters
    let threads: Int

    func compute(
        interactions: SparseMatrix, byItem: SparseMatrix, users: [Float], items: [Float], itemGram: [Float]
    ) -> Double {
        let f = parameters.factors
        let chunkRows = ALSRowSolver.chunkRows
        let chunks = (interactions.rows + chunkRows - 1) / chunkRows
        var partials = [Double](repeating: 0, count: chunks)
        partials.withUnsafeMutableBufferPointer { partialBuffer in
            guard let partialBase = partialBuffer.baseAddress else { return }
            let output = SharedPointer(base: partialBase)
            Parallel.forEachChunk(chunks, threads: threads) { chunk in
                let rows = (chunk * chunkRows)..<min(interactions.rows, (chunk + 1) * chunkRows)
                output.base[chunk] = userLoss(
                    rows, interactions: interactions, users: users, items: items,
                    itemGram: itemGram)
            }
        }
        var total = partials.reduce(0, +)
        items.withUnsafeBufferPointer { y in
            guard let base = y.baseAddress else { return }
            for item in 0..<byItem.rows {
                let count = byItem.rowPointers[item + 1] - byItem.rowPointers[item]
                let vector = base + item * f
                let ridge = count == 0 ? 0 : parameters.rowRegularization(count: count, columns: byItem.cols)
                total += Double(ridge) * Double(VectorKernels.dot(vector, vector, f))
            }
        }
        return total / Double(max(interactions.nonZeroCount, 1))
    }

    private func userLoss(
        _ rows: Range<Int>, interactions: SparseMatrix, users: [Float], items: [Float], itemGram: [Float]
    ) -> Double {
        let f = parameters.factors
        let product = UnsafeMutablePointer<Float>.allocate(capacity: f)
        defer { product.deallocate() }
        var total = 0.0
        users.withUnsafeBufferPointer { xBuffer in
            items.withUnsafeBufferPointer { yBuffer in
                itemGram.withUnsafeBufferPointer { gBuffer in
                    guard let xs = xBuffer.baseAddress, let ys = yBuffer.baseAddress, let g = gBuffer.baseAddress
                    else { return }
                    for row in rows {
                        let x = xs + row * f
                        VectorKernels.multiply(g, x, into: product, size: f)
                        var loss = Double(VectorKernels.dot(x, product, f))
                        for k in interactions.rowPointers[row]..<interactions.rowPointers[row + 1] {
                            let score = Double(VectorKernels.dot(x, ys + Int(interactions.columnIndices[k]) * f, f))
                            let confidence = Double(parameters.confidence(interactions.values[k]))
                            loss += confidence * (1 - score) * (1 - score) - score * score
                        }
                        let count = interactions.rowPointers[row + 1] - interactions.rowPointers[row]
                        let ridge =
                            count == 0 ? 0 : parameters.rowRegularization(count: count, columns: interactions.cols)
                        loss += Double(ridge) * Double(VectorKernels.dot(x, x, f))
                        total += loss
                    }
                }
            }
        }
        return total
    }
}
