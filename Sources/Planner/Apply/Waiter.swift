import PersonalizeRules

/// Polls a resource until it reaches the awaited status, reporting each poll, within a timeout.
struct Waiter: Sendable {
    /// What is awaited.
    enum Goal: Sendable {
        /// The resource is ACTIVE.
        case active
        /// The resource's latest in-place update is ACTIVE.
        case updated
        /// The engine no longer has the resource.
        case gone
    }

    let pollInterval: Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private let stopwatch: @Sendable () -> @Sendable () -> Duration

    init<C: Clock>(clock: C, pollInterval: Duration) where C.Duration == Duration {
        self.pollInterval = pollInterval
        self.sleep = { try await clock.sleep(for: $0) }
        self.stopwatch = {
            let start = clock.now
            return { start.duration(to: clock.now) }
        }
    }

    /// Starts measuring time; the returned closure reads the time since.
    func startTimer() -> @Sendable () -> Duration {
        stopwatch()
    }

    /// Waits for `goal`.
    ///
    /// - Parameters:
    ///   - goal: What to wait for.
    ///   - address: The resource, for events and errors.
    ///   - what: What is awaited, in words ("the import job", "training").
    ///   - timeout: How long to wait.
    ///   - emit: Where progress goes.
    ///   - observe: Describes the resource; nil when the engine does not have it.
    /// - Returns: The last observation (nil when the goal is `gone`).
    /// - Throws: ``PlannerError`` when the resource fails, disappears, or the timeout passes.
    @discardableResult
    func wait(
        for goal: Goal, _ address: ResourceAddress, what: String, timeout: Duration,
        emit: @Sendable (ApplyEvent) -> Void, observe: () async throws -> Observation?
    ) async throws -> Observation? {
        let elapsed = stopwatch()
        var lastStatus = ""
        // Poll quickly at first (local jobs often finish in well under a second), then back off to the
        // configured interval, so short waits stay short and long ones stay cheap.
        var interval = min(pollInterval, .milliseconds(50))
        while true {
            let observation = try await observe()
            let status = Self.status(of: observation, for: goal)
            emit(
                .waiting(
                    address, what: what, status: status.description, elapsed: elapsed(),
                    statusChanged: status.description != lastStatus))
            lastStatus = status.description
            switch status {
            case .gone:
                guard goal == .gone else {
                    throw PlannerError.engine(
                        address: address, operation: what, reason: "it no longer exists in the engine")
                }
                return nil
            case .reached(.failed(let status)) where goal != .gone:
                let reason = goal == .updated ? observation?.updateFailureReason : observation?.failureReason
                throw PlannerError.engine(address: address, operation: what, reason: reason ?? status)
            case .reached(.deleting(let status)) where goal != .gone:
                throw PlannerError.engine(address: address, operation: what, reason: "it is being deleted (\(status))")
            case .reached(.active) where goal != .gone:
                return observation
            case .reached(.active), .reached(.inProgress), .reached(.deleting), .reached(.failed):
                break
            }
            if elapsed() >= timeout {
                throw PlannerError.timedOut(address: address, waitingFor: what, after: timeout, lastStatus: lastStatus)
            }
            try await sleep(interval)
            interval = min(interval * 2, pollInterval)
        }
    }

    private enum Seen: CustomStringConvertible {
        case reached(ResourceStatus)
        case gone

        var description: String {
            switch self {
            case .reached(let status): status.description
            case .gone: "DELETED"
            }
        }
    }

    private static func status(of observation: Observation?, for goal: Goal) -> Seen {
        guard let observation else { return .gone }
        if goal == .updated, let update = observation.updateStatus { return .reached(update) }
        return .reached(observation.status)
    }
}
