package import EngineAPI

/// Executes a plan against any ``PersonalizeService``: removals first, dependents before what they use
/// (deletes and the first half of replaces), then creates and updates in dependency order with their
/// managed steps (import, training, deployment). State is saved after every resource step. A failed
/// resource does not stop the others; what depends on it is skipped.
package struct Applier: Sendable {
    private let service: any PersonalizeService
    private let store: StateStore
    private let waiter: Waiter
    private let timeouts: ApplyTimeouts

    /// An executor.
    ///
    /// - Parameters:
    ///   - service: The engine (embedded, `tailor serve`, or Amazon Personalize).
    ///   - store: The state file, written after every resource step.
    ///   - pollInterval: How often to describe a resource being waited for.
    ///   - timeouts: How long to wait for each kind of operation.
    ///   - clock: The clock that paces polling and measures timeouts.
    package init(
        service: any PersonalizeService, store: StateStore, pollInterval: Duration = .seconds(2),
        timeouts: ApplyTimeouts = .standard, clock: some Clock<Duration> = ContinuousClock()
    ) {
        self.service = service
        self.store = store
        self.waiter = Waiter(clock: clock, pollInterval: pollInterval)
        self.timeouts = timeouts
    }

    /// Applies `plan`.
    ///
    /// - Parameters:
    ///   - plan: A plan made against the state in ``StateStore``.
    ///   - events: Receives progress as it happens.
    /// - Returns: Each resource's outcome; check ``ApplySummary/succeeded``.
    /// - Throws: ``PlannerError/stalePlan(reason:)`` when the state moved on since the plan; ``StateError``
    ///   when state cannot be read or written (apply stops at once, the state file holds every finished step).
    package func apply(
        _ plan: Plan, events: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) async throws -> ApplySummary {
        let state = try store.load()
        guard state.serial == plan.priorSerial, state.lineage == plan.priorLineage else {
            throw PlannerError.stalePlan(
                reason: "the state is at serial \(state.serial), lineage "
                    + "\(state.lineage ?? "none"), but the plan was made at serial \(plan.priorSerial), lineage "
                    + "\(plan.priorLineage ?? "none")")
        }
        let recorder = StateRecorder(store: store, state: state, emit: events)
        let context = ApplyContext(
            service: service, recorder: recorder, waiter: waiter, timeouts: timeouts, emit: events)
        var run = ApplyRun(context: context)
        let late = Self.deletionsAfterUpdates(plan, state: state)
        for change in plan.changes.reversed() where change.action == .replace || change.action == .delete {
            if !late.contains(change.address) { try await run.remove(change, state: state) }
        }
        for change in plan.changes where [.create, .update, .replace].contains(change.action) {
            try await run.ensure(change)
        }
        for change in plan.changes.reversed() where late.contains(change.address) {
            try await run.remove(change, state: state)
        }
        run.summary.serial = await recorder.state.serial
        return run.summary
    }
}

extension Applier {
    /// The deletes that must wait for the updates: those of resources still used by a resource that stays
    /// and is updated to stop using them (a campaign moved to another solution before the old one goes).
    static func deletionsAfterUpdates(_ plan: Plan, state: State) -> Set<ResourceAddress> {
        let staying = Set(plan.changes.filter { $0.action == .update || $0.action == .noOp }.map(\.address))
        let users = state.resources.filter { staying.contains($0.key) }.values.flatMap(\.dependencies)
        return Set(plan.changes.filter { $0.action == .delete && users.contains($0.address) }.map(\.address))
    }
}

/// One apply's progress: outcomes so far, and which resources failed or were skipped.
private struct ApplyRun {
    let context: ApplyContext
    var summary = ApplySummary()
    private var unfinished: Set<ResourceAddress> = []

    init(context: ApplyContext) {
        self.context = context
    }

    /// Deletes the resource (a delete, or the first half of a replace) unless a dependent failed to go.
    mutating func remove(_ change: ResourceChange, state: State) async throws {
        let blocker = state.resources.first {
            $0.value.dependencies.contains(change.address) && unfinished.contains($0.key)
        }
        if let blocker {
            skip(change, because: "\(blocker.key) was not deleted")
            return
        }
        context.emit(.started(change.address, change.action))
        let timer = context.waiter.startTimer()
        do {
            try await Steps(context: context).remove(change.address)
            if change.action == .delete {
                finish(change, elapsed: timer())
            }
        } catch {
            try fail(change, error)
        }
    }

    /// Creates or updates the resource and runs its managed steps, unless a dependency did not finish.
    mutating func ensure(_ change: ResourceChange) async throws {
        if unfinished.contains(change.address) { return }  // its removal failed and is already reported
        if let dependency = change.dependencies.first(where: unfinished.contains) {
            skip(change, because: "\(dependency) did not finish")
            return
        }
        if change.action != .replace { context.emit(.started(change.address, change.action)) }
        let timer = context.waiter.startTimer()
        do {
            try await Steps(context: context).ensure(change)
            finish(change, elapsed: timer())
        } catch {
            try fail(change, error)
        }
    }

    private mutating func finish(_ change: ResourceChange, elapsed: Duration) {
        summary.outcomes.append(.init(address: change.address, outcome: .done(change.action)))
        context.emit(.completed(change.address, change.action, elapsed: elapsed))
    }

    private mutating func skip(_ change: ResourceChange, because reason: String) {
        unfinished.insert(change.address)
        summary.outcomes.append(.init(address: change.address, outcome: .skipped(change.action, reason: reason)))
        context.emit(.skipped(change.address, change.action, reason: reason))
    }

    /// Records a failure; state errors and cancellation stop the apply.
    private mutating func fail(_ change: ResourceChange, _ error: any Error) throws {
        if error is StateError || error is CancellationError { throw error }
        let message = "\(error)"
        unfinished.insert(change.address)
        summary.outcomes.append(.init(address: change.address, outcome: .failed(change.action, message: message)))
        context.emit(.failed(change.address, change.action, message: message))
    }
}
