public import Foundation

/// Where the engine keeps its data and how it names and limits resources.
public struct EngineConfiguration: Sendable {
    /// The folder holding `engine.sqlite` and `models/`.
    public var dataDirectory: URL
    /// The region written into ARNs.
    public var region: String = "local"
    /// The account written into ARNs.
    public var account: String = "000000000000"
    /// Quotas and minimums of the guide; lower them for small local experiments.
    public var limits = EngineLimits()
    /// The seed of every random choice (hold-out split, model initialisation).
    public var seed: UInt64 = 42
    /// How many CPU threads training may use (0 = all cores).
    public var trainingThreads: Int = 0

    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }
}

/// The guide's minimums and quotas.
public struct EngineLimits: Sendable {
    /// Records an import job into an Interactions dataset must hold.
    public var minimumInteractionsPerImport = 1000
    /// Interactions a solution version needs after event type/value filtering.
    public var minimumTrainingInteractions = 1000
    /// Users with at least two interactions a solution version needs.
    public var minimumUsersWithTwoInteractions = 25
    /// Dataset import jobs that may be pending or in progress at once.
    public var maximumPendingImportJobs = 5
    /// Active campaigns per dataset group.
    public var maximumActiveCampaignsPerDatasetGroup = 5
    /// Data deletion jobs in PENDING status per dataset group.
    public var maximumPendingDataDeletionJobsPerDatasetGroup = 5

    public init() {}
}

/// The engine's source of the current time; tests pass a clock they can move.
public protocol EngineClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: EngineClock {
    public init() {}
    public func now() -> Date { Date() }
}
