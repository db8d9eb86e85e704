package import EngineAPI

/// Executes a plan against any ``PersonalizeService``, walking its dependency graph (``ApplyGraph``) with
/// up to `parallelism` operations at a time: removals before what they used, creates and updates after what
/// they depend on, each with its managed steps (import, training, deployment). State is saved after every
/// resource step. A failed resource does not stop the others; what depends on it is skipped.
package struct Applier: Sendable {
    private let service: any PersonalizeService
    private let store: any StateBackend
    private let waiter: Waiter
    private let timeouts: ApplyTimeouts
    private let parallelism: Int
    private let objects: (any ObjectSources)?

    /// An executor.
    ///
    /// - Parameters:
    ///   - service: The engine (embedded, `tailor serve`, or Amazon Personalize).
    ///   - store: The state (a file or a database), written after every resource step.
    ///   - pollInterval: How often to describe a resource being waited for.
    ///   - timeouts: How long to wait for each kind of operation.
    ///   - parallelism: How many operations may run at once (Terraform's default is 10).
    ///   - clock: The clock that paces polling and measures timeouts.
    ///   - objects: The S3 store `s3://` import sources are checked in before their import (unchanged since the
    ///     plan).
    package init(
        service: any PersonalizeService, store: any StateBackend, pollInterval: Duration = .seconds(2),
        timeouts: ApplyTimeouts = .standard, parallelism: Int = 10,
        clock: some Clock<Duration> = ContinuousClock(), objects: (any ObjectSources)? = nil
    ) {
        self.objects = objects
        self.service = service
        self.store = store
        self.waiter = Waiter(clock: clock, pollInterval: pollInterval)
        self.timeouts = timeouts
        self.parallelism = max(1, parallelism)
    }

    /// Applies `plan`.
    ///
    /// - Parameters:
    ///   - plan: A plan made against the state in the store.
    ///   - events: Receives progress as it happens.
    /// - Returns: Each resource's outcome; check ``ApplySummary/succeeded``.
    /// - Throws: ``PlannerError/stalePlan(reason:)`` when the state moved on since the plan;
    ///   ``PlannerError/fetchNotAllowed(_:)`` when the plan still has sources to fetch (the applier runs nothing
    ///   a manifest names: ``Planner/resolvingFetches(_:manifests:state:allowed:fetcher:onFetch:)`` does, first);
    ///   ``StateError`` when state cannot be read or written (apply stops at once, the state file holds every
    ///   finished step).
    package func apply(
        _ plan: Plan, events: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) async throws -> ApplySummary {
        let fetches = plan.pendingFetches
        guard fetches.isEmpty else { throw PlannerError.fetchNotAllowed(fetches) }
        let state = try await store.load()
        guard state.serial == plan.priorSerial, state.lineage == plan.priorLineage else {
            throw PlannerError.stalePlan(
                reason: "the state is at serial \(state.serial), lineage "
                    + "\(state.lineage ?? "none"), but the plan was made at serial \(plan.priorSerial), lineage "
                    + "\(plan.priorLineage ?? "none")")
        }
        if plan.isRefreshOnly { return try await applyRefresh(plan, state: state, events: events) }
        let recorder = StateRecorder(store: store, state: state, emit: events)
        let context = ApplyContext(
            service: service, recorder: recorder, waiter: waiter, timeouts: timeouts, emit: events, objects: objects,
            defaultRole: plan.roleArn, uploadPrefix: plan.uploadPrefix, downloadRoot: plan.downloadRoot)
        var run = ApplyRun(graph: ApplyGraph(plan: plan, state: state), context: context)
        run.summary.priorSerial = state.serial
        try await run.execute(parallelism: parallelism)
        if !plan.options.isTargeted {
            let outputs = plan.isDestroy ? [:] : Outputs.values(plan.outputs, state: await recorder.state)
            try await recorder.setOutputs(outputs)
        }
        run.summary.serial = await recorder.state.serial
        return run.summary
    }

    /// A refresh-only plan: writes the state refreshed from the engine, touching nothing in it.
    private func applyRefresh(
        _ plan: Plan, state: State, events: @Sendable (ApplyEvent) -> Void
    ) async throws -> ApplySummary {
        var summary = ApplySummary()
        summary.priorSerial = state.serial
        summary.serial = state.serial
        if plan.hasChanges, var refreshed = plan.refreshed {
            refreshed.serial = state.serial
            refreshed.lineage = state.lineage
            summary.serial = try await store.write(refreshed).serial
            events(.stateSaved(serial: summary.serial))
        }
        return summary
    }
}

/// One apply's progress over its graph: which operations run, and each resource's outcome.
private struct ApplyRun {
    var graph: ApplyGraph
    let context: ApplyContext
    var summary = ApplySummary()
    private var timers: [ApplyGraph.Operation: @Sendable () -> Duration] = [:]

    init(graph: ApplyGraph, context: ApplyContext) {
        self.graph = graph
        self.context = context
    }

    /// Runs every operation, at most `parallelism` at a time; state errors and cancellation stop it.
    mutating func execute(parallelism: Int) async throws {
        try await withThrowingTaskGroup(of: (ApplyGraph.Operation, (any Error)?).self) { group in
            var running = 0
            while true {
                for operation in graph.ready().prefix(parallelism - running) {
                    start(operation)
                    running += 1
                    let steps = Steps(context: context)
                    let change = graph.changes[operation]
                    group.addTask {
                        do {
                            try await Self.perform(operation, change, steps: steps)
                            return (operation, nil)
                        } catch let error as StateError {
                            throw error
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            return (operation, error)
                        }
                    }
                }
                guard running > 0, let (operation, error) = try await group.next() else { break }
                running -= 1
                finish(operation, error: error)
            }
        }
    }

    private static func perform(_ operation: ApplyGraph.Operation, _ change: ResourceChange?, steps: Steps)
        async throws
    {
        switch operation.kind {
        case .remove: try await steps.remove(operation.address)
        case .removeDeposed(let arn): try await steps.removeDeposed(operation.address, arn: arn)
        case .ensure: if let change { try await steps.ensure(change) }
        }
    }

    private mutating func start(_ operation: ApplyGraph.Operation) {
        graph.started(operation)
        guard let change = graph.changes[operation] else { return }
        timers[operation] = context.waiter.startTimer()
        if case .remove = operation.kind, change.action == .replace { return }
        if case .removeDeposed = operation.kind, change.deposed == nil { return }
        context.emit(.started(change.address, change.action))
    }

    private mutating func finish(_ operation: ApplyGraph.Operation, error: (any Error)?) {
        let skipped = graph.finished(operation, succeeded: error == nil)
        guard let change = graph.changes[operation] else { return }
        let elapsed = timers[operation]?() ?? .zero
        switch (operation.kind, error) {
        case (.remove, nil) where change.action == .replace: break
        case (.ensure, nil), (.remove, nil):
            record(change, .done(change.action))
            context.emit(.completed(change.address, change.action, elapsed: elapsed))
        case (.removeDeposed, nil):
            if change.deposed != nil {
                record(change, .done(.delete))
                context.emit(.completed(change.address, .delete, elapsed: elapsed))
            }
        case (.removeDeposed, let error?) where change.deposed == nil:
            let message = "the replacement is in place, but deleting the old object failed: \(error)"
            record(change, .failed(change.action, message: message))
            context.emit(.failed(change.address, change.action, message: message))
        case (_, let error?):
            record(change, .failed(change.action, message: "\(error)"))
            context.emit(.failed(change.address, change.action, message: "\(error)"))
        }
        for (blocked, blocker) in skipped {
            guard let change = graph.changes[blocked], blocked.address != blocker.address else { continue }
            let reason =
                blocker.kind == .ensure ? "\(blocker.address) did not finish" : "\(blocker.address) was not deleted"
            record(change, .skipped(change.action, reason: reason))
            context.emit(.skipped(change.address, change.action, reason: reason))
        }
    }

    private mutating func record(_ change: ResourceChange, _ outcome: ApplySummary.Outcome) {
        summary.outcomes.append(.init(address: change.address, outcome: outcome))
    }
}
