package import Foundation
import Synchronization

/// A bounded pool of threads for the engine's CPU work (training, imports, model loading, candidate lists, batch
/// scoring): long synchronous computations that must not hold Swift's cooperative pool.
///
/// At most `size` threads exist. They start when work arrives and end after ``idleTimeout`` without work, so an
/// engine that is idle (or closed) holds no thread. Work waits its turn in arrival order; work whose task is
/// cancelled before it starts never runs (the caller gets `CancellationError`); work that has started runs to its
/// end. Each thread has an 8 MB stack (the training code recurses into large arrays on the stack).
package final class WorkerPool: Sendable {
    /// How long a thread waits for more work before it ends.
    package static let idleTimeout: TimeInterval = 2

    private struct Item {
        let id: UInt64
        let run: @Sendable () -> Void
        let cancel: @Sendable () -> Void
    }

    private struct State {
        var queue: [Item] = []
        var nextID: UInt64 = 0
        var threads = 0
        var idle = 0
        var closed = false
    }

    package let size: Int
    private let state: Mutex<State>
    private let condition = NSCondition()

    /// - Parameter size: the most threads at once (at least 1).
    package init(size: Int) {
        self.size = max(1, size)
        self.state = Mutex(State())
    }

    /// Threads alive now, working or idle (for tests and metrics).
    package var threadCount: Int { state.withLock { $0.threads } }

    /// Runs `body` on one of the pool's threads and returns its result, once a thread is free.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled before `body` starts, or the pool was
    ///   closed; else whatever `body` throws.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let item = Item(
                    id: id, run: { continuation.resume(with: Result { try body() }) },
                    cancel: { continuation.resume(throwing: CancellationError()) })
                enqueue(item)
            }
        } onCancel: {
            withdraw(id)
        }
    }

    /// Ends the threads once the queue is empty and refuses new work (queued work is cancelled).
    package func close() {
        let cancelled = state.withLock { state -> [Item] in
            state.closed = true
            defer { state.queue = [] }
            return state.queue
        }
        for item in cancelled { item.cancel() }
        // Under the condition's lock, so that no thread between its check of `closed` and its wait misses it.
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    private func enqueue(_ item: Item) {
        enum Decision { case refuse, queue, startThread }
        let decision = state.withLock { state -> Decision in
            if state.closed { return .refuse }
            if Task.isCancelled { return .refuse }
            state.queue.append(item)
            // More work waiting than idle threads to take it: start one, up to the bound.
            if state.queue.count > state.idle && state.threads < size {
                state.threads += 1
                return .startThread
            }
            return .queue
        }
        switch decision {
        case .refuse: item.cancel()
        case .queue: condition.lock(); condition.signal(); condition.unlock()
        case .startThread:
            let thread = Thread { [self] in work() }
            thread.name = "tailor-worker"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Removes queued work whose task was cancelled; the work's caller then gets `CancellationError`.
    private func withdraw(_ id: UInt64) {
        let item = state.withLock { state -> Item? in
            guard let index = state.queue.firstIndex(where: { $0.id == id }) else { return nil }
            return state.queue.remove(at: index)
        }
        item?.cancel()
    }

    /// A thread's loop: take work until none came for ``idleTimeout`` (or the pool closed).
    private func work() {
        while let item = next() {
            item.run()
        }
    }

    private func next() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        var deadline: Date?
        while true {
            let taken = state.withLock { state -> (item: Item?, exit: Bool) in
                if !state.queue.isEmpty { return (state.queue.removeFirst(), false) }
                if state.closed { state.threads -= 1; return (nil, true) }
                return (nil, false)
            }
            if let item = taken.item { return item }
            if taken.exit { return nil }
            let limit = deadline ?? Date(timeIntervalSinceNow: Self.idleTimeout)
            deadline = limit
            state.withLock { $0.idle += 1 }
            let signalled = condition.wait(until: limit)
            let exit = state.withLock { state -> Bool in
                state.idle -= 1
                guard !signalled, state.queue.isEmpty else { return false }
                state.threads -= 1
                return true
            }
            if exit { return nil }
        }
    }
}
