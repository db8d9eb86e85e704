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

    /// The largest value, ignoring NaN; `-infinity` when there is none.
    static func maximum(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard let base = values.baseAddress else { return -.infinity }
        let raw = UnsafeRawPointer(base)
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= values.count {
            let next = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            lanes = lanes.replacing(with: next, where: next .> lanes)
            i &+= 8
        }
        var result = lanes.max()
        while i < values.count {
            if values[i] > result { result = values[i] }
            i &+= 1
        }
        return result
    }

    /// `Σ exp(values[i] − shift)`, the softmax normaliser when `shift` is the largest value.
    ///
    /// Differences below −87 count as `exp(−87.3)` (about 1e-38, nothing next to the largest value's 1). A
    /// vectorised `exp` (Cody–Waite reduction, a degree-6 polynomial; relative error below 2e-7) is summed in
    /// `Float` blocks of 1,024 values and across blocks in `Double`, in a fixed order. NaN values, or a value above
    /// `shift`, make the result NaN or inexact; callers check with a scalar fallback.
    static func sumOfExponentials(_ values: UnsafeBufferPointer<Float>, minus shift: Float) -> Double {
        guard let base = values.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let shifts = SIMD8<Float>(repeating: shift)
        var total = 0.0
        var start = 0
        while start < values.count {
            let end = min(values.count, start + 1024)
            var block = SIMD8<Float>()
            var i = start
            while i + 8 <= end {
                block += exponential(raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) - shifts)
                i &+= 8
            }
            var blockTotal = Double(block.sum())
            while i < end {
                blockTotal += Double(exponential(SIMD8<Float>(repeating: values[i] - shift))[0])
                i &+= 1
            }
            total += blockTotal
            start = end
        }
        return total
    }

    /// `exp(x)` for `x ≤ 0`, with `x` below −87.3 taken as −87.3 (positive `x` overflow the exponent field).
    @inline(__always)
    private static func exponential(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let rounding = SIMD8<Float>(repeating: 12_582_912)  // 1.5 · 2^23: adding it rounds to an integer
        let floor = SIMD8<Float>(repeating: -87.3)
        let clamped = x.replacing(with: floor, where: x .< floor)
        let shifted = clamped * 1.442_695_04 + rounding
        let n = shifted - rounding
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2^n from its bits: `shifted`'s low mantissa bits hold n (−126 ≤ n ≤ 0), moved into the exponent field.
        let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
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
