import Dispatch
import Foundation

/// Runs independent numeric work on several threads.
///
/// `DispatchQueue.concurrentPerform` is used on purpose: this is a CPU-bound, synchronous kernel with no
/// suspension points, so structured concurrency would add only overhead. Results never depend on the thread
/// count, because work is split into fixed chunks whose outputs are disjoint (or reduced in chunk order).
package enum Parallel {
    /// The number of worker threads for a `threads` setting, where 0 means all cores.
    package static func threadCount(_ requested: Int) -> Int {
        requested > 0 ? requested : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Calls `body(chunk)` once for every chunk in `0..<chunks`, on up to `threads` threads.
    ///
    /// - Parameters:
    ///   - chunks: The number of chunks.
    ///   - threads: The number of worker threads (already resolved, at least 1).
    ///   - body: The work for one chunk; chunks must not write to shared memory they do not own.
    package static func forEachChunk(_ chunks: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        let workers = min(threads, chunks)
        if workers <= 1 {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        // Dynamic: each worker takes the next unclaimed chunk, so a heavy chunk (a user with a huge history) or a
        // descheduled thread does not hold the others back. Which thread runs a chunk never changes its output.
        let counter = ChunkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let chunk = counter.take()
                guard chunk < chunks else { return }
                body(chunk)
            }
        }
    }
}

/// Hands out chunk numbers 0, 1, 2, … to the workers of ``Parallel/forEachChunk(_:threads:_:)``.
///
/// `@unchecked Sendable` is safe because `next` is only read and written while `lock` is held.
private final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let chunk = next
        next += 1
        return chunk
    }
}

/// A raw pointer that may cross into ``Parallel`` workers.
///
/// `@unchecked Sendable` is safe here because every use writes only to the rows of the chunk it owns, and the
/// buffer outlives the synchronous `Parallel.forEachChunk` call that uses it.
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
