import Foundation
import Synchronization
import TailorTestSupport
import Testing

@testable import Engine

/// The engine's background work: a bounded pool of threads for CPU work, and tasks tracked until they end.
@Suite(.tags(.medium)) struct JobRunnerTests {
    /// A gate CPU work blocks on until the test opens it, counting how many are inside at once.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let counts = Mutex((inside: 0, most: 0, entered: 0))

        func pass() {
            counts.withLock {
                $0.inside += 1
                $0.entered += 1
                $0.most = max($0.most, $0.inside)
            }
            semaphore.wait()
            counts.withLock { $0.inside -= 1 }
        }

        func open(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
        var entered: Int { counts.withLock { $0.entered } }
        var most: Int { counts.withLock { $0.most } }

        /// Waits (up to 2 minutes: the whole suite runs in parallel on two cores) until `count` computations have entered.
        func waitUntilEntered(_ count: Int) async throws {
            let deadline = Date().addingTimeInterval(120)
            while entered < count {
                guard Date() < deadline else { throw CancellationError() }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    @Test func noMoreThanThePoolSizeComputeAtOnce() async throws {
        let pool = WorkerPool(size: 2)
        let gate = Gate()
        let results = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await pool.run {
                            gate.pass(); return index
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }.sorted()
            }
        }
        try await gate.waitUntilEntered(2)
        try await Task.sleep(for: .milliseconds(100))
        #expect(gate.entered == 2)  // the other four wait their turn
        #expect(pool.threadCount == 2)
        gate.open(6)
        #expect(try await results.value == Array(0..<6))
        #expect(gate.most == 2)
    }

    @Test func queuedWorkWhoseTaskIsCancelledNeverRuns() async throws {
        let pool = WorkerPool(size: 1)
        let gate = Gate()
        let ran = Mutex(false)
        let first = Task { try await pool.run { gate.pass() } }
        try await gate.waitUntilEntered(1)
        let second = Task { try await pool.run { ran.withLock { $0 = true } } }
        try await Task.sleep(for: .milliseconds(50))
        second.cancel()
        await #expect(throws: CancellationError.self) { try await second.value }
        gate.open(1)
        try await first.value
        try await pool.run {}  // the pool goes on working
        #expect(ran.withLock { $0 } == false)
    }

    @Test func idleThreadsEnd() async throws {
        let pool = WorkerPool(size: 3)
        let gate = Gate()
        let work = (0..<3).map { _ in Task { try await pool.run { gate.pass() } } }
        try await gate.waitUntilEntered(3)
        #expect(pool.threadCount == 3)
        gate.open(3)
        for task in work { try await task.value }
        let deadline = Date().addingTimeInterval(WorkerPool.idleTimeout + 30)
        while pool.threadCount > 0, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(pool.threadCount == 0)
        #expect(try await pool.run { 7 } == 7)  // a thread starts again when work arrives
    }

    @Test func errorsReachTheCaller() async throws {
        struct Failure: Error, Equatable {}
        let pool = WorkerPool(size: 1)
        await #expect(throws: Failure()) { try await pool.run { throw Failure() } }
    }

    @Test func waitForJobsWaitsForJobsAndTheJobsTheyStartButNotTimers() async throws {
        let runner = JobRunner(threads: 2)
        let finished = Mutex([String]())
        runner.start("outer") {
            try await Task.sleep(for: .milliseconds(50))
            runner.start("inner") {
                _ = try await runner.compute { 1 + 1 }
                finished.withLock { $0.append("inner") }
            }
            finished.withLock { $0.append("outer") }
        }
        runner.later("timer", after: 3600) { finished.withLock { $0.append("timer") } }
        await runner.waitForJobs()
        #expect(finished.withLock { $0.sorted() } == ["inner", "outer"])  // in either order: they run side by side
        #expect(runner.isRunning("timer"))
        #expect(!runner.isRunning("outer"))
        await runner.shutdown()
        #expect(runner.runningCount == 0)
        #expect(finished.withLock { $0.sorted() } == ["inner", "outer"])  // the cancelled timer never fired
    }

    @Test func shutdownLetsRunningWorkFinishAndInterruptsWorkNotStarted() async throws {
        let runner = JobRunner(threads: 1)
        let gate = Gate()
        let outcomes = Mutex([String: String]())
        for name in ["first", "second"] {
            runner.start(name) {
                do {
                    try await runner.compute { gate.pass() }
                    outcomes.withLock { $0[name] = "done" }
                } catch is CancellationError {
                    outcomes.withLock { $0[name] = "interrupted" }
                }
            }
        }
        try await gate.waitUntilEntered(1)
        try await Task.sleep(for: .milliseconds(50))  // the other job queues behind it
        let shutdown = Task { await runner.shutdown() }
        try await Task.sleep(for: .milliseconds(50))
        gate.open(2)
        await shutdown.value
        // The job that got the thread first finished; the other one's work never started.
        #expect(outcomes.withLock { $0.values.sorted() } == ["done", "interrupted"])
        #expect(gate.entered == 1)
        let late = runner.start("late") { 1 }
        await #expect(throws: CancellationError.self) { try await late.value }
        #expect(runner.runningCount == 0)
    }
}
