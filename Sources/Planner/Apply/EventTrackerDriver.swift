import EngineAPI
import PersonalizeRules

/// Event trackers: created, described (their `trackingId` recorded in state), deleted.
struct EventTrackerDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeEventTrackerRequest { DescribeEventTrackerRequest(eventTrackerArn: arn) }

    func observation(of tracker: EventTracker, arn: String) -> Observation {
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

    func listing(under parentArn: String) -> ListEventTrackersRequest {
        ListEventTrackersRequest(datasetGroupArn: parentArn)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteEventTrackerRequest(eventTrackerArn: arn))
    }
}

/// Filters: created, described, deleted; a changed expression replaces the filter.
struct FilterDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeFilterRequest { DescribeFilterRequest(filterArn: arn) }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .filter(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        let response = try await context.service.send(
            CreateFilterRequest(
                name: resource.address.name, datasetGroupArn: group, filterExpression: spec.expression,
                tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.filterArn, resource.address, "CreateFilter")
    }

    func listing(under parentArn: String) -> ListFiltersRequest { ListFiltersRequest(datasetGroupArn: parentArn) }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteFilterRequest(filterArn: arn))
    }
}
