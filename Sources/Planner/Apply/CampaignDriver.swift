import EngineAPI

/// Campaigns: deployed on their solution's latest trained version; the version and the provisioned TPS
/// change in place (UpdateCampaign), and the campaign keeps serving meanwhile.
struct CampaignDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe {
            try await service.send(DescribeCampaignRequest(campaignArn: arn))
        }
        guard let campaign = response?.campaign else { return nil }
        var fields: [String: SpecValue] = [:]
        fields["minProvisionedTPS"] = campaign.minProvisionedTPS.map(SpecValue.int)
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.solutionVersionArn] = campaign.solutionVersionArn.map(SpecValue.string)
        let update = campaign.latestCampaignUpdate
        return Observation(
            status: ResourceStatus(campaign.status), failureReason: campaign.failureReason, fields: fields,
            attributes: attributes, updateStatus: update.map { ResourceStatus($0.status) },
            updateFailureReason: update?.failureReason)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .campaign(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let version = try await trainedVersion(of: spec, for: resource.address, context: context)
        let response = try await context.service.send(
            CreateCampaignRequest(
                name: resource.address.name, solutionVersionArn: version, minProvisionedTPS: spec.minProvisionedTPS,
                tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.campaignArn, resource.address, "CreateCampaign")
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard case .campaign(let spec) = resource.spec,
            let solution = await context.recorder.entry(ResourceAddress(.solution, spec.solution))
        else { return nil }
        let campaigns = try await EngineCalls.allPages { token in
            let page = try await context.service.send(ListCampaignsRequest(solutionArn: solution.arn, nextToken: token))
            return (page.campaigns ?? [], page.nextToken)
        }
        return campaigns.first { $0.name == resource.address.name }?.campaignArn
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
        guard case .campaign(let spec)? = change.desired?.spec else { return }
        let fields = Set(change.fields.map(\.path))
        guard !fields.isDisjoint(with: ["solution", "solutionVersion", "minProvisionedTPS"]) else { return }
        let version = try await trainedVersion(of: spec, for: change.address, context: context)
        let current = try await observe(arn: arn, service: context.service)
        if case .inProgress? = current?.updateStatus {
            try await context.wait(
                for: .updated, change.address, arn: arn, what: "an earlier campaign update",
                timeout: context.timeouts.update)
        }
        context.emit(.step(change.address, "updating the campaign"))
        _ = try await context.service.send(
            UpdateCampaignRequest(
                campaignArn: arn, solutionVersionArn: version,
                minProvisionedTPS: fields.contains("minProvisionedTPS") ? spec.minProvisionedTPS : nil))
        try await context.wait(
            for: .updated, change.address, arn: arn, what: "the campaign update",
            timeout: context.timeouts.update)
        try await context.recorder.update(change.address) {
            $0?.attributes[StateEntry.Key.solutionVersionArn] = .string(version)
        }
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteCampaignRequest(campaignArn: arn))
    }

    /// The version the campaign should serve: the latest one its solution trained.
    private func trainedVersion(of spec: CampaignSpec, for address: ResourceAddress, context: ApplyContext)
        async throws -> String
    {
        let solution = ResourceAddress(.solution, spec.solution)
        guard let version = await context.recorder.entry(solution)?.string(StateEntry.Key.solutionVersionArn) else {
            throw PlannerError.missingDependency(address: address, dependency: solution, what: "trained version")
        }
        return version
    }
}
