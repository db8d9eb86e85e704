import EngineAPI
import Foundation
package import GRDB
package import PersonalizeRules

extension EnginePart {
    /// Runs `body` in a write transaction; a `PersonalizeError` thrown inside rolls it back.
    package func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await database.pool.write(body)
    }

    package func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await database.pool.read(body)
    }

    /// Checks a resource name against the service's pattern `^[a-zA-Z0-9][a-zA-Z0-9\-_]*` (1–63).
    package func validateName(_ name: String, field: String = "name") throws {
        guard ResourceName.isValid(name) else {
            throw PersonalizeError.invalidInput(ResourceName.validationMessage(name, field: field))
        }
    }

    /// Throws `ResourceNotFoundException` unless `arn` names a resource of `kind`.
    package func requireExists(_ db: Database, _ arn: String, _ kind: ResourceType) throws -> ResourceRow {
        guard let row = try ResourceStore.row(db, arn: arn), row.kind == kind else {
            throw PersonalizeError.notFound("Could not find \(kind.displayName) with ARN \(arn).")
        }
        return row
    }

    /// The description of resource `arn` of `kind`, or `ResourceNotFoundException`.
    package func load<Resource: Codable & Sendable>(_ type: Resource.Type, arn: String, kind: ResourceType)
        async throws -> Resource
    {
        try await read { db in try ResourceStore.load(db, Resource.self, arn: arn, kind: kind) }
    }

    /// Deletes resource `arn` of `kind` when `check` (inside the transaction) allows it: the row goes at once to
    /// `DELETE PENDING`, the rest in the background (``ResourceDeletion``).
    func deleteResource(
        _ arn: String, kind: ResourceType,
        checking check: @Sendable @escaping (Database, ResourceRow) throws -> Void = { _, _ in }
    ) async throws -> EmptyResponse {
        let date = now
        try await write { db in
            let row = try self.requireExists(db, arn, kind)
            try check(db, row)
            try self.resourceDeletion.beginDeletion(db, row, at: date)
        }
        resourceDeletion.startDeletion(arn)
        return EmptyResponse()
    }

    /// ``deleteResource(_:kind:checking:)`` unless the resource is creating or updating (`ResourceInUseException`).
    func deleteSettled(_ arn: String, kind: ResourceType, named name: String) async throws -> EmptyResponse {
        try await deleteResource(arn, kind: kind) { _, row in
            if Status.isTransient(row.status) {
                throw PersonalizeError.inUse("\(name) \(arn) is \(row.status ?? ""); wait until it settles.")
            }
        }
    }

    /// Inserts a new resource's row and its tags (``TagControl/storeTags(_:arn:_:)``), in the caller's transaction.
    static func insertResource<Body: Encodable>(
        _ db: Database, arn: String, kind: ResourceType, name: String, parent: String?, status: String?,
        at date: Date, body: Body, tags: [Tag]?
    ) throws {
        try ResourceStore.insert(
            db, arn: arn, kind: kind, name: name, parent: parent, status: status, at: date, body: body)
        try TagControl.storeTags(db, arn: arn, tags)
    }
}
