package import Foundation
package import GRDB

/// The engine's SQLite database (GRDB, WAL): resource descriptions, dataset rows, metrics.
///
/// Resources are kept generically: one row per resource with its kind, name, parent, status and the
/// JSON of its Describe* payload, so every Personalize resource type shares one code path for
/// describe, list and delete. Dataset rows live in one table per dataset, typed after its schema.
package struct EngineDatabase: Sendable {
    package let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and migrates it to the newest version.
    ///
    /// - Throws: GRDB's `DatabaseError` when the file is not a usable SQLite database.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE resource (
                        id INTEGER PRIMARY KEY,
                        arn TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        parent TEXT,
                        status TEXT,
                        created REAL NOT NULL,
                        updated REAL NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX resource_by_kind ON resource(kind, parent, created);
                    CREATE TABLE solution_metrics (
                        solution_version_arn TEXT PRIMARY KEY,
                        metrics BLOB NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: tags") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tag (
                        arn TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (arn, key)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3: data changes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE data_change (
                        dataset_table TEXT PRIMARY KEY,
                        changed REAL NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v4: metric attributions") { db in
            try MetricAttributionStore.migrate(db)
        }
        migrator.registerMigration("v5: recommender trainings") { db in
            // When each recommender's model was last trained from scratch (the weekly retraining's clock).
            try db.execute(
                sql: """
                    CREATE TABLE recommender_training (
                        recommender_arn TEXT PRIMARY KEY,
                        trained REAL NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v6: anonymous sessions") { db in
            // Sessions whose events carried no user ID yet: the guide leaves them out of training until an
            // event links the session to a user.
            try db.execute(
                sql: """
                    CREATE TABLE anonymous_session (
                        dataset_table TEXT NOT NULL,
                        session_id TEXT NOT NULL,
                        PRIMARY KEY (dataset_table, session_id)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v7: streamed event ids") { db in
            // The `eventId`s PutEvents recorded per Interactions table: an event repeating one is not recorded
            // again (the guide: events with a repeated eventId are not used for training).
            try db.execute(
                sql: """
                    CREATE TABLE streamed_event (
                        dataset_table TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        PRIMARY KEY (dataset_table, event_id)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}

/// When records last arrived in a dataset one by one (`PutEvents`); bulk imports are dated by their
/// import jobs. Automatic training runs only when interaction data arrived since the last training.
package enum DataChanges {
    /// Records that `table` received records at `date`.
    package static func record(_ db: Database, table: String, at date: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO data_change (dataset_table, changed) VALUES (?, ?)
                ON CONFLICT (dataset_table) DO UPDATE SET changed = max(changed, excluded.changed)
                """,
            arguments: [table, date.timeIntervalSince1970])
    }

    /// When `table` last received records one by one, if ever.
    package static func lastChange(_ db: Database, table: String) throws -> Date? {
        try Double.fetchOne(
            db, sql: "SELECT changed FROM data_change WHERE dataset_table = ?", arguments: [table]
        ).map(Date.init(timeIntervalSince1970:))
    }
}
