public import EngineAPI
public import Logging

/// The embedded Amazon Personalize: SQLite (GRDB) and model files in one data folder.
///
/// A thin front: ``send(_:)`` checks a request and hands it to the engine part for its operation (the methods, one
/// per operation, are generated from a routing table: `scripts/generate-engine-front`). The parts are
/// values made from one ``EngineCore`` (the data folder, the job runner, the serving runtime): the control plane
/// (`ControlPlane/`), real-time serving (`Serving/`), streaming events (`Events/`), and the jobs (`Jobs/`,
/// `Training/`, `Scheduler/`).
///
/// Create* operations return at once; imports, training and deployments run in the background and
/// move the resource through Personalize's statuses, and so do deletions (`DELETE PENDING`,
/// `DELETE IN_PROGRESS`, then gone). A process that dies mid-job leaves the job to be marked
/// `CREATE FAILED` ("interrupted") the next time the folder is opened; a deletion it left is finished then.
public final class LocalEngine: PersonalizeService, PersonalizeHandler {
    package let core: EngineCore

    /// Opens the engine on `configuration.dataDirectory`, creating it if needed, and recovers jobs a
    /// previous process left unfinished. A `limits.json` in the folder overrides quotas of
    /// `configuration.limits` (``EngineLimits/apply(file:)``).
    ///
    /// - Throws: ``EngineError`` when the folder is unusable or used by another process.
    public init(configuration: EngineConfiguration, clock: any EngineClock = SystemClock(), logger: Logger) throws {
        core = try EngineCore(configuration: configuration, clock: clock, logger: logger)
        try core.resourceDeletion.finishInterruptedDeletions()
        try Recovery.markInterruptedJobs(in: core.database, at: clock.now())
    }

    /// Checks the request against the service model's constraints, then hands it to this engine's method for its
    /// operation (``PersonalizeOperation/dispatch(to:)``; the engine is a ``PersonalizeHandler``, so an operation
    /// without a method is a compile error, not a run-time one). No lock is taken here: each part reads and writes
    /// through SQLite transactions and the serving runtime's own locks.
    public func send<Operation: PersonalizeOperation>(_ request: Operation) async throws -> Operation.Response {
        try request.validateConstraints()
        return try await request.dispatch(to: self)
    }

    /// Waits until every background job started so far, and every job they start, has finished (for tests and the
    /// CLI's one-shot commands).
    public func waitForBackgroundJobs() async {
        await core.jobs.waitForJobs()
    }

    /// Stops the background work for an orderly exit: no job starts after this; timers and queued CPU work are
    /// cancelled (their jobs fail as interrupted); running work is awaited, so nothing is cut mid-write. The engine
    /// answers requests afterwards but starts no more background work.
    public func shutdown() async {
        await core.jobs.shutdown()
    }

    // MARK: Tailor's own operations, beyond Personalize's API

    /// Starts the automatic trainings that are due (`tailor serve`'s scheduler calls it every minute, `tailor
    /// engine tick` once).
    public func runDueAutoTraining() async throws -> AutoTrainingReport {
        try await core.autoTraining.runDueAutoTraining()
    }

    /// The offline metrics of a solution version, per recipe and fold (`tailor evaluate`).
    package func evaluationReport(solutionVersionArn: String) async throws -> EvaluationReport {
        try await core.trainingJobs.evaluationReport(solutionVersionArn: solutionVersionArn)
    }

    /// The rows of a metric attribution's report (`tailor engine attribution-report`).
    package func metricAttributionReport(arn: String) async throws -> [AttributionReportRow] {
        try await core.batchControl.metricAttributionReport(arn: arn)
    }

    /// Per campaign with candidate lists: the users precomputed, the bytes they hold and the seconds they took
    /// (`tailor serve`'s `/metrics`).
    package var candidateListSummary: [(campaignArn: String, users: Int, bytes: Int, seconds: Double)] {
        core.serving.candidateListSummary
    }
}
