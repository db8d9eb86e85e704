import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension DatasetControl {
    func createSchema(_ request: CreateSchemaRequest) async throws -> CreateSchemaResponse {
        try validateName(request.name)
        _ = try SchemaRules.checkCreateSchema(json: request.schema, domain: request.domain)
        let arn = arn(.schema, request.name)
        let date = now
        let body = DatasetSchema(
            name: request.name, schemaArn: arn, schema: request.schema, creationDateTime: date,
            lastUpdatedDateTime: date, domain: request.domain)
        try await write { db in
            try self.checkQuota(.schemas, db)
            try ResourceStore.insert(
                db, arn: arn, kind: .schema, name: request.name, parent: nil, status: nil, at: date, body: body)
        }
        return CreateSchemaResponse(schemaArn: arn)
    }

    func describeSchema(_ request: DescribeSchemaRequest) async throws -> DescribeSchemaResponse {
        let arn = request.schemaArn
        let schema = try await load(DatasetSchema.self, arn: arn, kind: .schema)
        return DescribeSchemaResponse(schema: schema)
    }

    func listSchemas(_ request: ListSchemasRequest) async throws -> ListSchemasResponse {
        let page = try await listPage(
            kind: .schema, parent: nil, nextToken: request.nextToken, maxResults: request.maxResults
        ) { row in
            let schema = try ResourceStore.decode(DatasetSchema.self, row)
            return DatasetSchemaSummary(
                name: schema.name, schemaArn: schema.schemaArn, creationDateTime: schema.creationDateTime,
                lastUpdatedDateTime: schema.lastUpdatedDateTime, domain: schema.domain)
        }
        return ListSchemasResponse(schemas: page.items, nextToken: page.nextToken)
    }

    func deleteSchema(_ request: DeleteSchemaRequest) async throws -> EmptyResponse {
        let arn = request.schemaArn
        try await write { db in
            _ = try self.requireExists(db, arn, .schema)
            let users = try ResourceStore.rows(db, kind: .dataset).filter { row in
                (try? ResourceStore.decode(Dataset.self, row).schemaArn) == arn
            }
            if let user = users.first {
                throw PersonalizeError.inUse("Cannot delete schema \(arn): dataset \(user.arn) uses it.")
            }
            try ResourceStore.delete(db, arn: arn)
        }
        return EmptyResponse()
    }
}
