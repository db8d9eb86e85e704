import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

/// A resource whose creation runs in the background (or a campaign's or recommender's latest update, which runs
/// likewise): a status, a failure reason and an update time.
protocol JobResource: StatusReporting, Codable {
    var status: String? { get set }
    var failureReason: String? { get set }
    var lastUpdatedDateTime: Date? { get set }
}

extension DatasetImportJob: JobResource {}
extension DatasetExportJob: JobResource {}
extension DataDeletionJob: JobResource {}
extension BatchInferenceJob: JobResource {}
extension BatchSegmentJob: JobResource {}
extension SolutionVersion: JobResource {}
extension Recommender: JobResource {}
extension Campaign: JobResource {}
extension CampaignUpdateSummary: JobResource {}
extension RecommenderUpdateSummary: JobResource {}
extension EngineAPI.Filter: JobResource {}
extension MetricAttribution: JobResource {}

extension EnginePart {
    /// The `failureReason` a job that failed with `error` reports: the message of the engine's own errors,
    /// else a generic one (the detail, which may hold paths or database text, goes to the log only).
    func failureReason(_ error: any Error, job arn: String) -> String {
        switch error {
        case let error as PersonalizeError: return error.message
        case let error as ImportFailure: return error.reason
        case let error as TrainingFailure: return error.reason
        case is CancellationError: return ResourceStore.shutDownReason
        default:
            logger.error("job failed", metadata: ["job": "\(arn)", "error": "\(String(reflecting: error))"])
            return "Internal error (\(type(of: error))); the server's log has the detail."
        }
    }

    /// Runs the work of job `arn`, which records the job's progress and outcome itself; when it throws, the job
    /// moves to `failed` with the reason ``failureReason(_:job:)`` gives, and a warning is logged.
    func runningJob<Job: JobResource>(
        _ type: Job.Type, _ arn: String, kind: ResourceType, failed: String = Status.createFailed,
        _ work: () async throws -> Void
    ) async {
        do {
            try await work()
        } catch {
            let reason = failureReason(error, job: arn)
            logger.warning("\(kind.displayName) failed: \(reason)", metadata: ["job": "\(arn)"])
            _ = try? await setJobStatus(type, arn, kind: kind, failed, failureReason: reason)
        }
    }

    /// Moves resource `arn` of `kind`, whose request was checked when it was made, to ACTIVE when it is still in
    /// `pending` (the background step of a filter's creation and a metric attribution's creation or update).
    func activate<Resource: JobResource>(
        _ type: Resource.Type, _ arn: String, kind: ResourceType, from pending: Set<String> = [Status.createPending]
    ) async {
        let date = now
        do {
            try await write { db in
                try ResourceStore.activate(db, type, arn, kind: kind, at: date) { pending.contains($0 ?? "") }
            }
        } catch {
            logger.warning("\(kind.displayName) activation not recorded: \(error)", metadata: ["resource": "\(arn)"])
        }
    }

    /// Moves job `arn` to `status` (with `failureReason`, cleared otherwise), applying `change` too.
    @discardableResult
    func setJobStatus<Job: JobResource>(
        _ type: Job.Type, _ arn: String, kind: ResourceType, _ status: String, failureReason: String? = nil,
        change: @escaping @Sendable (inout Job) -> Void = { _ in }
    ) async throws -> Job {
        let date = clock.now()
        return try await database.pool.write { db in
            try ResourceStore.setJobStatus(
                db, type, arn, kind: kind, status, failureReason: failureReason, at: date, change: change)
        }
    }
}

extension ResourceStore {
    /// The failure reason of a job whose work was cancelled because the engine shut down before it started.
    static let shutDownReason = "Interrupted: the engine shut down before this job's work started. Create it again."

    /// Moves resource `arn` to ACTIVE when `isPending` says its status is one a background step completes (any
    /// status by default: recovery has chosen the rows already).
    static func activate<Resource: JobResource>(
        _ db: Database, _ type: Resource.Type, _ arn: String, kind: ResourceType, at date: Date,
        if isPending: (String?) -> Bool = { _ in true }
    ) throws {
        _ = try update(db, Resource.self, arn: arn, kind: kind, at: date, status: \.status) { resource in
            guard isPending(resource.status) else { return }
            resource.status = Status.active
            resource.lastUpdatedDateTime = date
        }
    }

    /// Moves job `arn` to `status` inside a transaction the caller holds (see ``EnginePart/setJobStatus``).
    @discardableResult
    static func setJobStatus<Job: JobResource>(
        _ db: Database, _ type: Job.Type, _ arn: String, kind: ResourceType, _ status: String,
        failureReason: String? = nil, at date: Date, change: (inout Job) -> Void = { _ in }
    ) throws -> Job {
        try ResourceStore.update(db, type, arn: arn, kind: kind, at: date, status: \.status) { job in
            job.status = status
            job.failureReason = failureReason
            job.lastUpdatedDateTime = date
            change(&job)
        }
    }
}
