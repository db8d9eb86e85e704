/// One half-sweep of implicit ALS: re-solves every row of one side with the other side fixed.
///
/// For a row with interactions `I` and fixed factors `Y`, the normal equations are
/// `(YᵀY + Σ_{i∈I} (c_i − 1) y_i y_iᵀ + λ|I|·Id) x = Σ_{i∈I} c_i y_i`. They are solved approximately with a few
/// conjugate-gradient steps from the current `x` (Takács et al. 2011), never forming the matrix: `YᵀY` is
/// precomputed once, and the sparse part is applied through the row's interactions.
struct ALSRowSolver {
    /// The matrix whose rows are being solved (users × items for users, its transpose for items).
    let interactions: SparseMatrix
    /// The fixed side's factors, row-major.
    let fixed: [Float]
    /// `YᵀY` of the fixed side.
    let gram: [Float]
    let parameters: ALSParameters
    let threads: Int

    /// Rows per unit of parallel work; fixed so that the split never depends on the thread count.
    static let chunkRows = 64

    /// Updates `target` (rows × factors, row-major) in place.
    func update(_ target: inout [Float]) {
        let chunks = (interactions.rows + Self.chunkRows - 1) / Self.chunkRows
        target.withUnsafeMutableBufferPointer { targetBuffer in
            guard let targetBase = targetBuffer.baseAddress else { return }
            let output = SharedPointer(base: targetBase)
            Parallel.forEachChunk(chunks, threads: threads) { chunk in
                solveChunk(chunk, output: output)
            }
        }
    }

    private func solveChunk(_ chunk: Int, output: SharedPointer<Float>) {
        let f = parameters.factors
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * f)
        defer { scratch.deallocate() }
        let rows = (chunk * Self.chunkRows)..<min(interactions.rows, (chunk + 1) * Self.chunkRows)
        fixed.withUnsafeBufferPointer { fixedBuffer in
            gram.withUnsafeBufferPointer { gramBuffer in
                interactions.columnIndices.withUnsafeBufferPointer { columns in
                    interactions.values.withUnsafeBufferPointer { values in
                        guard let y = fixedBuffer.baseAddress, let g = gramBuffer.baseAddress else { return }
                        for row in rows {
                            let range = interactions.rowPointers[row]..<interactions.rowPointers[row + 1]
                            let entries = RowEntries(
                                columns: UnsafeBufferPointer(rebasing: columns[range]),
                                values: UnsafeBufferPointer(rebasing: values[range])
                            )
                            solveRow(output.base + row * f, entries: entries, fixed: y, gram: g, scratch: scratch)
                        }
                    }
                }
            }
        }
    }

    /// Runs the conjugate-gradient steps for one row.
    private func solveRow(
        _ x: UnsafeMutablePointer<Float>, entries: RowEntries, fixed y: UnsafePointer<Float>,
        gram: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let f = parameters.factors
        guard entries.count > 0 else {
            x.update(repeating: 0, count: f)
            return
        }
        let lambda = parameters.rowRegularization(count: entries.count, columns: interactions.cols)
        let r = scratch
        let p = scratch + f
        let ap = scratch + 2 * f
        // r = b − A·x = −(YᵀY + λ)·x + Σ (c_i − (c_i − 1)·y_i·x)·y_i
        VectorKernels.multiply(gram, x, into: r, size: f)
        for a in 0..<f { r[a] = -r[a] - lambda * x[a] }
        for k in 0..<entries.count {
            let item = y + Int(entries.columns[k]) * f
            let confidence = parameters.confidence(entries.values[k])
            let weight = confidence - (confidence - 1) * VectorKernels.dot(item, x, f)
            VectorKernels.axpy(weight, item, r, f)
        }
        p.update(from: r, count: f)
        var residual = VectorKernels.dot(r, r, f)
        for _ in 0..<parameters.conjugateGradientSteps {
            guard residual > 1e-20 else { break }
            // Ap = (YᵀY + λ)·p + Σ (c_i − 1)·(y_i·p)·y_i
            VectorKernels.multiply(gram, p, into: ap, size: f)
            VectorKernels.axpy(lambda, p, ap, f)
            for k in 0..<entries.count {
                let item = y + Int(entries.columns[k]) * f
                let weight = (parameters.confidence(entries.values[k]) - 1) * VectorKernels.dot(item, p, f)
                VectorKernels.axpy(weight, item, ap, f)
            }
            let curvature = VectorKernels.dot(p, ap, f)
            guard curvature > 0, curvature.isFinite else { break }
            let step = residual / curvature
            VectorKernels.axpy(step, p, x, f)
            VectorKernels.axpy(-step, ap, r, f)
            let next = VectorKernels.dot(r, r, f)
            for a in 0..<f { p[a] = r[a] + (next / residual) * p[a] }
            residual = next
        }
    }
}

/// One row's stored entries, as raw buffers.
private struct RowEntries {
    let columns: UnsafeBufferPointer<Int32>
    let values: UnsafeBufferPointer<Float>
    var count: Int { columns.count }
}
