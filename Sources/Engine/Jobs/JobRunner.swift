package import Foundation
import Synchronization

/// Everything the engine does in the background, in one place: jobs (imports, training, deployments, batch
/// inference and segments, exports, data deletion, deletions, candidate lists, auto-training), the timers that
/// start jobs later, refreshes that requests wait on, and the bounded ``WorkerPool`` their CPU work runs on.
///
/// Every task is tracked from its start to its end. ``waitForJobs()`` waits for the jobs (not the timers);
/// ``shutdown()`` refuses new work, cancels the timers, refreshes and queued CPU work (a job whose work had not
/// started records itself as interrupted), and waits for all of them: CPU work that had started runs to its end,
/// so no job is cut mid-write.
package final class JobRunner: Sendable {
    /// What a tracked task is, for ``waitForJobs()``.
    package enum Kind: Sendable {
        /// A job: ``waitForJobs()`` waits for it.
        case job
        /// A timer or a refresh: cancelled and awaited at shutdown, not waited for by ``waitForJobs()``.
        case auxiliary
    }

    private struct Entry: Sendable {
        let key: String
        let kind: Kind
        let cancel: @Sendable () -> Void
        let wait: @Sendable () async -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())
    /// The threads for CPU work (see ``compute(_:)``).
    package let pool: WorkerPool

    /// - Parameter threads: the most CPU computations at once.
    package init(threads: Int) {
        pool = WorkerPool(size: threads)
    }

    deinit { pool.close() }

    /// Runs `work` in the background as a tracked task named `key` (keys need not be unique).
    ///
    /// After ``shutdown()`` nothing starts: the returned task throws `CancellationError`.
    @discardableResult
    package func start<T: Sendable>(
        _ key: String, kind: Kind = .job, priority: TaskPriority? = .utility,
        _ work: @escaping @Sendable () async throws -> T
    ) -> Task<T, any Error> {
        state.withLock { state in
            guard !state.closed else { return Task { throw CancellationError() } }
            state.nextID += 1
            let id = state.nextID
            let task = Task.detached(priority: priority) { [weak self] in
                defer { self?.finished(id) }
                return try await work()
            }
            state.entries[id] = Entry(
                key: key, kind: kind, cancel: { task.cancel() }, wait: { _ = await task.result })
            return task
        }
    }

    /// Runs `work` after `delay` seconds, as an auxiliary task: cancelled (and then never run) at shutdown.
    package func later(_ key: String, after delay: TimeInterval, _ work: @escaping @Sendable () async -> Void) {
        start(key, kind: .auxiliary) {
            if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
            try Task.checkCancellation()
            await work()
        }
    }

    /// Runs the synchronous, CPU-bound `body` on the ``pool`` and returns its result.
    ///
    /// - Throws: `CancellationError` when the task was cancelled (or the engine shut down) before `body`
    ///   started; else what `body` throws.
    package func compute<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.run(body)
    }

    /// Whether a task named `key` is running.
    package func isRunning(_ key: String) -> Bool {
        state.withLock { $0.entries.values.contains { $0.key == key } }
    }

    /// How many tasks are running (jobs and auxiliary ones).
    package var runningCount: Int { state.withLock { $0.entries.count } }

    /// Waits until every job started so far, and every job those start, has finished.
    package func waitForJobs() async {
        while let entry = state.withLock({ $0.entries.values.first { $0.kind == .job } }) {
            await entry.wait()
        }
    }

    /// Refuses new tasks, cancels the timers, refreshes and the pool's queued work, and waits for every task.
    ///
    /// Jobs are not cancelled themselves: a job whose CPU work is running finishes it and records its outcome; a job
    /// that asks for CPU work from now on gets `CancellationError` and records itself as interrupted.
    package func shutdown() async {
        let auxiliary = state.withLock { state -> [Entry] in
            state.closed = true
            return state.entries.values.filter { $0.kind == .auxiliary }
        }
        pool.close()
        for entry in auxiliary { entry.cancel() }
        while let entry = state.withLock({ $0.entries.values.first }) {
            await entry.wait()
        }
    }

    private func finished(_ id: UInt64) {
        state.withLock { _ = $0.entries.removeValue(forKey: id) }
    }
}
