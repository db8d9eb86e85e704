/// Selects the best-scored items of a catalogue.
package enum TopK {
    /// The `k` highest scores, best first, ties broken by the lower index.
    ///
    /// Runs in O(n log k) with a bounded min-heap; exclusions are looked up only for candidates that would
    /// enter the heap, so a large `excluded` set costs little. NaN scores are never selected.
    ///
    /// - Parameters:
    ///   - scores: One score per index.
    ///   - k: How many to return; fewer are returned if fewer indices are eligible.
    ///   - excluded: Indices to skip (for example, items the user already interacted with).
    /// - Returns: Up to `k` `(index, score)` pairs, best first.
    package static func select(
        _ scores: [Float], k: Int, excluding excluded: Set<Int32> = []
    ) -> [(index: Int32, score: Float)] {
        guard k > 0, !scores.isEmpty else { return [] }
        let capacity = min(k, scores.count)
        var heap = BoundedHeap(capacity: capacity)
        scores.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                let score = buffer[index]
                guard !score.isNaN else { continue }
                if heap.isFull, !heap.beats(score: score, index: Int32(index)) { continue }
                if !excluded.isEmpty, excluded.contains(Int32(index)) { continue }
                heap.insert(score: score, index: Int32(index))
            }
        }
        return heap.sortedBestFirst()
    }
}

/// A min-heap of at most `capacity` candidates whose root is the worst one kept.
private struct BoundedHeap {
    private var scores: [Float] = []
    private var indices: [Int32] = []
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        scores.reserveCapacity(capacity)
        indices.reserveCapacity(capacity)
    }

    var isFull: Bool { scores.count == capacity }

    /// Whether a candidate ranks above the worst kept one.
    func beats(score: Float, index: Int32) -> Bool {
        Self.isBetter(score, index, than: scores[0], indices[0])
    }

    mutating func insert(score: Float, index: Int32) {
        if isFull {
            scores[0] = score
            indices[0] = index
            siftDown(from: 0)
        } else {
            scores.append(score)
            indices.append(index)
            siftUp(from: scores.count - 1)
        }
    }

    func sortedBestFirst() -> [(index: Int32, score: Float)] {
        zip(indices, scores)
            .map { (index: $0.0, score: $0.1) }
            .sorted { Self.isBetter($0.score, $0.index, than: $1.score, $1.index) }
    }

    private static func isBetter(_ score: Float, _ index: Int32, than other: Float, _ otherIndex: Int32) -> Bool {
        score > other || (score == other && index < otherIndex)
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            // The parent must be worse than (or equal to) the child in a min-heap of "worst first".
            guard Self.isBetter(scores[parent], indices[parent], than: scores[child], indices[child]) else { return }
            scores.swapAt(parent, child)
            indices.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        let count = scores.count
        while true {
            var worst = parent
            let left = 2 * parent + 1
            let right = left + 1
            if left < count, Self.isBetter(scores[worst], indices[worst], than: scores[left], indices[left]) {
                worst = left
            }
            if right < count, Self.isBetter(scores[worst], indices[worst], than: scores[right], indices[right]) {
                worst = right
            }
            guard worst != parent else { return }
            scores.swapAt(parent, worst)
            indices.swapAt(parent, worst)
            parent = worst
        }
    }
}
