public import Foundation
package import ObjectStore
package import PersonalizeRules

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
    /// How many CPU computations (trainings, imports, model loads, candidate lists, batch scoring) run at once on
    /// the engine's worker threads; more wait their turn (0 = the number of cores, at least 4).
    public var workerThreads: Int = 0
    /// How long, in seconds, a deleted resource is still found by Describe and List after its Delete: half of
    /// it `DELETE PENDING`, half `DELETE IN_PROGRESS`, then it is gone. The service takes minutes, and clients
    /// written for it wait while Describe finds the resource; 0 (the default: embedded use, tests) removes it
    /// at once in the background. `tailor serve` uses ``serviceLikeDeletionDelay`` unless told otherwise.
    public var deletionDelay: Double = 0
    /// The deletion window `tailor serve` gives by default: short, but long enough for a client's polling
    /// loop to see `DELETE PENDING` and `DELETE IN_PROGRESS`, as it would on the service.
    public static let serviceLikeDeletionDelay: Double = 2
    /// How long a request for a campaign or recommender whose model is loading (the first requests after a start)
    /// waits for the load before it is answered `ServiceUnavailable` (HTTP 503 with `Retry-After`, which the AWS
    /// SDKs retry); nil (the default: embedded use) waits until it is loaded. Each model loads once whatever the
    /// traffic. `tailor serve` uses ``serviceModelLoadWait`` unless told otherwise.
    public var modelLoadWait: Duration? = nil
    /// The wait `tailor serve` gives by default.
    public static let serviceModelLoadWait: Duration = .seconds(5)
    /// How many requests may wait for one model load; more are answered `ServiceUnavailable` at once.
    public var modelLoadWaiters = 1024
    /// The exact per-user answers precomputed when a user-personalization campaign is deployed.
    public var candidateLists = CandidateListSettings()
    /// Folders whose files jobs may read and write (imports, exports, batch jobs, data deletion, attribution
    /// reports), besides the data folder's own `files/` area, which is always allowed. A location outside
    /// them, once links and `..` are resolved, is refused (see `UserDataStore`).
    public var allowedPaths: [URL] = []
    /// The S3 store jobs read and write `s3://` locations through (an S3-compatible endpoint, or AWS S3); nil
    /// refuses `s3://` locations with a message that says how to configure one.
    package var s3: S3Configuration? = nil
    /// Called by an import after each chunk it committed to its staging table, with the staging table's name and the
    /// rows so far, outside any transaction (tests pause an import there).
    package var afterImportChunk: (@Sendable (_ staging: String, _ rows: Int) -> Void)? = nil

    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }

    /// ``workerThreads``, with 0 resolved.
    var resolvedWorkerThreads: Int {
        workerThreads > 0 ? workerThreads : max(4, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// How many answers a campaign precomputes: its most active users' best items over the whole catalogue, so
/// that their requests need not score it (the answers are exact: see `CandidateLists`).
///
/// Memory is about `(depth + explorationDepth) × 8` bytes per user plus their history's IDs: 2.4 KB per user
/// with the defaults, 120 MB for 50,000 users.
public struct CandidateListSettings: Sendable {
    /// Users precomputed per campaign, the most active first; 0 turns precomputing off.
    public var users = 50_000
    /// Items kept per user: requests (filters included) that need no more of the best items are answered
    /// from them.
    public var depth = 200
    /// Exploration candidates kept per user.
    public var explorationDepth = 100

    public init() {}
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
    /// Dataset groups (per region in the service).
    public var maximumDatasetGroups = Quota.datasetGroups.defaultLimit
    /// Schemas (per region in the service).
    public var maximumSchemas = Quota.schemas.defaultLimit
    /// Solutions per dataset group.
    public var maximumSolutionsPerDatasetGroup = Quota.solutionsPerDatasetGroup.defaultLimit
    /// Solution versions that may be pending or in progress at once.
    public var maximumPendingSolutionVersions = Quota.pendingSolutionVersions.defaultLimit
    /// Batch inference jobs that may be pending or in progress at once.
    public var maximumPendingBatchInferenceJobs = 5
    /// Recommenders per dataset group (the quotas table; the guide's text says 15 per region).
    public var maximumRecommendersPerDatasetGroup = 5
    /// Filters per dataset group.
    public var maximumFiltersPerDatasetGroup = Quota.filtersPerDatasetGroup.defaultLimit
    /// Distinct dataset fields all the filters of a dataset group may use together.
    public var maximumFilterFieldsPerDatasetGroup = 10
    /// A user's latest item interactions per event type that filters consider.
    public var filterInteractionsPerEventType = 100
    /// A user's latest action interactions per event type that filters consider.
    public var filterActionInteractionsPerEventType = 300
    /// Bytes a FULL import job may read (the guide: 100 GB per FULL import).
    public var maximumFullImportBytes = 100 << 30
    /// Bytes an INCREMENTAL import job may read (the guide: 1 GB per INCREMENTAL import).
    public var maximumIncrementalImportBytes = 1 << 30

    public init() {}

    /// The configured limit of `quota`.
    package func limit(of quota: Quota) -> Int {
        switch quota {
        case .datasetGroups: maximumDatasetGroups
        case .schemas: maximumSchemas
        case .solutionsPerDatasetGroup: maximumSolutionsPerDatasetGroup
        case .filtersPerDatasetGroup: maximumFiltersPerDatasetGroup
        case .pendingSolutionVersions: maximumPendingSolutionVersions
        }
    }

    /// The quotas by the names `limits.json` uses.
    public static var names: [String: WritableKeyPath<EngineLimits, Int>] {
        [
            "minimumInteractionsPerImport": \.minimumInteractionsPerImport,
            "minimumTrainingInteractions": \.minimumTrainingInteractions,
            "minimumUsersWithTwoInteractions": \.minimumUsersWithTwoInteractions,
            "maximumPendingImportJobs": \.maximumPendingImportJobs,
            "maximumActiveCampaignsPerDatasetGroup": \.maximumActiveCampaignsPerDatasetGroup,
            "maximumPendingDataDeletionJobsPerDatasetGroup": \.maximumPendingDataDeletionJobsPerDatasetGroup,
            "maximumDatasetGroups": \.maximumDatasetGroups,
            "maximumSchemas": \.maximumSchemas,
            "maximumSolutionsPerDatasetGroup": \.maximumSolutionsPerDatasetGroup,
            "maximumPendingSolutionVersions": \.maximumPendingSolutionVersions,
            "maximumPendingBatchInferenceJobs": \.maximumPendingBatchInferenceJobs,
            "maximumRecommendersPerDatasetGroup": \.maximumRecommendersPerDatasetGroup,
            "maximumFiltersPerDatasetGroup": \.maximumFiltersPerDatasetGroup,
            "maximumFilterFieldsPerDatasetGroup": \.maximumFilterFieldsPerDatasetGroup,
            "filterInteractionsPerEventType": \.filterInteractionsPerEventType,
            "filterActionInteractionsPerEventType": \.filterActionInteractionsPerEventType,
            "maximumFullImportBytes": \.maximumFullImportBytes,
            "maximumIncrementalImportBytes": \.maximumIncrementalImportBytes,
        ]
    }

    /// Applies the overrides of a `limits.json` file: an object of quota names to non-negative integers,
    /// e.g. `{"maximumDatasetGroups": 50}` to raise a quota for local use.
    ///
    /// - Throws: ``LimitsFileError`` naming the file and the unknown name or bad value.
    public mutating func apply(file: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw LimitsFileError(file: file.path, message: "cannot be read: \(error.localizedDescription)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LimitsFileError(file: file.path, message: "must be a JSON object of quota names to integers")
        }
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let path = Self.names[name] else {
                let known = Self.names.keys.sorted().joined(separator: ", ")
                throw LimitsFileError(file: file.path, message: "unknown quota '\(name)'; known: \(known)")
            }
            guard let number = value as? Int, !(value is Bool), number >= 0 else {
                throw LimitsFileError(file: file.path, message: "'\(name)' must be a non-negative integer")
            }
            self[keyPath: path] = number
        }
    }

}

/// A `limits.json` that cannot be used.
public struct LimitsFileError: Error, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
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
