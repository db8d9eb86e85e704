import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

/// The control plane of domain recommenders: create, describe, list, update, start, stop, delete, and their models for serving.
package struct RecommenderControl: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}

extension RecommenderControl {
    func createRecommender(_ request: CreateRecommenderRequest) async throws -> CreateRecommenderResponse {
        try validateName(request.name)
        let useCase = try DomainUseCase.find(request.recipeArn)
        try Self.checkRecommenderConfig(request.recommenderConfig)
        let arn = arn(.recommender, request.name)
        let date = now
        let limit = configuration.limits.maximumRecommendersPerDatasetGroup
        try await write { db in
            let group = try ResourceStore.load(
                db, DatasetGroup.self, arn: request.datasetGroupArn, kind: .datasetGroup)
            guard group.domain == useCase.domain else {
                throw PersonalizeError.invalidInput(
                    "\(request.recipeArn) is a \(useCase.domain) use case; dataset group \(request.datasetGroupArn) "
                        + (group.domain.map { "is a \($0.rawValue) domain dataset group." }
                            ?? "is a custom dataset group: recommenders need a domain dataset group."))
            }
            if useCase.needsItems {
                let types = try ResourceStore.rows(db, kind: .dataset, parent: request.datasetGroupArn).compactMap {
                    try? ResourceStore.decode(Dataset.self, $0).datasetType?.uppercased()
                }
                guard types.contains(DatasetType.items.rawValue) else {
                    throw PersonalizeError.invalidInput(
                        "\(request.recipeArn) needs an Items dataset: dataset group \(request.datasetGroupArn) has none. "
                            + "Create it and import item data first.")
                }
            }
            let count = try ResourceStore.count(db, kind: .recommender, parent: request.datasetGroupArn)
            if count >= limit {
                throw PersonalizeError.limitExceeded(
                    "Unable to create recommender. Dataset group \(request.datasetGroupArn) already has \(count) "
                        + "recommenders and the quota is \(limit).")
            }
            let recommender = Recommender(
                recommenderArn: arn, datasetGroupArn: request.datasetGroupArn, name: request.name,
                recipeArn: request.recipeArn, recommenderConfig: Self.withDefaults(request.recommenderConfig),
                creationDateTime: date, lastUpdatedDateTime: date, status: Status.createPending)
            try Self.insertResource(
                db, arn: arn, kind: .recommender, name: request.name, parent: request.datasetGroupArn,
                status: Status.createPending, at: date, body: recommender, tags: request.tags)
        }
        startBackgroundJob(arn) { [self] in await trainingJobs.trainRecommender(arn, useCase: useCase, mode: .create) }
        return CreateRecommenderResponse(recommenderArn: arn)
    }

    private static func withDefaults(_ config: RecommenderConfig?) -> RecommenderConfig {
        var config = config ?? RecommenderConfig()
        if config.minRecommendationRequestsPerSecond == nil { config.minRecommendationRequestsPerSecond = 1 }
        return config
    }

    private static func checkRecommenderConfig(_ config: RecommenderConfig?) throws {
        _ = try ExplorationSettings.parse(config?.itemExplorationConfig)
        if let rps = config?.minRecommendationRequestsPerSecond, rps < 1 {
            throw PersonalizeError.invalidInput("minRecommendationRequestsPerSecond must be at least 1; got \(rps).")
        }
        try ModelControl.checkTrainingDataConfig(config?.trainingDataConfig)
    }

    /// Changes the configuration; a change of the training columns retrains (the old model serves meanwhile),
    /// anything else applies at once.
    func updateRecommender(_ request: UpdateRecommenderRequest) async throws -> UpdateRecommenderResponse {
        try Self.checkRecommenderConfig(request.recommenderConfig)
        let arn = request.recommenderArn
        let date = now
        let current = try await load(Recommender.self, arn: arn, kind: .recommender)
        guard current.status == Status.active else {
            throw PersonalizeError.inUse(
                "Recommender \(arn) is \(current.status ?? "not active"); it updates when ACTIVE.")
        }
        if let status = current.latestRecommenderUpdate?.status, Status.isTransient(status) {
            throw PersonalizeError.inUse("Recommender \(arn) has an update in progress.")
        }
        var merged = current.recommenderConfig ?? RecommenderConfig()
        let new = request.recommenderConfig
        if let value = new.itemExplorationConfig { merged.itemExplorationConfig = value }
        if let value = new.minRecommendationRequestsPerSecond { merged.minRecommendationRequestsPerSecond = value }
        if let value = new.enableMetadataWithRecommendations { merged.enableMetadataWithRecommendations = value }
        let retrain =
            new.trainingDataConfig != nil
            && new.trainingDataConfig?.excludedDatasetColumns
                != current.recommenderConfig?.trainingDataConfig?.excludedDatasetColumns
        if let value = new.trainingDataConfig { merged.trainingDataConfig = value }
        let config = merged
        try await write { db in
            _ = try ResourceStore.update(db, Recommender.self, arn: arn, kind: .recommender, at: date, status: \.status)
            {
                recommender in
                recommender.latestRecommenderUpdate = RecommenderUpdateSummary(
                    recommenderConfig: config, creationDateTime: date, lastUpdatedDateTime: date,
                    status: retrain ? Status.updatePending : Status.active)
                if !retrain { recommender.recommenderConfig = config }
                recommender.lastUpdatedDateTime = date
            }
        }
        if retrain {
            let useCase = try DomainUseCase.find(current.recipeArn ?? "")
            startBackgroundJob(arn) { [self] in
                await trainingJobs.trainRecommender(arn, useCase: useCase, mode: .update)
            }
        }
        return UpdateRecommenderResponse(recommenderArn: arn)
    }

    func stopRecommender(_ request: StopRecommenderRequest) async throws -> StopRecommenderResponse {
        try await setRecommenderState(request.recommenderArn, from: Status.active, to: Status.Recommender.inactive)
        return StopRecommenderResponse(recommenderArn: request.recommenderArn)
    }

    func startRecommender(_ request: StartRecommenderRequest) async throws -> StartRecommenderResponse {
        try await setRecommenderState(request.recommenderArn, from: Status.Recommender.inactive, to: Status.active)
        return StartRecommenderResponse(recommenderArn: request.recommenderArn)
    }

    /// Stop and start complete at once here (the service passes through STOP/START PENDING and IN_PROGRESS).
    private func setRecommenderState(_ arn: String, from: String, to: String) async throws {
        let date = now
        try await write { db in
            let recommender = try ResourceStore.load(db, Recommender.self, arn: arn, kind: .recommender)
            guard recommender.status == from else {
                throw PersonalizeError.inUse(
                    "Recommender \(arn) is \(recommender.status ?? "in an unknown state"); it must be \(from).")
            }
            _ = try ResourceStore.update(db, Recommender.self, arn: arn, kind: .recommender, at: date, status: \.status)
            {
                $0.status = to
                $0.lastUpdatedDateTime = date
            }
        }
        if to == Status.Recommender.inactive { serving.setDeployed(nil, for: arn) }
    }

    func deleteRecommender(_ request: DeleteRecommenderRequest) async throws -> EmptyResponse {
        try await deleteSettled(request.recommenderArn, kind: .recommender, named: "Recommender")
    }
}

extension Optional {
    fileprivate func unwrapped(_ message: String) throws -> Wrapped {
        guard let self else { throw PersonalizeError(.internalFailure, message) }
        return self
    }
}
