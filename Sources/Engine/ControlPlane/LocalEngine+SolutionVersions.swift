public import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension LocalEngine {
    public func createSolutionVersion(_ request: CreateSolutionVersionRequest) async throws
        -> CreateSolutionVersionResponse
    {
        if let name = request.name { try validateName(name) }
        let mode = request.trainingMode ?? .full
        let date = now
        let arn = try await write { db in
            let solution = try ResourceStore.load(db, Solution.self, arn: request.solutionArn, kind: .solution)
            try Self.checkTrainingMode(mode, solution: solution, db)
            return try self.insertSolutionVersion(
                db, solution: solution, name: request.name, mode: mode, type: .manual, at: date, tags: request.tags)
        }
        startTraining(arn)
        return CreateSolutionVersionResponse(solutionVersionArn: arn)
    }

    /// `FULL` always; `UPDATE` only for user-personalization once an ACTIVE `FULL` version exists (the
    /// guide's rule); `AUTOTRAIN` only from the automatic-training scheduler.
    private static func checkTrainingMode(_ mode: TrainingMode, solution: Solution, _ db: Database) throws {
        switch mode {
        case .full:
            return
        case .update:
            let recipe = try BuiltInRecipe.named(arn: solution.recipeArn ?? "")
            guard recipe.supports(.update) else {
                throw PersonalizeError.invalidInput(
                    "trainingMode UPDATE is only supported for solutions of the aws-user-personalization recipe; "
                        + "\(solution.solutionArn ?? "this solution") uses \(recipe.name). Use FULL.")
            }
            let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: solution.solutionArn)
                .map { try ResourceStore.decode(SolutionVersion.self, $0) }
            guard versions.contains(where: { $0.status == Status.active && $0.trainingMode != .update }) else {
                throw PersonalizeError.invalidInput(
                    "trainingMode UPDATE needs an ACTIVE solution version trained with FULL; "
                        + "\(solution.solutionArn ?? "this solution") has none. Create one with trainingMode FULL first."
                )
            }
        case .autotrain:
            throw PersonalizeError.invalidInput(
                "trainingMode AUTOTRAIN is reserved for versions that automatic training creates; use FULL or UPDATE.")
        default:
            throw PersonalizeError.invalidInput(
                "Invalid trainingMode '\(mode.rawValue)': use FULL or UPDATE.")
        }
    }

    /// Inserts a `CREATE PENDING` version of `solution`, refusing while another version is in progress.
    nonisolated func insertSolutionVersion(
        _ db: Database, solution: Solution, name: String?, mode: TrainingMode, type: TrainingType, at date: Date,
        tags: [Tag]?
    ) throws -> String {
        let solutionArn = solution.solutionArn ?? ""
        let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: solutionArn)
        if let running = versions.first(where: { Status.isTransient($0.status) }) {
            throw PersonalizeError.inUse(
                "Solution \(solutionArn) already has a solution version in progress: \(running.arn).")
        }
        try checkTrainingQuota(db)
        let versionID = String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(to: 8)
        let arn = arn(.solution, "\(solution.name ?? "")/\(versionID)")
        let version = SolutionVersion(
            name: name ?? versionID, solutionVersionArn: arn, solutionArn: solutionArn,
            performHPO: solution.performHPO, performAutoML: false,
            performIncrementalUpdate: solution.performIncrementalUpdate, recipeArn: solution.recipeArn,
            eventType: solution.eventType, datasetGroupArn: solution.datasetGroupArn,
            solutionConfig: solution.solutionConfig, trainingMode: mode, status: Status.createPending,
            creationDateTime: date, lastUpdatedDateTime: date, trainingType: type)
        try ResourceStore.insert(
            db, arn: arn, kind: .solutionVersion, name: version.name ?? versionID, parent: solutionArn,
            status: Status.createPending, at: date, body: version)
        try Self.storeTags(db, arn: arn, tags)
        return arn
    }

    /// Trains the version `arn` in the background; campaigns that follow its solution move to it once
    /// it is ACTIVE.
    func startTraining(_ arn: String) {
        startBackgroundJob(arn) { [self] in
            guard let solutionArn = await runTraining(arn: arn) else { return }
            await syncCampaigns(solutionArn: solutionArn)
        }
    }

    /// Trains the version `arn`; returns its solution's ARN when the version became ACTIVE.
    private nonisolated func runTraining(arn: String) async -> String? {
        let started = clock.now()
        do {
            let version = try await updateVersion(arn) { version in
                if version.status == Status.createPending { version.status = Status.createInProgress }
            }
            guard version.status == Status.createInProgress else { return nil }
            let recipe = try BuiltInRecipe.named(arn: version.recipeArn ?? "")
            let (artifact, metrics, tuned) =
                if version.trainingMode == .update, let updated = try await incrementalModel(version, recipe: recipe) {
                    (updated.artifact, updated.metrics, [String: String]?.none)
                } else {
                    try await trainModel(
                        recipe, datasetGroupArn: version.datasetGroupArn, eventType: version.eventType,
                        config: version.solutionConfig ?? SolutionConfig(), performHPO: version.performHPO == true)
                }
            let bytes = try artifact.serialized()
            try models.write(bytes, for: arn)
            let hours = clock.now().timeIntervalSince(started) / 3600
            let metricsData = try JSONEncoder().encode(metrics)
            let finished = try await updateVersion(arn) { version in
                guard version.status == Status.createInProgress else {
                    version.status = Status.createStopped
                    return
                }
                version.status = Status.active
                version.trainingHours = hours
                if let tuned { version.tunedHPOParams = TunedHPOParams(algorithmHyperParameters: tuned) }
            } also: { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO solution_metrics (solution_version_arn, metrics) VALUES (?, ?)",
                    arguments: [arn, metricsData])
            }
            if finished.status == Status.createStopped {
                models.remove(for: arn)
                return nil
            }
            logger.info("trained \(recipe.name)", metadata: ["solutionVersion": "\(arn)", "metrics": "\(metrics)"])
            return finished.solutionArn
        } catch {
            let reason = failureReason(error, job: arn)
            logger.warning("training failed: \(reason)", metadata: ["solutionVersion": "\(arn)"])
            _ = try? await updateVersion(arn) { version in
                version.status = version.status == Status.createStopping ? Status.createStopped : Status.createFailed
                version.failureReason = version.status == Status.createStopped ? nil : reason
            }
            return nil
        }
    }

    /// Loads the dataset group's interactions (after the event type and value filters), checks the guide's
    /// minimums and trains `recipe` on a background thread: the model file's contents and the offline metrics.
    /// With `performHPO`, the `hpoConfig` candidates are compared first (``RecipeTrainer/tuned(_:candidates:progress:)``)
    /// and the best one trains the model; its hyperparameters come back as the third value.
    nonisolated func trainModel(
        _ recipe: BuiltInRecipe, datasetGroupArn: String?, eventType: String?, config: SolutionConfig,
        performHPO: Bool = false
    ) async throws -> (ModelArtifact, [String: Double], [String: String]?) {
        let hyperParameters = try HyperParameters.resolve(config.algorithmHyperParameters ?? [:], recipe: recipe)
        if recipe.type == .personalizedActions {
            let data = try await loadActionTrainingData(datasetGroupArn: datasetGroupArn)
            let trainer = RecipeTrainer(
                recipe: recipe, hyperParameters: hyperParameters, seed: configuration.seed,
                threads: configuration.trainingThreads, given: config.algorithmHyperParameters ?? [:])
            return try await onThread {
                let (artifact, metrics) = trainer.trainActions(data)
                return (artifact, metrics, nil)
            }
        }
        let data = try await trainingData(datasetGroupArn: datasetGroupArn, eventType: eventType, config: config)
        let objective =
            recipe.takesOptimizationObjective
            ? try await database.pool.read { db in
                try Self.objectiveBoost(db, config: config, group: datasetGroupArn, itemIDs: data.itemIDs)
            } : nil
        var configured = RecipeTrainer(
            recipe: recipe, hyperParameters: hyperParameters, seed: configuration.seed,
            threads: configuration.trainingThreads, given: config.algorithmHyperParameters ?? [:],
            featureTransformation: config.featureTransformationParameters ?? [:])
        configured.objective = objective
        let trainer = configured
        let search =
            performHPO ? try HyperParameterSearch(config.hpoConfig, recipe: recipe, seed: configuration.seed) : nil
        let logger = self.logger
        return try await onThread {
            guard let search else {
                let (artifact, metrics) = try trainer.train(data)
                return (artifact, metrics, nil)
            }
            let (best, chosen, scores) = trainer.tuned(data, candidates: search.candidates)
            logger.info("HPO chose \(chosen) from \(search.candidates.count) candidates (NDCG@10 \(scores))")
            let (artifact, metrics) = try best.train(data)
            return (artifact, metrics, best.hyperParameters)
        }
    }

    /// The dataset group's interactions after the solution's event type and value filters, checked against
    /// the guide's minimums.
    nonisolated func trainingData(datasetGroupArn: String?, eventType: String?, config: SolutionConfig) async throws
        -> TrainingData
    {
        let threshold = config.eventValueThreshold.flatMap(Double.init)
        let data = try await database.pool.read { db in
            let interactions = try ResourceStore.rows(db, kind: .dataset, parent: datasetGroupArn).first {
                (try? ResourceStore.decode(Dataset.self, $0).datasetType) == DatasetType.interactions.rawValue
            }
            guard let interactions else {
                throw TrainingFailure(reason: "The dataset group has no INTERACTIONS dataset.")
            }
            let table = try self.datasetTable(db, datasetArn: interactions.arn)
            return try TrainingData.load(db, table: table, eventType: eventType, eventValueThreshold: threshold)
        }
        try data.checkMinimums(configuration.limits, eventType: eventType)
        return data
    }

    @discardableResult
    private nonisolated func updateVersion(
        _ arn: String, _ change: @Sendable @escaping (inout SolutionVersion) -> Void,
        also: @Sendable @escaping (Database) throws -> Void = { _ in }
    ) async throws -> SolutionVersion {
        let date = clock.now()
        return try await database.pool.write { db in
            let version = try ResourceStore.update(
                db, SolutionVersion.self, arn: arn, kind: .solutionVersion, at: date, status: \.status
            ) { version in
                change(&version)
                version.lastUpdatedDateTime = date
            }
            try also(db)
            return version
        }
    }

    public func describeSolutionVersion(_ request: DescribeSolutionVersionRequest) async throws
        -> DescribeSolutionVersionResponse
    {
        let arn = request.solutionVersionArn
        let version = try await read { db in
            try ResourceStore.load(db, SolutionVersion.self, arn: arn, kind: .solutionVersion)
        }
        return DescribeSolutionVersionResponse(solutionVersion: version)
    }

    public func listSolutionVersions(_ request: ListSolutionVersionsRequest) async throws
        -> ListSolutionVersionsResponse
    {
        let page = try await listPage(
            kind: .solutionVersion, parent: request.solutionArn, nextToken: request.nextToken,
            maxResults: request.maxResults
        ) { row in Self.summary(try ResourceStore.decode(SolutionVersion.self, row)) }
        return ListSolutionVersionsResponse(solutionVersions: page.items, nextToken: page.nextToken)
    }

    public func getSolutionMetrics(_ request: GetSolutionMetricsRequest) async throws -> GetSolutionMetricsResponse {
        let arn = request.solutionVersionArn
        let metrics = try await read { db -> [String: Double] in
            let version = try ResourceStore.load(db, SolutionVersion.self, arn: arn, kind: .solutionVersion)
            guard version.status == Status.active else {
                throw PersonalizeError.inUse(
                    "Solution version \(arn) is \(version.status ?? "not active"); metrics exist once it is ACTIVE.")
            }
            guard
                let data = try Data.fetchOne(
                    db, sql: "SELECT metrics FROM solution_metrics WHERE solution_version_arn = ?", arguments: [arn])
            else { return [:] }
            return try JSONDecoder().decode([String: Double].self, from: data)
        }
        return GetSolutionMetricsResponse(solutionVersionArn: arn, metrics: metrics)
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
