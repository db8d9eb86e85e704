import Foundation
import GRDB

@testable import Engine

/// Every status the engine writes to its resources, recorded by SQLite triggers as it is written: a test reads
/// a resource's exact lifecycle, and how long each status lasted, however late its own polls run on a loaded
/// machine.
struct StatusHistory {
    struct Entry: Equatable {
        let status: String
        /// Seconds since 1970, when SQLite wrote it.
        let at: Double
    }

    private let engine: LocalEngine

    /// Installs the triggers in `engine`'s database (`GONE` records a removed resource).
    init(_ engine: LocalEngine) async throws {
        self.engine = engine
        let now = "(julianday('now') - 2440587.5) * 86400.0"
        try await engine.core.database.pool.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE test_status_history (arn TEXT NOT NULL, status TEXT, at REAL NOT NULL);
                    CREATE TRIGGER test_status_insert AFTER INSERT ON resource BEGIN
                        INSERT INTO test_status_history VALUES (new.arn, new.status, \(now));
                    END;
                    CREATE TRIGGER test_status_update AFTER UPDATE OF status ON resource
                    WHEN new.status IS NOT old.status BEGIN
                        INSERT INTO test_status_history VALUES (new.arn, new.status, \(now));
                    END;
                    CREATE TRIGGER test_status_delete AFTER DELETE ON resource BEGIN
                        INSERT INTO test_status_history VALUES (old.arn, 'GONE', \(now));
                    END;
                    """)
        }
    }

    /// The statuses `arn` went through, in order.
    func entries(_ arn: String) async throws -> [Entry] {
        try await engine.core.database.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT status, at FROM test_status_history WHERE arn = ? ORDER BY rowid", arguments: [arn]
            ).map { Entry(status: $0["status"] ?? "NONE", at: $0["at"]) }
        }
    }

    /// The statuses alone.
    func statuses(_ arn: String) async throws -> [String] {
        try await entries(arn).map(\.status)
    }
}
