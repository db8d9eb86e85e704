import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct SparseMatrixTests {
    private let example = SparseMatrix(
        rows: 4, cols: 3,
        entries: [(0, 2, 1), (1, 0, 2), (0, 2, 3), (3, 1, 1), (0, 0, 5), (3, 1, 0.5)]
    )

    @Test(.tags(.small)) func sortsRowsAndSumsDuplicates() {
        #expect(example.rowPointers == [0, 2, 3, 3, 4])
        #expect(example.columnIndices == [0, 2, 0, 1])
        #expect(example.values == [5, 4, 2, 1.5])
        #expect(example.nonZeroCount == 4)
        #expect(Array(example.row(0).indices) == [0, 2])
        #expect(Array(example.row(0).values) == [5, 4])
        #expect(example.row(2).indices.isEmpty)
    }

    @Test(.tags(.small)) func transposesToColumns() {
        let transposed = example.transposed()
        #expect(transposed.rows == 3)
        #expect(transposed.cols == 4)
        #expect(transposed.rowPointers == [0, 2, 3, 4])
        #expect(transposed.columnIndices == [0, 1, 3, 0])
        #expect(transposed.values == [5, 2, 1.5, 4])
    }

    @Test(.tags(.small)) func transposingTwiceGivesTheSameMatrix() {
        var generator = SeededGenerator(seed: 3)
        let entries = (0..<500).map { _ in
            (row: Int32(generator.next() % 40), col: Int32(generator.next() % 30), value: Float(generator.next() % 4))
        }
        let matrix = SparseMatrix(rows: 40, cols: 30, entries: entries)
        let twice = matrix.transposed().transposed()
        #expect(twice.rowPointers == matrix.rowPointers)
        #expect(twice.columnIndices == matrix.columnIndices)
        #expect(twice.values == matrix.values)
        let total = entries.reduce(Float(0)) { $0 + $1.value }
        #expect(matrix.values.reduce(0, +) == total)
    }

    @Test(.tags(.small)) func buildsAnEmptyMatrix() {
        let empty = SparseMatrix(rows: 2, cols: 0, entries: [])
        #expect(empty.rowPointers == [0, 0, 0])
        #expect(empty.transposed().rowPointers == [0])
    }
}
