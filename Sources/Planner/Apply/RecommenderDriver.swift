import EngineAPI
import PersonalizeRules

/// Recommenders: created (the engine trains the use case's model, so creation waits as long as training),
/// described (their configuration observed for drift), updated in place with UpdateRecommender, stopped and
/// started (`active`), deleted.
///
/// A stopped recommender (INACTIVE) is settled as far as apply is concerned: it is observed as ready with
/// `active: false`; STOP/START PENDING and IN_PROGRESS are waited for.
struct RecommenderDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeRecommenderRequest { DescribeRecommenderRequest(recommenderArn: arn) }

    func observation(of recommender: Recommender, arn: String) -> Observation {
        let config = recommender.recommenderConfig
        var fields: [String: SpecValue] = [:]
        fields["minRecommendationRequestsPerSecond"] = config?.minRecommendationRequestsPerSecond.map(SpecValue.int)
        fields["enableMetadataWithRecommendations"] = config?.enableMetadataWithRecommendations.map(SpecValue.bool)
        fields["itemExplorationConfig"] = config?.itemExplorationConfig.map { .map($0.mapValues(SpecValue.string)) }
        fields["trainingDataConfig"] = config?.trainingDataConfig?.excludedDatasetColumns.map {
            RecommenderSpec.trainingDataConfig($0)
        }
        let update = recommender.latestRecommenderUpdate
        let stopped = recommender.status == Self.inactive
        fields["active"] = .bool(!stopped && recommender.status == Status.active)
        return Observation(
            status: stopped ? .active : ResourceStatus(recommender.status), failureReason: recommender.failureReason,
            fields: fields,
            attributes: [StateEntry.Key.recommenderArn: .string(recommender.recommenderArn ?? arn)],
            updateStatus: update.map { ResourceStatus($0.status) }, updateFailureReason: update?.failureReason)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .recommender(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        context.emit(.step(resource.address, "creating \(spec.recipe) (the engine trains it)"))
        let response = try await context.service.send(
            CreateRecommenderRequest(
                name: resource.address.name, datasetGroupArn: group, recipeArn: spec.recipeArn,
                recommenderConfig: Self.config(spec), tags: EngineCalls.tags(resource)))
        let arn = try DriverError.require(response.recommenderArn, resource.address, "CreateRecommender")
        if spec.active == false {
            // A recommender is created running; one declared stopped is stopped once it is ACTIVE.
            try await context.wait(
                for: .active, resource.address, arn: arn, what: "training", timeout: context.timeouts.training)
            try await setActive(false, resource.address, arn: arn, context: context)
        }
        return arn
    }

    static let inactive = "INACTIVE"

    /// Stops or starts the recommender and waits until it is INACTIVE or ACTIVE.
    private func setActive(_ active: Bool, _ address: ResourceAddress, arn: String, context: ApplyContext)
        async throws
    {
        context.emit(.step(address, active ? "starting the recommender" : "stopping the recommender"))
        if active {
            _ = try await context.service.send(StartRecommenderRequest(recommenderArn: arn))
        } else {
            _ = try await context.service.send(StopRecommenderRequest(recommenderArn: arn))
        }
        // STOP/START PENDING and IN_PROGRESS are waited for; the settled status must be the one asked for.
        let what = active ? "the start" : "the stop"
        let observation = try await context.wait(
            for: .active, address, arn: arn, what: what, timeout: context.timeouts.update)
        guard observation?.fields["active"] == .bool(active) else {
            throw PlannerError.engine(
                address: address, operation: what,
                reason: observation == nil ? "it no longer exists" : "it settled \(active ? "stopped" : "running")")
        }
    }

    func listing(under parentArn: String) -> ListRecommendersRequest {
        ListRecommendersRequest(datasetGroupArn: parentArn)
    }

    /// Sends the changed configuration fields (a field the manifest no longer sets goes back to the service's
    /// default) and waits for the update; new excluded columns retrain, so that wait is as long as training.
    /// Stops or starts the recommender when `active` changed. The service updates only a running recommender,
    /// so a stopped one whose configuration changed is started for the update and stopped again after it.
    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
        guard case .recommender(let spec)? = change.desired?.spec else { return }
        let changed = Set(change.fields.map { String($0.path.split(separator: ".").first ?? "") })
        let config = Self.changedConfig(spec, changed)
        let running = try await observe(arn: arn, service: context.service)?.fields["active"] == .bool(true)
        let wanted = spec.active ?? running
        if !running, wanted || config != nil {
            try await setActive(true, change.address, arn: arn, context: context)
        }
        if let config {
            try await updateConfiguration(config, change.address, arn: arn, context: context)
        }
        if !wanted, running || config != nil {
            try await setActive(false, change.address, arn: arn, context: context)
        }
    }

    /// The UpdateRecommender configuration for the changed fields; nil when none of them is configuration.
    private static func changedConfig(_ spec: RecommenderSpec, _ changed: Set<String>) -> RecommenderConfig? {
        var config = RecommenderConfig()
        if changed.contains("minRecommendationRequestsPerSecond") {
            config.minRecommendationRequestsPerSecond = spec.minRecommendationRequestsPerSecond ?? 1
        }
        if changed.contains("enableMetadataWithRecommendations") {
            config.enableMetadataWithRecommendations = spec.enableMetadataWithRecommendations ?? false
        }
        if changed.contains("itemExplorationConfig") {
            config.itemExplorationConfig = spec.itemExplorationConfig ?? [:]
        }
        if changed.contains("trainingDataConfig") {
            config.trainingDataConfig = TrainingDataConfig(excludedDatasetColumns: spec.excludedDatasetColumns ?? [:])
        }
        return config == RecommenderConfig() ? nil : config
    }

    private func updateConfiguration(
        _ config: RecommenderConfig, _ address: ResourceAddress, arn: String, context: ApplyContext
    ) async throws {
        let retrains = config.trainingDataConfig != nil
        if case .inProgress? = try await observe(arn: arn, service: context.service)?.updateStatus {
            try await context.wait(
                for: .updated, address, arn: arn, what: "an earlier recommender update",
                timeout: context.timeouts.training)
        }
        context.emit(.step(address, retrains ? "updating the recommender (it retrains)" : "updating the recommender"))
        _ = try await context.service.send(UpdateRecommenderRequest(recommenderArn: arn, recommenderConfig: config))
        try await context.wait(
            for: .updated, address, arn: arn, what: "the recommender update",
            timeout: retrains ? context.timeouts.training : context.timeouts.update)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteRecommenderRequest(recommenderArn: arn))
    }

    /// The configuration a new recommender is created with; nil when the manifest sets none.
    static func config(_ spec: RecommenderSpec) -> RecommenderConfig? {
        let config = RecommenderConfig(
            itemExplorationConfig: spec.itemExplorationConfig,
            minRecommendationRequestsPerSecond: spec.minRecommendationRequestsPerSecond,
            trainingDataConfig: spec.excludedDatasetColumns.map { TrainingDataConfig(excludedDatasetColumns: $0) },
            enableMetadataWithRecommendations: spec.enableMetadataWithRecommendations)
        return config == RecommenderConfig() ? nil : config
    }
}
