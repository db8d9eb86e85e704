package import GRDB
import GRDBSQLite
import Synchronization

/// Watches every commit of the engine's database and keeps, in memory, what changed: per dataset table a
/// generation (bumped by any change not attributed to named users) and the users whose records a commit
/// declared it changed, and a generation of the resource table.
///
/// It is what lets a precomputed answer be trusted without reading the database: the data folder belongs to one
/// process (``DataDirectoryLock``) and all its writes go through the one writer connection of its
/// `DatabasePool`, where this observer is installed, and commits are reported to it before `write` returns.
/// So once a `PutEvents` call has returned, ``isUnchanged(table:user:since:)`` already says its user changed.
///
/// Changes nobody declared (imports, deletions, record updates) bump the table's generation, which stales every
/// user of it: coarse, but never wrong. Rows written with raw `sqlite3_step` (bulk imports, records) reach no
/// GRDB observer, so each commit also compares SQLite's own count of changed rows on the connection
/// (`sqlite3_total_changes64`) with the changes it was told of: a transaction that changed more, unless it
/// declared its users, stales every table.
package final class DataChangeObserver: TransactionObserver, Sendable {
    /// A point in the change history of one table.
    package struct Snapshot: Sendable, Equatable {
        var sequence: UInt64
        var generation: UInt64
        var unspecified: UInt64
    }

    private struct State {
        /// Commits seen.
        var sequence: UInt64 = 0
        /// Per dataset table, bumped by a commit that changed it without declaring which users it touched.
        var generations: [String: UInt64] = [:]
        /// Per dataset table and user, the sequence of the last commit that declared the user changed.
        var userChanges: [String: [String: UInt64]] = [:]
        /// Bumped by any commit that changed a resource (a campaign, a dataset, a filter...).
        var resourceGeneration: UInt64 = 0
        /// Bumped by changes of unknown extent: they stale every table.
        var unspecifiedGeneration: UInt64 = 0
        // The transaction in progress.
        var declared: [String: Set<String>] = [:]
        var undeclared: Set<String> = []
        var resourcesChanged = false
        var unspecified = false
        var events: Int64 = 0
        /// `sqlite3_total_changes64` of the writer connection when the last transaction ended.
        var totalChanges: Int64 = 0

        mutating func endTransaction(totalChanges: Int64) {
            declared = [:]
            undeclared = []
            resourcesChanged = false
            unspecified = false
            events = 0
            self.totalChanges = totalChanges
        }
    }

    private let state = Mutex(State())

    package init() {}

    /// Declares, from inside a write transaction, that its changes to `table` concern only the records of `users`.
    ///
    /// Call it before changing the table. Without a declaration a change stales the whole table.
    package func declare(table: String, users: [String]) {
        state.withLock { $0.declared[table, default: []].formUnion(users) }
    }

    /// Where the history of `table` stands now. Take it before reading the data an answer is derived from.
    package func snapshot(table: String) -> Snapshot {
        state.withLock {
            Snapshot(
                sequence: $0.sequence, generation: $0.generations[table] ?? 0, unspecified: $0.unspecifiedGeneration)
        }
    }

    /// Whether no commit since `snapshot` changed `user`'s records in `table` (or the table as a whole).
    package func isUnchanged(table: String, user: String, since snapshot: Snapshot) -> Bool {
        state.withLock { state in
            guard (state.generations[table] ?? 0) == snapshot.generation,
                state.unspecifiedGeneration == snapshot.unspecified
            else { return false }
            return (state.userChanges[table]?[user] ?? 0) <= snapshot.sequence
        }
    }

    /// Whether `table` changed as a whole (undeclared changes) since `snapshot`.
    package func isTableUnchanged(_ table: String, since snapshot: Snapshot) -> Bool {
        state.withLock {
            ($0.generations[table] ?? 0) == snapshot.generation && $0.unspecifiedGeneration == snapshot.unspecified
        }
    }

    /// Bumped by every commit that changed a resource.
    package var resourceGeneration: UInt64 { state.withLock { $0.resourceGeneration } }

    // MARK: TransactionObserver

    /// Every table: changes are counted, to be compared with SQLite's count at commit.
    package func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }

    package func databaseDidChange(with event: DatabaseEvent) {
        let table = event.tableName
        state.withLock { state in
            state.events += 1
            if table == "resource" {
                state.resourcesChanged = true
            } else if table.hasPrefix("ds_"), state.declared[table] == nil {
                state.undeclared.insert(table)
            }
        }
    }

    /// Changes of unknown extent (`Database.notifyChanges(in:)`): every table and resource counts as changed.
    package func databaseDidChange() {
        state.withLock { $0.unspecified = true }
    }

    package func databaseDidCommit(_ db: Database) {
        let total = sqlite3_total_changes64(db.sqliteConnection)
        state.withLock { state in
            if total - state.totalChanges > state.events, state.declared.isEmpty { state.unspecified = true }
            state.sequence += 1
            let sequence = state.sequence
            if state.unspecified {
                state.unspecifiedGeneration += 1
                state.userChanges = [:]
                state.resourceGeneration += 1
            }
            for (table, users) in state.declared where !state.undeclared.contains(table) {
                for user in users { state.userChanges[table, default: [:]][user] = sequence }
            }
            for table in state.undeclared {
                state.generations[table, default: 0] += 1
                // Every user of the table is stale now: their individual changes need not be kept.
                state.userChanges[table] = nil
            }
            if state.resourcesChanged { state.resourceGeneration += 1 }
            state.endTransaction(totalChanges: total)
        }
    }

    package func databaseDidRollback(_ db: Database) {
        let total = sqlite3_total_changes64(db.sqliteConnection)
        state.withLock { $0.endTransaction(totalChanges: total) }
    }
}
