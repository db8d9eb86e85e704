import EngineAPI
import PersonalizeRules

/// Dataset groups: created, described, deleted; nothing is updatable but tags.
struct DatasetGroupDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeDatasetGroupRequest { DescribeDatasetGroupRequest(datasetGroupArn: arn) }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .datasetGroup(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let response = try await context.service.send(
            CreateDatasetGroupRequest(
                name: resource.address.name, roleArn: spec.roleArn, kmsKeyArn: spec.kmsKeyArn,
                domain: spec.domain.map(Domain.init(rawValue:)), tags: EngineCalls.tags(resource)))
        return try DriverError.require(response.datasetGroupArn, resource.address, "CreateDatasetGroup")
    }

    func listing(under parentArn: String) -> ListDatasetGroupsRequest { ListDatasetGroupsRequest() }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteDatasetGroupRequest(datasetGroupArn: arn))
    }
}

/// A driver's internal inconsistency or an engine response missing what the API promises.
enum DriverError: Error, CustomStringConvertible {
    case wrongKind(ResourceAddress)
    case missingField(ResourceAddress, operation: String)

    var description: String {
        switch self {
        case .wrongKind(let address): "\(address): the spec does not match the resource's kind"
        case .missingField(let address, let operation): "\(address): the engine's \(operation) response has no ARN"
        }
    }

    /// The value, or a ``missingField(_:operation:)`` error.
    static func require(_ value: String?, _ address: ResourceAddress, _ operation: String) throws -> String {
        guard let value else { throw DriverError.missingField(address, operation: operation) }
        return value
    }
}
