import EngineAPI
import PersonalizeRules

/// Event trackers: created, described (their `trackingId` recorded in state), deleted.
struct EventTrackerDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe {
            try await service.send(DescribeEventTrackerRequest(eventTrackerArn: arn))
        }
        guard let tracker = response?.eventTracker else { return nil }
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.trackingId] = tracker.trackingId.map(SpecValue.string)
        return Observation(status: ResourceStatus(tracker.status), failureReason: nil, attributes: attributes)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .eventTracker(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        let response = try await context.service.send(
            CreateEventTrackerRequest(
                name: resource.address.name, datasetGroupArn: group, tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.eventTrackerArn, resource.address, "CreateEventTracker")
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard case .eventTracker(let spec) = resource.spec else { return nil }
        return try await context.find(resource.address, under: ResourceAddress(.datasetGroup, spec.datasetGroup)) {
            group, token in
            let page = try await context.service.send(
                ListEventTrackersRequest(datasetGroupArn: group, nextToken: token))
            return ((page.eventTrackers ?? []).map { Listing($0.name, $0.eventTrackerArn) }, page.nextToken)
        }
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteEventTrackerRequest(eventTrackerArn: arn))
    }
}

/// Filters: created, described, deleted; a changed expression replaces the filter.
struct FilterDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe { try await service.send(DescribeFilterRequest(filterArn: arn)) }
        guard let filter = response?.filter else { return nil }
        return Observation(status: ResourceStatus(filter.status), failureReason: filter.failureReason)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .filter(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        let response = try await context.service.send(
            CreateFilterRequest(
                name: resource.address.name, datasetGroupArn: group, filterExpression: spec.expression,
                tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.filterArn, resource.address, "CreateFilter")
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard case .filter(let spec) = resource.spec else { return nil }
        return try await context.find(resource.address, under: ResourceAddress(.datasetGroup, spec.datasetGroup)) {
            group, token in
            let page = try await context.service.send(ListFiltersRequest(datasetGroupArn: group, nextToken: token))
            return ((page.Filters ?? []).map { Listing($0.name, $0.filterArn) }, page.nextToken)
        }
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteFilterRequest(filterArn: arn))
    }
}
