import Foundation
import GRDB

/// The tags of every resource (TagResource, the `tags` of each Create*).
enum TagTable {
    /// The tags of `arn`, by key.
    static func tags(_ db: Database, arn: String) throws -> [(key: String, value: String)] {
        try Row.fetchAll(db, sql: "SELECT key, value FROM tag WHERE arn = ? ORDER BY key", arguments: [arn])
            .map { ($0["key"], $0["value"]) }
    }

    static func keys(_ db: Database, arn: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT key FROM tag WHERE arn = ?", arguments: [arn]))
    }

    /// Adds the tag, or replaces the value of the key.
    static func put(_ db: Database, arn: String, key: String, value: String) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO tag (arn, key, value) VALUES (?, ?, ?)", arguments: [arn, key, value])
    }

    static func remove(_ db: Database, arn: String, key: String) throws {
        try db.execute(sql: "DELETE FROM tag WHERE arn = ? AND key = ?", arguments: [arn, key])
    }
}

/// The offline metrics of each trained solution version (GetSolutionMetrics), as JSON.
enum SolutionMetricsTable {
    static func metrics(_ db: Database, versionArn: String) throws -> Data? {
        try Data.fetchOne(
            db, sql: "SELECT metrics FROM solution_metrics WHERE solution_version_arn = ?", arguments: [versionArn])
    }

    static func save(_ db: Database, versionArn: String, metrics: Data) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO solution_metrics (solution_version_arn, metrics) VALUES (?, ?)",
            arguments: [versionArn, metrics])
    }

    static func remove(_ db: Database, versionArn: String) throws {
        try db.execute(sql: "DELETE FROM solution_metrics WHERE solution_version_arn = ?", arguments: [versionArn])
    }
}

/// When each recommender was last trained (its weekly retraining is due from then).
enum RecommenderTrainingTable {
    static func lastTrained(_ db: Database, recommenderArn: String) throws -> Date? {
        try Double.fetchOne(
            db, sql: "SELECT trained FROM recommender_training WHERE recommender_arn = ?", arguments: [recommenderArn]
        ).map(Date.init(timeIntervalSince1970:))
    }

    static func setTrained(_ db: Database, recommenderArn: String, at date: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO recommender_training (recommender_arn, trained) VALUES (?, ?)
                ON CONFLICT (recommender_arn) DO UPDATE SET trained = excluded.trained
                """,
            arguments: [recommenderArn, date.timeIntervalSince1970])
    }

    static func remove(_ db: Database, recommenderArn: String) throws {
        try db.execute(sql: "DELETE FROM recommender_training WHERE recommender_arn = ?", arguments: [recommenderArn])
    }
}

extension ResourceStore {
    /// The resources a deletion has begun for (`DELETE PENDING`, `DELETE IN_PROGRESS`).
    static func arnsBeingDeleted(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT arn FROM resource WHERE status LIKE 'DELETE %'")
    }
}
