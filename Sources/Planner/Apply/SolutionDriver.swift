import EngineAPI
import PersonalizeRules

/// Solutions: immutable configuration except automatic training (UpdateSolution). Training is run by
/// ``TrainingRunner``.
struct SolutionDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeSolutionRequest { DescribeSolutionRequest(solutionArn: arn) }

    func observation(of solution: Solution, arn: String) -> Observation {
        var fields: [String: SpecValue] = [:]
        fields["performAutoTraining"] = solution.performAutoTraining.map(SpecValue.bool)
        let update = solution.latestSolutionUpdate
        return Observation(
            status: ResourceStatus(solution.status), fields: fields,
            updateStatus: update.map { ResourceStatus($0.status) }, updateFailureReason: update?.failureReason)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .solution(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        let (config, performHPO) = spec.solutionConfig
        let response = try await context.service.send(
            CreateSolutionRequest(
                name: resource.address.name, performHPO: performHPO,
                performAutoTraining: spec.performAutoTraining ?? false, recipeArn: spec.recipeArn,
                datasetGroupArn: group, eventType: spec.eventType, solutionConfig: config,
                tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.solutionArn, resource.address, "CreateSolution")
    }

    func listing(under parentArn: String) -> ListSolutionsRequest { ListSolutionsRequest(datasetGroupArn: parentArn) }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
        let training = change.fields.contains { $0.path == "performAutoTraining" || $0.path.hasPrefix("autoTraining") }
        guard training, case .solution(let spec)? = change.desired?.spec else { return }
        context.emit(.step(change.address, "updating automatic training"))
        _ = try await context.service.send(
            UpdateSolutionRequest(
                solutionArn: arn, performAutoTraining: spec.performAutoTraining,
                solutionUpdateConfig: spec.autoTrainingSchedule.map {
                    SolutionUpdateConfig(autoTrainingConfig: AutoTrainingConfig(schedulingExpression: $0))
                }))
        try await context.wait(
            for: .updated, change.address, arn: arn, what: "the solution update",
            timeout: context.timeouts.update)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteSolutionRequest(solutionArn: arn))
    }
}
