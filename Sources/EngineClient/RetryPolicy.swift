/// When and how long ``RemoteEngine`` waits before trying again: throttling, 5xx answers and failed
/// connections, with "full jitter" exponential backoff (a random wait up to `base · 2^(attempt-1)`,
/// capped), at most `maximumAttempts` tries in all.
package struct RetryPolicy: Sendable, Hashable {
    /// Tries in all, the first included (1 = never retry).
    package var maximumAttempts: Int
    /// The backoff of the first retry.
    package var base: Duration
    /// The longest single wait.
    package var cap: Duration
    /// The timeout of one attempt.
    package var timeout: Duration

    package init(
        maximumAttempts: Int = 4, base: Duration = .milliseconds(100), cap: Duration = .seconds(5),
        timeout: Duration = .seconds(60)
    ) {
        self.maximumAttempts = maximumAttempts
        self.base = base
        self.cap = cap
        self.timeout = timeout
    }

    /// Error names that mean "slow down", as the AWS SDKs list them.
    package static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Whether an error answer is worth another try.
    func shouldRetry(status: Int, code: String, attempt: Int) -> Bool {
        guard attempt < maximumAttempts else { return false }
        return status >= 500 || status == 429 || Self.throttlingCodes.contains(code)
    }

    /// Whether a request that got no answer (connection refused, reset, timed out) is worth another try.
    func shouldRetryTransportError(attempt: Int) -> Bool {
        attempt < maximumAttempts
    }

    /// The wait after failed attempt number `attempt` (1-based): uniform in
    /// `0 ... min(cap, base · 2^(attempt-1))`.
    package func delay<Generator: RandomNumberGenerator>(
        afterAttempt attempt: Int, using generator: inout Generator
    ) -> Duration {
        let ceiling = min(cap, base * (1 << min(max(attempt - 1, 0), 30)))
        let limit = nanoseconds(ceiling)
        guard limit > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...limit, using: &generator))
    }

    /// ``delay(afterAttempt:using:)`` with the system's generator.
    package func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }
}
