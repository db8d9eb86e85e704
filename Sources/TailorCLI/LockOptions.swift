import ArgumentParser
import Foundation
import Planner

/// `--lock` and `--lock-timeout`, for every command that reads or writes state.
struct LockOptions: ParsableArguments {
    @Option(name: .customLong("lock"), help: "Hold the state lock while working (--lock=false skips it; dangerous).")
    var lock = true

    @Option(
        name: .customLong("lock-timeout"),
        help: "How long to retry while another operation holds the lock: 30s, 5m (default: fail at once).")
    var lockTimeout: LockTimeout?

    /// Runs `body` holding the lock on `store` (unless `--lock=false`); a held lock prints its holder and
    /// exits 1.
    func withLock<T>(_ store: any StateBackend, operation: String, _ body: () async throws -> T) async throws -> T {
        guard lock else { return try await body() }
        let info = LockInfo.current(operation: operation, path: store.location, now: Date())
        do {
            return try await store.withLock(info, timeout: lockTimeout?.duration ?? .zero, body)
        } catch let error as StateError {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// Replaces the state of `store` with `change` of it, holding the lock (`state mv`, `state rm`); with `dryRun`
    /// the new state is made, so that errors show, but not written.
    func rewriteState(
        _ store: any StateBackend, operation: String, dryRun: Bool, _ change: (State) throws -> State
    ) async throws {
        try await withLock(store, operation: operation) {
            let state = try await PlannerErrors.reporting { try await store.load() }
            let changed = try PlannerErrors.reporting { try change(state) }
            if !dryRun { _ = try await PlannerErrors.reporting { try await store.write(changed) } }
        }
    }
}

/// A duration written as `30s`, `5m`, `1h` or plain seconds.
struct LockTimeout: ExpressibleByArgument {
    let duration: Duration

    init(duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        let units: [(suffix: String, seconds: Int)] = [("ms", 0), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where argument.hasSuffix(unit.suffix) {
            guard let value = Int(argument.dropLast(unit.suffix.count)), value >= 0 else { return nil }
            let (seconds, overflow) = value.multipliedReportingOverflow(by: max(1, unit.seconds))
            guard !overflow else { return nil }
            duration = unit.seconds == 0 ? .milliseconds(value) : .seconds(seconds)
            return
        }
        guard let seconds = Int(argument), seconds >= 0 else { return nil }
        duration = .seconds(seconds)
    }
}
