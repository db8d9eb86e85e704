/// A sparse matrix in compressed sparse row (CSR) form with `Float` values, typically users × items.
///
/// Column indices within a row are sorted ascending and unique. ``transposed()`` gives the compressed
/// sparse column (CSC) view, i.e. items × users.
package struct SparseMatrix: Sendable {
    /// The number of rows.
    package let rows: Int
    /// The number of columns.
    package let cols: Int
    /// Where each row starts in ``columnIndices`` and ``values``; `rows + 1` entries, the last is the count.
    package let rowPointers: [Int]
    /// The column of each stored entry, sorted ascending within a row.
    package let columnIndices: [Int32]
    /// The value of each stored entry.
    package let values: [Float]

    /// Builds a matrix from coordinate entries; entries with the same `(row, col)` are summed.
    ///
    /// - Parameters:
    ///   - rows: The number of rows; every `row` must be in `0..<rows`.
    ///   - cols: The number of columns; every `col` must be in `0..<cols`.
    ///   - entries: The entries, in any order. Out-of-range coordinates are a programming error and trap.
    package init(rows: Int, cols: Int, entries: [(row: Int32, col: Int32, value: Float)]) {
        precondition(rows >= 0 && cols >= 0, "SparseMatrix: rows (\(rows)) and cols (\(cols)) must not be negative")
        var counts = [Int](repeating: 0, count: rows + 1)
        for entry in entries {
            precondition(
                entry.row >= 0 && Int(entry.row) < rows && entry.col >= 0 && Int(entry.col) < cols,
                "SparseMatrix: entry (\(entry.row), \(entry.col)) is outside \(rows) × \(cols)"
            )
            counts[Int(entry.row) + 1] += 1
        }
        for row in 0..<rows { counts[row + 1] += counts[row] }
        // Bucket the entries by row (a counting sort), then sort and merge each row's columns.
        var next = counts
        var bucketColumns = [Int32](repeating: 0, count: entries.count)
        var bucketValues = [Float](repeating: 0, count: entries.count)
        for entry in entries {
            let slot = next[Int(entry.row)]
            bucketColumns[slot] = entry.col
            bucketValues[slot] = entry.value
            next[Int(entry.row)] = slot + 1
        }
        var pointers = [Int](repeating: 0, count: rows + 1)
        var columns: [Int32] = []
        var merged: [Float] = []
        columns.reserveCapacity(entries.count)
        merged.reserveCapacity(entries.count)
        var order: [Int] = []
        for row in 0..<rows {
            let range = counts[row]..<counts[row + 1]
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: range)
            // Stable, so duplicates are summed in input order and the result is deterministic.
            order.sort { (bucketColumns[$0], $0) < (bucketColumns[$1], $1) }
            for slot in order {
                if columns.count > pointers[row], columns[columns.count - 1] == bucketColumns[slot] {
                    merged[merged.count - 1] += bucketValues[slot]
                } else {
                    columns.append(bucketColumns[slot])
                    merged.append(bucketValues[slot])
                }
            }
            pointers[row + 1] = columns.count
        }
        self.init(rows: rows, cols: cols, rowPointers: pointers, columnIndices: columns, values: merged)
    }

    /// Wraps CSR arrays that already satisfy the invariants (sorted, unique columns per row).
    init(rows: Int, cols: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) {
        self.rows = rows
        self.cols = cols
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// The number of stored (distinct) entries.
    package var nonZeroCount: Int { columnIndices.count }

    /// The column indices and values stored in row `r`, columns ascending.
    ///
    /// - Parameter r: A row in `0..<rows`.
    package func row(_ r: Int) -> (indices: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = rowPointers[r]..<rowPointers[r + 1]
        return (columnIndices[range], values[range])
    }

    /// The transpose (cols × rows), i.e. the CSC view of this matrix; a counting sort in O(nnz + rows + cols).
    package func transposed() -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: cols + 1)
        for column in columnIndices { pointers[Int(column) + 1] += 1 }
        for column in 0..<cols { pointers[column + 1] += pointers[column] }
        var next = pointers
        var newColumns = [Int32](repeating: 0, count: nonZeroCount)
        var newValues = [Float](repeating: 0, count: nonZeroCount)
        for row in 0..<rows {
            for k in rowPointers[row]..<rowPointers[row + 1] {
                let column = Int(columnIndices[k])
                let slot = next[column]
                newColumns[slot] = Int32(row)
                newValues[slot] = values[k]
                next[column] = slot + 1
            }
        }
        return SparseMatrix(
            rows: cols, cols: rows, rowPointers: pointers, columnIndices: newColumns, values: newValues
        )
    }
}
