public import EngineAPI
package import Foundation
import GRDB
public import Logging
package import PersonalizeRules
import Recipes

/// The embedded Amazon Personalize: SQLite (GRDB) and model files in one data folder.
///
/// Create* operations return at once; imports, training and deployments run in the background and
/// move the resource through Personalize's statuses, and so do deletions (`DELETE PENDING`,
/// `DELETE IN_PROGRESS`, then gone). A process that dies mid-job leaves the job to be marked
/// `CREATE FAILED` ("interrupted") the next time the folder is opened; a deletion it left is finished then.
public actor LocalEngine: PersonalizeService, PersonalizeHandler {
    package let configuration: EngineConfiguration
    package let database: EngineDatabase
    package let clock: any EngineClock
    package let logger: Logger
    package let models: ModelStore
    /// The only way to users' files (see ``UserDataStore``).
    package nonisolated let userData: UserDataStore
    private let lock: DataDirectoryLock
    /// Every background task and the threads for CPU work (see ``JobRunner``).
    package nonisolated let jobs: JobRunner
    package var deployed: [String: DeployedModel] = [:] {
        didSet { deployedModelsChanged(from: oldValue) }
    }
    /// Every commit of the database, as far as precomputed answers care (see ``DataChangeObserver``).
    package nonisolated let dataChanges = DataChangeObserver()
    /// The campaigns' precomputed answers, read by requests without the actor.
    package nonisolated let candidateLists = CandidateListStore()
    /// The campaigns GetRecommendations served lately, while no resource changed.
    nonisolated let servedCampaigns = ServedCampaignCache()
    /// Campaigns whose candidate lists are being computed (one computation per campaign at a time).
    var candidateListBuilds: Set<String> = []
    /// The model load each campaign's lists were last computed (or attempted) for.
    var candidateListAttempts: [String: UUID] = [:]
    /// Exploration pools per served model, refreshed when their data changed (see `explorationPool`); read by
    /// requests without the actor.
    nonisolated let explorationPools = DerivationCache<ExplorationPoolKey, ExplorationPool>()
    /// The refresh of each exploration pool in progress: requests that find it stale wait for the one refresh.
    var explorationRefreshes: [ExplorationPoolKey: (token: UUID, task: Task<ExplorationPool, any Error>)] = [:]
    /// Item-metadata similarity per dataset group (similar-items), refreshed like the exploration pools.
    var metadataIndexes: [String: CachedDerivation<MetadataSimilarity>] = [:]
    /// What the interactions say about each context asked for, per dataset group (contextual metadata).
    var contextProfiles: [String: ContextProfile] = [:]

    /// Opens the engine on `configuration.dataDirectory`, creating it if needed, and recovers jobs a
    /// previous process left unfinished. A `limits.json` in the folder overrides quotas of
    /// `configuration.limits` (``EngineLimits/apply(file:)``).
    ///
    /// - Throws: ``EngineError`` when the folder is unusable or used by another process.
    public init(configuration: EngineConfiguration, clock: any EngineClock = SystemClock(), logger: Logger) throws {
        let directory = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EngineError.cannotOpenDataDirectory(directory.path, reason: error.localizedDescription)
        }
        self.lock = try DataDirectoryLock(directory: directory)
        var configuration = configuration
        let limitsFile = directory.appendingPathComponent("limits.json")
        if FileManager.default.fileExists(atPath: limitsFile.path) {
            do {
                try configuration.limits.apply(file: limitsFile)
            } catch let error as LimitsFileError {
                throw EngineError.cannotOpenDataDirectory(directory.path, reason: error.description)
            }
        }
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.database = try EngineDatabase(path: directory.appendingPathComponent("engine.sqlite").path)
        database.pool.add(transactionObserver: dataChanges, extent: .databaseLifetime)
        self.models = try ModelStore(directory: directory.appendingPathComponent("models"))
        self.userData = try UserDataStore(dataDirectory: directory, allowedPaths: configuration.allowedPaths)
        self.jobs = JobRunner(threads: configuration.resolvedWorkerThreads)
        try finishInterruptedDeletions()
        try Recovery.markInterruptedJobs(in: database, at: clock.now())
    }

    /// Checks the request against the service model's constraints, then hands it to this engine's method for its
    /// operation (``PersonalizeOperation/dispatch(to:)``; the engine is a ``PersonalizeHandler``, so an operation
    /// without a method is a compile error, not a run-time one).
    ///
    /// Nonisolated: GetRecommendations (and the other `nonisolated` handlers) run outside the actor, which is
    /// visited only when they need it; every other handler is actor-isolated, so the call hops onto the actor.
    public nonisolated func send<Operation: PersonalizeOperation>(_ request: Operation) async throws
        -> Operation.Response
    {
        try request.validateConstraints()
        return try await request.dispatch(to: self)
    }

    /// Waits until every background job started so far, and every job they start, has finished (for tests and the
    /// CLI's one-shot commands).
    public func waitForBackgroundJobs() async {
        await jobs.waitForJobs()
    }

    /// Stops the background work for an orderly exit: no job starts after this; timers and queued CPU work are
    /// cancelled (their jobs fail as interrupted); running work is awaited, so nothing is cut mid-write. The engine
    /// answers requests afterwards but starts no more background work.
    public func shutdown() async {
        await jobs.shutdown()
    }

    /// Runs `work` as a tracked background job named `key` (see ``JobRunner``).
    package nonisolated func startBackgroundJob(_ key: String, _ work: @escaping @Sendable () async -> Void) {
        jobs.start(key, work)
    }

    /// Whether the background job `key` started by this process is still running.
    nonisolated func isBackgroundJobRunning(_ key: String) -> Bool {
        jobs.isRunning(key)
    }

    /// Runs the synchronous, CPU-bound `body` on the engine's worker pool (see ``JobRunner/compute(_:)``).
    package nonisolated func compute<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await jobs.compute(body)
    }

    package var now: Date { clock.now() }

    package nonisolated func arn(_ kind: ResourceType, _ path: String) -> String {
        ARN(
            region: configuration.region, account: configuration.account, resourceType: kind.rawValue,
            resource: path
        ).description
    }
}
