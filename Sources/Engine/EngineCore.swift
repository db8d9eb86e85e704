import EngineAPI
package import Foundation
package import GRDB
package import Logging
import ObjectStore
package import PersonalizeRules

/// What every part of the engine works with: the data folder's stores and the engine's background services.
/// All of them are `Sendable` references or values; none is owned by a part. A class, so that a part reaching
/// `database` or `clock` through it (on every request) retains one reference rather than copying eight.
package final class EngineServices: Sendable {
    package let configuration: EngineConfiguration
    package let database: EngineDatabase
    package let clock: any EngineClock
    package let logger: Logger
    package let models: ModelStore
    /// The only way to users' files (see ``UserDataStore``).
    package let userData: UserDataStore
    /// Every background task and the threads for CPU work (see ``JobRunner``).
    package let jobs: JobRunner
    /// Every commit of the database, as far as precomputed answers care (see ``DataChangeObserver``).
    package let dataChanges: DataChangeObserver

    init(
        configuration: EngineConfiguration, database: EngineDatabase, clock: any EngineClock, logger: Logger,
        models: ModelStore, userData: UserDataStore, jobs: JobRunner, dataChanges: DataChangeObserver
    ) {
        self.configuration = configuration
        self.database = database
        self.clock = clock
        self.logger = logger
        self.models = models
        self.userData = userData
        self.jobs = jobs
        self.dataChanges = dataChanges
    }
}

/// A part of the engine with the ``EngineServices`` at hand.
package protocol EngineContext: Sendable {
    var services: EngineServices { get }
}

extension EngineContext {
    package var configuration: EngineConfiguration { services.configuration }
    package var database: EngineDatabase { services.database }
    package var clock: any EngineClock { services.clock }
    package var logger: Logger { services.logger }
    package var models: ModelStore { services.models }
    package var userData: UserDataStore { services.userData }
    package var jobs: JobRunner { services.jobs }
    package var dataChanges: DataChangeObserver { services.dataChanges }
    package var now: Date { clock.now() }

    package func arn(_ kind: ResourceType, _ path: String) -> String {
        ARN(
            region: configuration.region, account: configuration.account, resourceType: kind.rawValue,
            resource: path
        ).description
    }

    /// Runs `body` in a write transaction; a `PersonalizeError` thrown inside rolls it back.
    package func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await database.pool.write(body)
    }

    package func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await database.pool.read(body)
    }

    /// Runs `work` as a tracked background job named `key` (see ``JobRunner``).
    package func startBackgroundJob(_ key: String, _ work: @escaping @Sendable () async -> Void) {
        jobs.start(key, work)
    }

    /// Whether the background job `key` started by this process is still running.
    func isBackgroundJobRunning(_ key: String) -> Bool {
        jobs.isRunning(key)
    }

    /// Runs the synchronous, CPU-bound `body` on the engine's worker pool (see ``JobRunner/compute(_:)``).
    package func compute<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await jobs.compute(body)
    }
}

/// The engine's shared state: the open data folder (its lock, database and model files), the job runner, and
/// the serving runtime. ``LocalEngine`` holds one; every part of the engine is a value made from it.
package final class EngineCore: EngineContext, EngineCoreHolder {
    package let services: EngineServices
    package var core: EngineCore { self }
    /// The deployed models and everything precomputed from them, read by requests (see ``ServingRuntime``).
    package let serving: ServingRuntime
    private let lock: DataDirectoryLock

    /// Opens `configuration.dataDirectory` (see ``LocalEngine/init(configuration:clock:logger:)``).
    init(configuration: EngineConfiguration, clock: any EngineClock, logger: Logger) throws {
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
        let database = try EngineDatabase(path: directory.appendingPathComponent("engine.sqlite").path)
        let dataChanges = DataChangeObserver()
        database.pool.add(transactionObserver: dataChanges, extent: .databaseLifetime)
        services = EngineServices(
            configuration: configuration, database: database, clock: clock, logger: logger,
            models: try ModelStore(directory: directory.appendingPathComponent("models")),
            userData: try UserDataStore(
                dataDirectory: directory, allowedPaths: configuration.allowedPaths,
                s3: configuration.s3.map { S3Client(configuration: $0) }),
            jobs: JobRunner(threads: configuration.resolvedWorkerThreads), dataChanges: dataChanges)
        serving = ServingRuntime(services: services)
    }
}

/// A part of the engine: a value made from the ``EngineCore`` that does one family of work (a control-plane
/// family, real-time serving, event ingestion, a kind of background job). Parts own no state; they reach each
/// other through the accessors below.
package protocol EnginePart: EngineContext, EngineCoreHolder {
    init(core: EngineCore)
}

/// What reaches the parts of the engine: the core itself and every part.
package protocol EngineCoreHolder: Sendable {
    var core: EngineCore { get }
}

extension EnginePart {
    package var services: EngineServices { core.services }
    package var serving: ServingRuntime { core.serving }
}

/// Every part, made from the core where it is asked for (parts own no state, so making one is free).
extension EngineCoreHolder {
    package var datasetControl: DatasetControl { DatasetControl(core: core) }
    package var modelControl: ModelControl { ModelControl(core: core) }
    package var recommenderControl: RecommenderControl { RecommenderControl(core: core) }
    package var batchControl: BatchControl { BatchControl(core: core) }
    package var tagControl: TagControl { TagControl(core: core) }
    package var resourceReads: ResourceReads { ResourceReads(core: core) }
    package var resourceDeletion: ResourceDeletion { ResourceDeletion(core: core) }
    package var realTimeServing: RealTimeServing { RealTimeServing(core: core) }
    package var eventIngestion: EventIngestion { EventIngestion(core: core) }
    package var dataJobs: DataJobs { DataJobs(core: core) }
    package var batchJobs: BatchJobs { BatchJobs(core: core) }
    package var trainingJobs: TrainingJobs { TrainingJobs(core: core) }
    package var campaignDeployment: CampaignDeployment { CampaignDeployment(core: core) }
    package var autoTraining: AutoTraining { AutoTraining(core: core) }
}
