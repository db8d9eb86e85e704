import EngineAPI
package import Foundation
package import GRDB
package import PersonalizeRules

/// One stored resource: indexed columns plus the JSON of its description.
package struct ResourceRow: Sendable {
    package var id: Int64
    package var arn: String
    package var kind: ResourceType
    package var name: String
    package var parent: String?
    package var status: String?
    package var created: Date
    package var body: Data
}

/// Reads and writes resource rows; every method runs inside a caller's GRDB transaction.
///
/// Every status it stores is checked against the resource's ``Lifecycle`` (`enforcingLifecycle: false` is for tests
/// that record the state a crashed process left, which no operation can reach).
package enum ResourceStore {
    package static func insert<Body: Encodable>(
        _ db: Database, arn: String, kind: ResourceType, name: String, parent: String?, status: String?,
        at date: Date, body: Body, enforcingLifecycle: Bool = true
    ) throws {
        if let parent,
            let status = try String.fetchOne(
                db, sql: "SELECT status FROM resource WHERE arn = ?", arguments: [parent]), Status.isDeleting(status)
        {
            throw PersonalizeError.inUse("Cannot create \(name): its parent \(parent) is being deleted (\(status)).")
        }
        if enforcingLifecycle, let problem = Lifecycle(kind).problem(from: nil, to: status, creating: true, arn: arn) {
            throw PersonalizeError(.internalFailure, problem)
        }
        let data = try PersonalizeJSON.encoder().encode(body)
        do {
            try db.execute(
                sql: """
                    INSERT INTO resource (arn, kind, name, parent, status, created, updated, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    arn, kind.rawValue, name, parent, status, date.timeIntervalSince1970,
                    date.timeIntervalSince1970, data,
                ]
            )
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw PersonalizeError.alreadyExists("The \(kind.displayName) \(arn) already exists.")
        }
    }

    package static func row(_ db: Database, arn: String) throws -> ResourceRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM resource WHERE arn = ?", arguments: [arn]).flatMap(decodeRow)
    }

    /// The description of `arn` decoded as `Body`, or `ResourceNotFoundException`.
    package static func load<Body: Decodable>(
        _ db: Database, _ type: Body.Type, arn: String, kind: ResourceType
    ) throws -> Body {
        try PersonalizeJSON.decoder().decode(Body.self, from: existingRow(db, arn: arn, kind: kind).body)
    }

    /// The row of `arn`, which must be a `kind`, or `ResourceNotFoundException`.
    private static func existingRow(_ db: Database, arn: String, kind: ResourceType) throws -> ResourceRow {
        guard let row = try row(db, arn: arn), row.kind == kind else {
            throw PersonalizeError.notFound("Could not find \(kind.displayName) with ARN \(arn).")
        }
        return row
    }

    /// Rewrites the description of `arn`, keeping the indexed status column in step.
    package static func update<Body: Codable>(
        _ db: Database, _ type: Body.Type, arn: String, kind: ResourceType, at date: Date,
        status: (Body) -> String?, enforcingLifecycle: Bool = true, _ change: (inout Body) throws -> Void
    ) throws -> Body {
        let row = try existingRow(db, arn: arn, kind: kind)
        var body = try PersonalizeJSON.decoder().decode(Body.self, from: row.body)
        try change(&body)
        if enforcingLifecycle { try checkTransition(row, to: status(body)) }
        let data = try PersonalizeJSON.encoder().encode(body)
        try db.execute(
            sql: "UPDATE resource SET body = ?, status = ?, updated = ? WHERE arn = ?",
            arguments: [data, status(body), date.timeIntervalSince1970, arn]
        )
        return body
    }

    /// Sets the status of `arn` in its indexed column and in its description (`status` and
    /// `lastUpdatedDateTime`), whatever the description's type.
    package static func setStatus(
        _ db: Database, arn: String, _ status: String, at date: Date, enforcingLifecycle: Bool = true
    ) throws {
        guard let row = try row(db, arn: arn) else { return }
        guard var object = try JSONSerialization.jsonObject(with: row.body) as? [String: Any] else {
            throw PersonalizeError(.internalFailure, "The stored description of \(arn) is not a JSON object.")
        }
        if enforcingLifecycle { try checkTransition(row, to: status) }
        object["status"] = status
        object["lastUpdatedDateTime"] = date.timeIntervalSince1970
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        try db.execute(
            sql: "UPDATE resource SET body = ?, status = ?, updated = ? WHERE arn = ?",
            arguments: [data, status, date.timeIntervalSince1970, arn]
        )
    }

    /// Refuses a status change that the resource's lifecycle (``Lifecycle``) does not allow: an engine bug, so the
    /// write is rolled back and the operation or job fails with `InternalFailure`.
    private static func checkTransition(_ row: ResourceRow, to status: String?) throws {
        if let problem = Lifecycle(row.kind).problem(from: row.status, to: status, creating: false, arn: row.arn) {
            throw PersonalizeError(.internalFailure, problem)
        }
    }

    package static func delete(_ db: Database, arn: String) throws {
        try db.execute(sql: "DELETE FROM resource WHERE arn = ?", arguments: [arn])
        try db.execute(sql: "DELETE FROM tag WHERE arn = ?", arguments: [arn])
    }

    /// Rows of `kind` (optionally under `parent`), newest first.
    package static func rows(_ db: Database, kind: ResourceType, parent: String? = nil) throws -> [ResourceRow] {
        let rows: [Row]
        if let parent {
            rows = try Row.fetchAll(
                db, sql: "SELECT * FROM resource WHERE kind = ? AND parent = ? ORDER BY created DESC, id DESC",
                arguments: [kind.rawValue, parent])
        } else {
            rows = try Row.fetchAll(
                db, sql: "SELECT * FROM resource WHERE kind = ? ORDER BY created DESC, id DESC",
                arguments: [kind.rawValue])
        }
        return rows.compactMap(decodeRow)
    }

    package static func count(_ db: Database, kind: ResourceType, parent: String? = nil) throws -> Int {
        if let parent {
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM resource WHERE kind = ? AND parent = ?",
                arguments: [kind.rawValue, parent]) ?? 0
        }
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM resource WHERE kind = ?", arguments: [kind.rawValue]) ?? 0
    }

    package static func decode<Body: Decodable>(_ type: Body.Type, _ row: ResourceRow) throws -> Body {
        try PersonalizeJSON.decoder().decode(Body.self, from: row.body)
    }

    private static func decodeRow(_ row: Row) -> ResourceRow? {
        guard let kind = ResourceType(rawValue: row["kind"]) else { return nil }
        return ResourceRow(
            id: row["id"], arn: row["arn"], kind: kind, name: row["name"], parent: row["parent"],
            status: row["status"], created: Date(timeIntervalSince1970: row["created"]), body: row["body"]
        )
    }
}
