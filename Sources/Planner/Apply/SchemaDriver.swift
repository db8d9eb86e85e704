import EngineAPI
import PersonalizeRules

/// Schemas: immutable; created, described, deleted.
struct SchemaDriver: ListedDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeSchemaRequest { DescribeSchemaRequest(schemaArn: arn) }

    /// A schema has no status: one the engine describes is there to use.
    func observation(of _: DatasetSchema, arn: String) -> Observation { Observation(status: .active) }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .schema(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let response = try await context.service.send(
            CreateSchemaRequest(
                name: resource.address.name, schema: spec.avroJSON, domain: spec.domain.map(Domain.init(rawValue:))))
        return try DriverError.require(response.schemaArn, resource.address, "CreateSchema")
    }

    func listing(under parentArn: String) -> ListSchemasRequest { ListSchemasRequest() }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteSchemaRequest(schemaArn: arn))
    }
}
