public import Engine
public import EngineAPI
public import Foundation
import Logging
package import ObjectStore

/// An embedded engine on a temporary folder, with the helpers tests need to drive it.
public struct EngineHarness: Sendable {
    public let directory: TemporaryDirectory
    public let engine: LocalEngine

    /// Opens an engine whose minimums suit small test data (100 interactions, 5 users).
    ///
    /// - Parameter clock: The engine's clock (the wall clock unless a test wants to move time).
    /// - Parameter candidateLists: How campaigns precompute answers (the engine's defaults unless given).
    /// - Parameter deletionDelay: How long deleted resources stay `DELETE PENDING` (seconds).
    public init(
        limits: EngineLimits? = nil, clock: any EngineClock = SystemClock(),
        candidateLists: CandidateListSettings? = nil, deletionDelay: Double = 0
    ) throws {
        directory = try TemporaryDirectory("tailor-engine")
        engine = try Self.open(
            directory.url.appendingPathComponent("data"), limits: limits, clock: clock, deletionDelay: deletionDelay,
            candidateLists: candidateLists)
    }

    /// Opens an engine as ``init(limits:clock:candidateLists:deletionDelay:)`` does, whose jobs reach `s3://`
    /// locations through the S3 store `s3`.
    package init(s3: S3Configuration) throws {
        directory = try TemporaryDirectory("tailor-engine")
        engine = try Self.open(directory.url.appendingPathComponent("data"), s3: s3)
    }

    /// The folder the engine keeps its data in (to reopen it after a simulated restart).
    public var dataDirectory: URL { directory.url.appendingPathComponent("data") }

    /// Opens an engine on `dataDirectory` whose jobs may use the files of `allowedPaths` (by default the folder
    /// around the data folder, where tests write their files).
    public static func open(
        _ dataDirectory: URL, limits: EngineLimits? = nil, clock: any EngineClock = SystemClock(),
        deletionDelay: Double = 0, candidateLists: CandidateListSettings? = nil, allowedPaths: [URL]? = nil
    ) throws -> LocalEngine {
        try open(
            dataDirectory, limits: limits, clock: clock, deletionDelay: deletionDelay, candidateLists: candidateLists,
            allowedPaths: allowedPaths, s3: nil)
    }

    /// Opens an engine as ``open(_:limits:clock:deletionDelay:candidateLists:allowedPaths:)`` does, whose jobs
    /// reach `s3://` locations through `s3` (refused when nil).
    package static func open(
        _ dataDirectory: URL, limits: EngineLimits? = nil, clock: any EngineClock = SystemClock(),
        deletionDelay: Double = 0, candidateLists: CandidateListSettings? = nil, allowedPaths: [URL]? = nil,
        s3: S3Configuration?
    ) throws -> LocalEngine {
        var configuration = EngineConfiguration(dataDirectory: dataDirectory)
        configuration.s3 = s3
        configuration.allowedPaths = allowedPaths ?? [dataDirectory.deletingLastPathComponent()]
        configuration.deletionDelay = deletionDelay
        if let candidateLists { configuration.candidateLists = candidateLists }
        configuration.limits = limits ?? Self.smallLimits
        configuration.trainingThreads = 2
        var logger = Logger(label: "tailor.test")
        logger.logLevel = .error
        return try LocalEngine(configuration: configuration, clock: clock, logger: logger)
    }

    public static var smallLimits: EngineLimits {
        var limits = EngineLimits()
        limits.minimumInteractionsPerImport = 100
        limits.minimumTrainingInteractions = 100
        limits.minimumUsersWithTwoInteractions = 5
        return limits
    }

    /// Polls `describe` after a Delete until it throws `ResourceNotFoundException` (deletion runs in the
    /// background, as in the service), for at most `timeout` seconds; returns whether the resource is gone.
    public static func waitUntilGone(
        timeout: Double = 60, _ describe: @Sendable () async throws -> Void
    ) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            do {
                try await describe()
            } catch let error as PersonalizeError where error.code == .resourceNotFoundException {
                return true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Polls `status` until it leaves the pending and in-progress states (at most `timeout` seconds).
    public static func settle(
        timeout: Double = 120, _ status: @Sendable () async throws -> String?
    ) async throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let current = try await status()
            if let current, !current.hasSuffix("PENDING"), !current.hasSuffix("IN_PROGRESS") { return current }
            if Date() > deadline { return current }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Creates the event tracker `name` in the dataset group `group` on `service` and sends through it, for each `n`
    /// of `users`, the events `events(n)` of user `u<n>` in session `s<n>`; returns the tracking ID.
    public static func putEvents(
        tracker name: String, group: String, on service: some PersonalizeService, users: Range<Int>,
        _ events: (Int) -> [Event]
    ) async throws -> String {
        let tracking =
            try await service.send(CreateEventTrackerRequest(name: name, datasetGroupArn: group)).trackingId ?? ""
        for user in users {
            _ = try await service.send(
                PutEventsRequest(
                    trackingId: tracking, userId: "u\(user)", sessionId: "s\(user)", eventList: events(user)))
        }
        return tracking
    }

    /// Creates a dataset group, the synthetic interactions schema and dataset, and imports `csv`.
    /// Returns the dataset group ARN, the dataset ARN and the import job's final status.
    public func importInteractions(_ csv: String, group: String = "shop") async throws -> (String, String, String?) {
        let (groupArn, datasetArn) = try await Self.interactionsDataset(in: engine, group: group)
        let status = try await importCSV(csv, into: datasetArn, name: "\(group)-import")
        return (groupArn, datasetArn, status)
    }

    /// Creates the dataset group `group`, the synthetic interactions schema and an empty Interactions dataset on
    /// `service`; returns the group and dataset ARNs.
    public static func interactionsDataset(
        in service: some PersonalizeService, group: String
    ) async throws -> (group: String, dataset: String) {
        try await dataset(
            "\(group)-interactions", type: "Interactions", schema: SyntheticData.interactionsSchema, in: service,
            group: group)
    }

    /// Creates the dataset group `group`, the schema `name` of Avro `schema` and an empty dataset `name` of `type`
    /// on `service`; returns the group and dataset ARNs.
    public static func dataset(
        _ name: String, type: String, schema: String, in service: some PersonalizeService, group: String
    ) async throws -> (group: String, dataset: String) {
        let groupArn = try await service.send(CreateDatasetGroupRequest(name: group)).datasetGroupArn ?? ""
        return (groupArn, try await createDataset(name, type: type, schema: schema, inGroup: groupArn, on: service))
    }

    /// Creates the schema `name` of Avro `schema` (in `domain`, when given) and an empty dataset `name` of `type`
    /// in the dataset group `groupArn` on `service`; returns the dataset's ARN.
    public static func createDataset(
        _ name: String, type: String, schema: String, domain: Domain? = nil, inGroup groupArn: String,
        on service: some PersonalizeService
    ) async throws -> String {
        let schemaArn =
            try await service.send(CreateSchemaRequest(name: name, schema: schema, domain: domain)).schemaArn ?? ""
        return try await service.send(
            CreateDatasetRequest(name: name, schemaArn: schemaArn, datasetGroupArn: groupArn, datasetType: type)
        ).datasetArn ?? ""
    }

    /// Writes `csv` to `NAME.csv`, imports it into `datasetArn` with a job named `name`, and returns the job's
    /// status once it settled.
    public func importCSV(_ csv: String, into datasetArn: String, name: String) async throws -> String? {
        let file = try directory.write("\(name).csv", csv)
        let jobArn =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: name, datasetArn: datasetArn, dataSource: DataSource(dataLocation: file.path))
            ).datasetImportJobArn ?? ""
        let engine = self.engine
        return try await Self.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: jobArn)).datasetImportJob?.status
        }
    }

    /// Creates a solution without automatic training; returns its ARN.
    public func createSolution(
        _ name: String, recipe: String, group: String, solutionConfig: SolutionConfig? = nil
    ) async throws -> String {
        try await engine.send(
            CreateSolutionRequest(
                name: name, performAutoTraining: false, recipeArn: ARN.recipe(recipe), datasetGroupArn: group,
                solutionConfig: solutionConfig)
        ).solutionArn ?? ""
    }

    /// Creates a solution and trains one version; returns the version ARN and its final status.
    public func train(
        group: String, name: String, recipe: String, hyperParameters: [String: String]? = nil
    ) async throws -> (String, String?) {
        try await train(
            group: group, name: name, recipe: recipe,
            solutionConfig: SolutionConfig(algorithmHyperParameters: hyperParameters))
    }

    /// Creates a solution with `solutionConfig` and trains one version; returns the version ARN and its final
    /// status.
    public func train(
        group: String, name: String, recipe: String, solutionConfig: SolutionConfig
    ) async throws -> (String, String?) {
        let solutionArn = try await createSolution(name, recipe: recipe, group: group, solutionConfig: solutionConfig)
        let versionArn =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solutionArn))
            .solutionVersionArn ?? ""
        let engine = self.engine
        let status = try await Self.settle {
            try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: versionArn)).solutionVersion?
                .status
        }
        return (versionArn, status)
    }
}
