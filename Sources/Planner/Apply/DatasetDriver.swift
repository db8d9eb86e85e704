import EngineAPI
import PersonalizeRules

/// Datasets: created in a group with a schema; the schema can be swapped in place (UpdateDataset).
/// Imports are run by ``ImportRunner``.
struct DatasetDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeDatasetRequest { DescribeDatasetRequest(datasetArn: arn) }

    func observation(of dataset: Dataset, arn: String) -> Observation {
        let update = dataset.latestDatasetUpdate
        return Observation(
            status: ResourceStatus(dataset.status), updateStatus: update.map { ResourceStatus($0.status) },
            updateFailureReason: update?.failureReason)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .dataset(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        let schema = try await context.arn(of: ResourceAddress(.schema, spec.schema), for: resource.address)
        let response = try await context.service.send(
            CreateDatasetRequest(
                name: resource.address.name, schemaArn: schema, datasetGroupArn: group, datasetType: spec.type,
                tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.datasetArn, resource.address, "CreateDataset")
    }

    func listing(under parentArn: String) -> ListDatasetsRequest { ListDatasetsRequest(datasetGroupArn: parentArn) }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
        guard change.fields.contains(where: { $0.path == "schema" }), case .dataset(let spec)? = change.desired?.spec
        else { return }
        let schema = try await context.arn(of: ResourceAddress(.schema, spec.schema), for: change.address)
        context.emit(.step(change.address, "switching to schema '\(spec.schema)'"))
        _ = try await context.service.send(UpdateDatasetRequest(datasetArn: arn, schemaArn: schema))
        try await context.wait(
            for: .updated, change.address, arn: arn, what: "the schema update",
            timeout: context.timeouts.update)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteDatasetRequest(datasetArn: arn))
    }
}
