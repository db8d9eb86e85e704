/// SIMD kernels on raw `Float` buffers, shared by training and serving.
///
/// Loads are unaligned so that rows of any length can be used in place; every kernel processes elements in
/// a fixed order, so the same inputs always give bit-identical results.
enum VectorKernels {
    /// The dot product of two vectors of length `count`.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        var sum0 = SIMD8<Float>()
        var sum1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            sum0 +=
                rawA.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            sum1 +=
                rawA.loadUnaligned(fromByteOffset: (i &+ 8) &* 4, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: (i &+ 8) &* 4, as: SIMD8<Float>.self)
            i &+= 16
        }
        if i + 8 <= count {
            sum0 +=
                rawA.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        var total = (sum0 + sum1).sum()
        while i < count {
            total += a[i] * b[i]
            i &+= 1
        }
        return total
    }

    /// `y += alpha * x` over `count` elements.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        let rawX = UnsafeRawPointer(x)
        let rawY = UnsafeMutableRawPointer(y)
        let scale = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= count {
            let sum =
                rawY.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                + scale * rawX.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            rawY.storeBytes(of: sum, toByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < count {
            y[i] += alpha * x[i]
            i &+= 1
        }
    }

    /// `output = matrix · vector` for a square, row-major `size × size` matrix.
    @inline(__always)
    static func multiply(
        _ matrix: UnsafePointer<Float>, _ vector: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
        size: Int
    ) {
        for row in 0..<size {
            output[row] = dot(matrix + row &* size, vector, size)
        }
    }

    /// The Gram matrix `Σ rowᵀ·row` of a row-major `rows × factors` matrix, as a row-major `factors × factors`.
    ///
    /// Rows are summed in fixed blocks whose partial sums are added in block order, so the result does not
    /// depend on `threads`.
    static func gram(_ matrix: [Float], rows: Int, factors: Int, threads: Int) -> [Float] {
        let blockRows = 1024
        let blocks = (rows + blockRows - 1) / blockRows
        let size = factors * factors
        var partials = [Float](repeating: 0, count: max(blocks, 1) * size)
        matrix.withUnsafeBufferPointer { source in
            partials.withUnsafeMutableBufferPointer { partialBuffer in
                guard let sourceBase = source.baseAddress, let partialBase = partialBuffer.baseAddress else { return }
                let input = SharedPointer(base: UnsafeMutablePointer(mutating: sourceBase))
                let output = SharedPointer(base: partialBase)
                Parallel.forEachChunk(blocks, threads: threads) { block in
                    let gram = output.base + block * size
                    for row in (block * blockRows)..<min(rows, (block + 1) * blockRows) {
                        let vector = UnsafePointer(input.base + row * factors)
                        for a in 0..<factors where vector[a] != 0 {
                            axpy(vector[a], vector, gram + a * factors, factors)
                        }
                    }
                }
            }
        }
        guard blocks > 1 else { return Array(partials.prefix(size)) }
        var result = Array(partials.prefix(size))
        for block in 1..<blocks {
            for i in 0..<size { result[i] += partials[block * size + i] }
        }
        return result
    }
}
