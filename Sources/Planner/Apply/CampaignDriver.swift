import EngineAPI
import PersonalizeRules

/// Campaigns: deployed on their solution's latest trained version, or on `<solution>/$LATEST` when they
/// follow it; the version, the provisioned TPS and following change in place (UpdateCampaign), and the
/// campaign keeps serving meanwhile. A `promote` policy gates moves to new versions (``PromotionGate``).
struct CampaignDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeCampaignRequest { DescribeCampaignRequest(campaignArn: arn) }

    func observation(of campaign: Campaign, arn: String) -> Observation {
        var fields: [String: SpecValue] = [:]
        fields["minProvisionedTPS"] = campaign.minProvisionedTPS.map(SpecValue.int)
        fields["followLatest"] = .bool(campaign.campaignConfig?.syncWithLatestSolutionVersion == true)
        fields.merge(Self.configFields(campaign.campaignConfig)) { _, new in new }
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
        let (version, config) = try await deployment(of: spec, for: resource.address, context: context)
        let response = try await context.service.send(
            CreateCampaignRequest(
                name: resource.address.name, solutionVersionArn: version, minProvisionedTPS: spec.minProvisionedTPS,
                campaignConfig: config, tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.campaignArn, resource.address, "CreateCampaign")
    }

    func listing(under parentArn: String) -> ListCampaignsRequest { ListCampaignsRequest(solutionArn: parentArn) }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
        guard case .campaign(let spec)? = change.desired?.spec else { return }
        let fields = Set(change.fields.map(\.path))
        let updatable: Set<String> = [
            "solution", "solutionVersion", "minProvisionedTPS", "followLatest", "enableMetadataWithRecommendations",
        ]
        guard !fields.isDisjoint(with: updatable) || fields.contains(where: { $0.hasPrefix("itemExplorationConfig") })
        else { return }
        var (version, config) = try await deployment(of: spec, for: change.address, context: context)
        if let planned = change.fields.first(where: { $0.path == "solutionVersion" }),
            case .known(.string(let candidate)) = planned.after, spec.followLatest != true
        {
            version = candidate
        }
        let current = try await observe(arn: arn, service: context.service)
        var heldBack = false
        if let policy = spec.promote, spec.followLatest != true,
            let deployed = current?.attributes[StateEntry.Key.solutionVersionArn]?.stringValue, deployed != version
        {
            let gate = PromotionGate(policy: policy, context: context)
            if let reason = try await gate.check(change.address, candidate: version, deployed: deployed) {
                try await context.recorder.update(change.address) {
                    $0?.attributes[StateEntry.Key.heldBackVersionArn] = .string(version)
                    $0?.attributes[StateEntry.Key.heldBackReason] = .string(reason)
                }
                heldBack = true
                guard fields.contains("minProvisionedTPS") else { return }
                version = deployed
            }
        }
        if case .inProgress? = current?.updateStatus {
            try await context.wait(
                for: .updated, change.address, arn: arn, what: "an earlier campaign update",
                timeout: context.timeouts.update)
        }
        context.emit(.step(change.address, "updating the campaign"))
        _ = try await context.service.send(
            UpdateCampaignRequest(
                campaignArn: arn, solutionVersionArn: version,
                minProvisionedTPS: fields.contains("minProvisionedTPS") ? spec.minProvisionedTPS : nil,
                campaignConfig: config))
        let observed = try await context.wait(
            for: .updated, change.address, arn: arn, what: "the campaign update",
            timeout: context.timeouts.update)
        let deployedNow = observed?.attributes[StateEntry.Key.solutionVersionArn]?.stringValue ?? version
        try await context.recorder.update(change.address) {
            $0?.attributes[StateEntry.Key.solutionVersionArn] = .string(deployedNow)
            guard !heldBack else { return }
            $0?.attributes[StateEntry.Key.heldBackVersionArn] = nil
            $0?.attributes[StateEntry.Key.heldBackReason] = nil
        }
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteCampaignRequest(campaignArn: arn))
    }

    /// The `campaignConfig` fields a manifest sets, as plans compare them (refresh and `tailor import`).
    static func configFields(_ config: CampaignConfig?) -> [String: SpecValue] {
        var fields: [String: SpecValue] = [:]
        fields["itemExplorationConfig"] = config?.itemExplorationConfig.map { .map($0.mapValues(SpecValue.string)) }
        fields["enableMetadataWithRecommendations"] = config?.enableMetadataWithRecommendations.map(SpecValue.bool)
        return fields
    }

    /// What the campaign should serve: `<solution>/$LATEST` with syncWithLatestSolutionVersion when it
    /// follows its solution, else the latest version its solution trained; and the whole `campaignConfig` the
    /// manifest declares (nil when it declares none).
    private func deployment(of spec: CampaignSpec, for address: ResourceAddress, context: ApplyContext)
        async throws -> (version: String, config: CampaignConfig?)
    {
        var config = CampaignConfig(
            itemExplorationConfig: spec.itemExplorationConfig,
            enableMetadataWithRecommendations: spec.enableMetadataWithRecommendations,
            syncWithLatestSolutionVersion: spec.followLatest)
        let solution = ResourceAddress(.solution, spec.solution)
        if spec.followLatest == true {
            let arn = try await context.arn(of: solution, for: address)
            config.syncWithLatestSolutionVersion = true
            return (arn + "/$LATEST", config)
        }
        guard let version = await context.recorder.entry(solution)?.string(StateEntry.Key.solutionVersionArn) else {
            throw PlannerError.missingDependency(address: address, dependency: solution, what: "trained version")
        }
        return (version, config == CampaignConfig() ? nil : config)
    }
}

/// A campaign's quality gate: compares the candidate's metric with the deployed version's and says why a
/// candidate is held back.
struct PromotionGate {
    let policy: PromotionPolicy
    let context: ApplyContext

    /// Nil when `candidate` may be deployed; else why it is held back (also emitted as an event).
    func check(_ address: ResourceAddress, candidate: String, deployed: String) async throws -> String? {
        var promotion = Promotion(deployed: deployed, candidate: candidate, policy: policy)
        promotion.deployedValue = await Planner.metric(policy.metric, of: deployed, service: context.service)
        promotion.candidateValue = await Planner.metric(policy.metric, of: candidate, service: context.service)
        if promotion.passes {
            context.emit(.step(address, "promoting: " + promotion.summary))
            return nil
        }
        let reason = promotion.summary
        context.emit(.heldBack(address, versionArn: candidate, reason: reason))
        return reason
    }
}
