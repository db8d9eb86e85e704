import Foundation
package import Recipes
import Synchronization

/// Scores users over a factor model's catalogue for real-time requests, batching the requests that arrive
/// together: one pass over the item matrix serves a block of users (``FactorModel/forEachScoreRow(of:rows:threads:_:)``),
/// so under load the item vectors are read from memory once per block instead of once per request, which is
/// what bounds the exhaustive path (100,000 × 64 floats are 25.6 MB per pass).
///
/// Exact by construction: each user's row is bit-identical to ``FactorModel/scores(for:)`` (the same kernel, item by
/// item), so everything computed from it (the softmax, the top items, exploration, filters) is too. A request that
/// finds an idle lane is scored at once, alone; requests that arrive while every lane is busy wait for the next
/// pass, which takes them all (up to one block). There is no timer: batching costs nothing when traffic is light.
package final class ScoreBatcher: Sendable {
    private let model: FactorModel
    /// Passes that may run at once (one per core).
    private let lanes: Int
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var queue: [Waiter] = []
        var running = 0
        var passes = 0
        var scored = 0
    }

    private struct Waiter: Sendable {
        let vector: [Float]
        let continuation: CheckedContinuation<[Float], Never>
    }

    /// At most this many users per pass: the blocked kernel's block.
    static let maximumBatch = FactorModel.scoringBlock

    package init(model: FactorModel, lanes: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.model = model
        self.lanes = max(1, lanes)
    }

    /// The user's raw scores over the catalogue: the same values as ``FactorModel/scores(for:)``.
    package func scores(for vector: [Float]) async -> [Float] {
        precondition(vector.count == model.factors, "ScoreBatcher: \(vector.count) values, not \(model.factors)")
        return await withCheckedContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.queue.append(Waiter(vector: vector, continuation: continuation))
                guard state.running < lanes else { return false }
                state.running += 1
                return true
            }
            if start { Task.detached(priority: .userInitiated) { self.drain() } }
        }
    }

    /// How many passes ran and how many users they scored (their ratio is the mean batch).
    package var counts: (passes: Int, scored: Int) { state.withLock { ($0.passes, $0.scored) } }

    /// Runs passes until no request waits; the lane is released under the same lock that finds the queue empty,
    /// so a request queued meanwhile always has a pass coming.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                guard !state.queue.isEmpty else {
                    state.running -= 1
                    return []
                }
                let taken = Array(state.queue.prefix(Self.maximumBatch))
                state.queue.removeFirst(taken.count)
                state.passes += 1
                state.scored += taken.count
                return taken
            }
            guard !batch.isEmpty else { return }
            var vectors: [Float] = []
            vectors.reserveCapacity(batch.count * model.factors)
            for waiter in batch { vectors += waiter.vector }
            let rows = Mutex([[Float]](repeating: [], count: batch.count))
            model.forEachScoreRow(of: vectors, rows: batch.count, threads: 1) { row, scores in
                let copy = Array(scores)
                rows.withLock { $0[row] = copy }
            }
            for (waiter, scores) in zip(batch, rows.withLock { $0 }) { waiter.continuation.resume(returning: scores) }
        }
    }
}
