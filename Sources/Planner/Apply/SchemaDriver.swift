import EngineAPI
import PersonalizeRules

/// Schemas: immutable; created, described, deleted.
struct SchemaDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe { try await service.send(DescribeSchemaRequest(schemaArn: arn)) }
        guard response?.schema != nil else { return nil }
        return Observation(status: .active)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .schema(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let response = try await context.service.send(
            CreateSchemaRequest(
                name: resource.address.name, schema: spec.avroJSON, domain: spec.domain.map(Domain.init(rawValue:))))
        return try DriverError.require(response.schemaArn, resource.address, "CreateSchema")
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        try await context.find(resource.address, under: nil) { _, token in
            let page = try await context.service.send(ListSchemasRequest(nextToken: token))
            return ((page.schemas ?? []).map { Listing($0.name, $0.schemaArn) }, page.nextToken)
        }
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteSchemaRequest(schemaArn: arn))
    }
}
