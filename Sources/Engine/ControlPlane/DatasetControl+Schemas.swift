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
