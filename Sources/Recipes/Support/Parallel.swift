import Dispatch
import Foundation

/// Runs independent numeric work on several threads.
///
/// `DispatchQueue.concurrentPerform` is used on purpose: this is a CPU-bound, synchronous kernel with no
/// suspension points, so structured concurrency would add only overhead. Results never depend on the thread
/// count, because work is split into fixed chunks whose outputs are disjoint (or reduced in chunk order).
enum Parallel {
    /// The number of worker threads for a `threads` setting, where 0 means all cores.
    static func threadCount(_ requested: Int) -> Int {
        requested > 0 ? requested : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Calls `body(chunk)` once for every chunk in `0..<chunks`, on up to `threads` threads.
    ///
    /// - Parameters:
    ///   - chunks: The number of chunks.
    ///   - threads: The number of worker threads (already resolved, at least 1).
    ///   - body: The work for one chunk; chunks must not write to shared memory they do not own.
    static func forEachChunk(_ chunks: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        let workers = min(threads, chunks)
        if workers <= 1 {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        // Static striding: worker w takes chunks w, w + workers, ...; chunks are small so load stays balanced.
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var chunk = worker
            while chunk < chunks {
                body(chunk)
                chunk += workers
            }
        }
    }
}

/// A raw pointer that may cross into ``Parallel`` workers.
///
/// `@unchecked Sendable` is safe here because every use writes only to the rows of the chunk it owns, and the
/// buffer outlives the synchronous `Parallel.forEachChunk` call that uses it.
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
