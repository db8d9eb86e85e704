/// Solves small symmetric positive-definite systems exactly, in `Double`.
enum Cholesky {
    /// Solves `matrix · x = rhs` for a row-major `size × size` symmetric positive-definite matrix.
    ///
    /// If the matrix is only semi-definite, a growing ridge is added to the diagonal until it factors.
    ///
    /// - Returns: `x`, or zeros if the system cannot be solved.
    static func solve(_ matrix: [Double], _ rhs: [Double], size: Int) -> [Double] {
        var ridge = 0.0
        for _ in 0..<8 {
            if let lower = factor(matrix, size: size, ridge: ridge) {
                return substitute(lower, rhs, size: size)
            }
            ridge = ridge == 0 ? 1e-9 : ridge * 100
        }
        return [Double](repeating: 0, count: size)
    }

    private static func factor(_ matrix: [Double], size: Int, ridge: Double) -> [Double]? {
        var lower = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = matrix[i * size + j] + (i == j ? ridge : 0)
                for k in 0..<j { sum -= lower[i * size + k] * lower[j * size + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    lower[i * size + i] = sum.squareRoot()
                } else {
                    lower[i * size + j] = sum / lower[j * size + j]
                }
            }
        }
        return lower
    }

    private static func substitute(_ lower: [Double], _ rhs: [Double], size: Int) -> [Double] {
        var y = rhs
        for i in 0..<size {
            var sum = y[i]
            for k in 0..<i { sum -= lower[i * size + k] * y[k] }
            y[i] = sum / lower[i * size + i]
        }
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<size { sum -= lower[k * size + i] * y[k] }
            y[i] = sum / lower[i * size + i]
        }
        return y
    }
}
