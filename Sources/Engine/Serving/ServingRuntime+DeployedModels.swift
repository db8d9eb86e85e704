import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules
import Synchronization

/// The models campaigns and recommenders serve: loaded from their files on first use and kept in `state.deployed`.
extension ServingRuntime {
    /// The deployed model of an ACTIVE campaign and the campaign's description.
    func deployedCampaign(campaignArn: String) async throws -> (model: DeployedModel, campaign: Campaign) {
        let campaign = try await read { db in
            try ResourceStore.load(db, Campaign.self, arn: campaignArn, kind: .campaign)
        }
        guard campaign.status == Status.active, let versionArn = campaign.solutionVersionArn else {
            throw PersonalizeError.inUse(
                "Campaign \(campaignArn) is \(campaign.status ?? "not active"); it serves once ACTIVE.")
        }
        let current = deployed(campaignArn)
        if let current, current.solutionVersionArn == versionArn { return (current, campaign) }
        let model = try await loadOnce(campaignArn, source: versionArn, serving: current) {
            try await self.loadModel(versionArn)
        }
        return (model, campaign)
    }

    /// The model `arn` serves once `source`'s model is loaded: one load per model whatever the traffic (requests
    /// that arrive meanwhile share it), published with ``setDeployed(_:for:)`` when done.
    ///
    /// While it loads, a request is answered from `serving` (the model deployed before, as the service keeps
    /// serving the previous version during an update) when there is one; otherwise it waits for the load up to
    /// ``EngineConfiguration/modelLoadWait``, and then, or at once when ``EngineConfiguration/modelLoadWaiters``
    /// requests already wait, gets `ServiceUnavailable` (HTTP 503 with `Retry-After`), which the AWS SDKs retry.
    /// Nothing a request does starts a second load or holds a second copy of the model.
    func loadOnce(
        _ arn: String, source: String, serving: DeployedModel?,
        load: @escaping @Sendable () async throws -> DeployedModel
    ) async throws -> DeployedModel {
        let settings = (wait: configuration.modelLoadWait, waiters: configuration.modelLoadWaiters)
        let (task, started, admitted) = work.withLock {
            work -> (Task<DeployedModel, any Error>, ContinuousClock.Instant, Bool) in
            if let running = work.modelLoads[arn], running.source == source {
                let admitted = serving == nil && running.waiting < settings.waiters
                if admitted { work.modelLoads[arn]?.waiting += 1 }
                return (running.task, running.started, admitted)
            }
            let task = Task<DeployedModel, any Error> {
                defer {
                    self.work.withLock { work in
                        if work.modelLoads[arn]?.source == source { work.modelLoads[arn] = nil }
                    }
                }
                let model = try await load()
                self.setDeployed(model, for: arn)
                return model
            }
            work.modelLoads[arn] = ModelLoad(source: source, task: task, started: .now, waiting: serving == nil ? 1 : 0)
            return (task, .now, serving == nil)
        }
        if let serving { return serving }
        guard admitted else { throw Self.stillLoading(arn, since: started) }
        defer {
            work.withLock { work in if work.modelLoads[arn]?.source == source { work.modelLoads[arn]?.waiting -= 1 } }
        }
        guard let wait = settings.wait else { return try await task.value }
        let outcome = await withTaskGroup(of: Result<DeployedModel, any Error>?.self) { group in
            group.addTask { await task.result }
            group.addTask {
                try? await Task.sleep(for: wait)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else { throw Self.stillLoading(arn, since: started) }
        return try outcome.get()
    }

    /// The answer to a request that arrives while its model loads and cannot wait longer.
    static func stillLoading(_ arn: String, since started: ContinuousClock.Instant) -> PersonalizeError {
        let seconds = (ContinuousClock.now - started).components.seconds
        return PersonalizeError(
            PersonalizeErrorCode(rawValue: "ServiceUnavailable"),
            "\(arn) is loading its model (for \(seconds) s); retry in a moment.")
    }

    /// The deployed model of an ACTIVE campaign, loaded from its file on first use in this process.
    package func deployedModel(campaignArn: String) async throws -> DeployedModel {
        try await deployedCampaign(campaignArn: campaignArn).model
    }

    func loadModel(_ versionArn: String) async throws -> DeployedModel {
        let store = models
        let version = try await read { db in
            try ResourceStore.load(db, SolutionVersion.self, arn: versionArn, kind: .solutionVersion)
        }
        let group = version.datasetGroupArn
        let artifact = try await compute { try ModelArtifact(serialized: try store.read(for: versionArn)) }
        // The optimization objective's values are read when the model is loaded, for the items it knows.
        let objective =
            artifact.header.recipe.takesOptimizationObjective
            ? try await read { db in
                try ModelControl.objectiveBoost(
                    db, config: version.solutionConfig, group: group, itemIDs: artifact.header.itemIDs)
            } : nil
        let model = try await compute {
            DeployedModel(
                solutionVersionArn: versionArn, artifact: artifact, datasetGroupArn: group, objective: objective,
                excludedColumns: version.solutionConfig?.trainingDataConfig?.excludedDatasetColumns)
        }
        logger.info("model loaded", metadata: ["model": "\(versionArn)"])
        return model
    }

    /// The recommender's model for serving, with its use case.
    func deployedModel(recommenderArn: String) async throws -> (DeployedModel, DomainUseCase, RecommenderConfig?) {
        let recommender = try await read { db in
            try ResourceStore.load(db, Recommender.self, arn: recommenderArn, kind: .recommender)
        }
        guard recommender.status == Status.active else {
            throw PersonalizeError.inUse(
                "Recommender \(recommenderArn) is \(recommender.status ?? "not active"); it serves once ACTIVE.")
        }
        let useCase = try DomainUseCase.find(recommender.recipeArn ?? "")
        if let model = deployed(recommenderArn) { return (model, useCase, recommender.recommenderConfig) }
        let store = models
        let group = recommender.datasetGroupArn
        let excluded = recommender.recommenderConfig?.trainingDataConfig?.excludedDatasetColumns
        let model = try await loadOnce(recommenderArn, source: recommenderArn, serving: nil) {
            try await self.compute {
                DeployedModel(
                    solutionVersionArn: recommenderArn,
                    artifact: try ModelArtifact(serialized: try store.read(for: recommenderArn)),
                    datasetGroupArn: group, excludedColumns: excluded)
            }
        }
        return (model, useCase, recommender.recommenderConfig)
    }
}
