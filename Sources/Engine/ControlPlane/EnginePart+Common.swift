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

    /// Lists the rows of `kind` under `parent`, decoded as their summaries, one page at a time.
    package func listPage<Summary: Sendable>(
        kind: ResourceType, parent: String?, nextToken: String?, maxResults: Int?,
        summary: @Sendable @escaping (ResourceRow) throws -> Summary
    ) async throws -> (items: [Summary], nextToken: String?) {
        let rows = try await read { db in try ResourceStore.rows(db, kind: kind, parent: parent) }
        let page = try Pagination.page(
            rows, listing: "\(kind.rawValue)|\(parent ?? "")", nextToken: nextToken, maxResults: maxResults)
        return (try page.page.map(summary), page.nextToken)
    }

    /// Throws `ResourceNotFoundException` unless `arn` names a resource of `kind`.
    package func requireExists(_ db: Database, _ arn: String, _ kind: ResourceType) throws -> ResourceRow {
        guard let row = try ResourceStore.row(db, arn: arn), row.kind == kind else {
            throw PersonalizeError.notFound("Could not find \(kind.displayName) with ARN \(arn).")
        }
        return row
    }
}
