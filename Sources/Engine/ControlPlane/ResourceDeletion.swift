import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

/// How a resource is deleted: `DELETE PENDING`, `DELETE IN_PROGRESS` in the background, then gone with its rows and files; deletions a dead process left are finished when the folder is opened.
package struct ResourceDeletion: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}

/// Deletion in the service's two phases.
///
/// A Delete call checks what the service checks (children, running jobs) and, in the same transaction,
/// marks the resource `DELETE PENDING`; it stops serving at once. A background job then moves it to
/// `DELETE IN_PROGRESS`, removes what belongs to it (a dataset's table and import jobs, a solution's
/// versions and model files, ...) and finally the resource itself, after which Describe answers
/// `ResourceNotFoundException`. While a resource is being deleted its name stays taken, its parent
/// cannot be deleted, nothing can be created under it, and a second Delete is refused with
/// `ResourceInUseException`. A process stopped mid-deletion leaves it to the next open of the folder,
/// which finishes it (``ResourceDeletion/finishInterruptedDeletions()``).
extension ResourceDeletion {
    /// Marks `row` `DELETE PENDING` and schedules the rest of its deletion once the caller's transaction
    /// commits (call ``startDeletion(_:)`` with the ARN after it).
    func beginDeletion(_ db: Database, _ row: ResourceRow, at date: Date) throws {
        if let status = row.status, Status.isDeleting(status) {
            throw PersonalizeError.inUse("The \(row.kind.displayName) \(row.arn) is already being deleted (\(status)).")
        }
        try ResourceStore.setStatus(db, arn: row.arn, Status.deletePending, at: date)
    }

    /// Runs the second phase of the deletion of `arn` in the background: ``EngineConfiguration/deletionDelay``
    /// is spent half in `DELETE PENDING`, half in `DELETE IN_PROGRESS`, as the service's window of minutes is
    /// observable, then the resource is removed.
    func startDeletion(_ arn: String) {
        serving.setDeployed(nil, for: arn)
        let phase = configuration.deletionDelay / 2
        // Weakly held: an engine closed while a deletion waits leaves it to the next open of the folder.
        startBackgroundJob("delete:\(arn)") { [weak core] in
            if phase > 0 { try? await Task.sleep(for: .seconds(phase)) }
            guard await Self.step(core, arn, { try await $0.markInProgress(arn) }) else { return }
            if phase > 0 { try? await Task.sleep(for: .seconds(phase)) }
            _ = await Self.step(core, arn, { try await $0.finishDeletion(arn) })
        }
    }

    /// Runs one step of a deletion on `core` unless the engine was closed meanwhile; false when it was, the
    /// resource is gone, or the step failed (logged).
    private static func step(
        _ core: EngineCore?, _ arn: String, _ body: (ResourceDeletion) async throws -> Bool
    ) async -> Bool {
        guard let core else { return false }
        do {
            return try await body(ResourceDeletion(core: core))
        } catch {
            core.logger.error("deletion failed", metadata: ["arn": "\(arn)", "error": "\(error)"])
            return false
        }
    }

    /// `DELETE IN_PROGRESS`; false when the resource is gone already.
    private func markInProgress(_ arn: String) async throws -> Bool {
        let date = now
        return try await write { db in
            guard try ResourceStore.row(db, arn: arn) != nil else { return false }
            try ResourceStore.setStatus(db, arn: arn, Status.deleteInProgress, at: date)
            return true
        }
    }

    /// The resource and what belongs to it are removed in one transaction.
    private func finishDeletion(_ arn: String) async throws -> Bool {
        let modelFiles = try await write { db -> [String] in
            guard let row = try ResourceStore.row(db, arn: arn) else { return [] }
            return try Self.remove(db, row)
        }
        serving.setDeployed(nil, for: arn)
        for file in modelFiles { models.remove(for: file) }
        return true
    }

    /// Finishes the deletions a previous process left `DELETE PENDING` or `DELETE IN_PROGRESS`.
    /// Called when the engine opens its folder; each resource and what belongs to it goes in one
    /// transaction, so an interrupted deletion removed either everything or nothing.
    func finishInterruptedDeletions() throws {
        let modelFiles = try database.pool.write { db -> [String] in
            var files: [String] = []
            for arn in try ResourceStore.arnsBeingDeleted(db) {
                guard let row = try ResourceStore.row(db, arn: arn) else { continue }
                files += try Self.remove(db, row)
            }
            return files
        }
        for file in modelFiles { models.remove(for: file) }
    }

    /// Removes `row` and everything that belongs to it; returns the model files to remove after the
    /// transaction commits.
    private static func remove(_ db: Database, _ row: ResourceRow) throws -> [String] {
        var modelFiles: [String] = []
        switch row.kind {
        case .dataset:
            let table = try DatasetTable.find(db, datasetArn: row.arn)
            try table.drop(db)
            try StreamedEvents.forget(db, table: table.name)
            for job in try ResourceStore.rows(db, kind: .datasetImportJob, parent: row.arn) {
                try ResourceStore.delete(db, arn: job.arn)
            }
            if table.type == .actionInteractions, let group = row.parent {
                try ResourceStore.delete(db, arn: DatasetControl.actionInteractionsTrackerArn(group: group))
            }
        case .solution:
            for version in try ResourceStore.rows(db, kind: .solutionVersion, parent: row.arn) {
                try ResourceStore.delete(db, arn: version.arn)
                try SolutionMetricsTable.remove(db, versionArn: version.arn)
                modelFiles.append(version.arn)
            }
        case .recommender:
            try RecommenderTrainingTable.remove(db, recommenderArn: row.arn)
            modelFiles.append(row.arn)
        case .metricAttribution:
            try MetricAttributionStore.remove(db, arn: row.arn)
        default:
            break
        }
        try ResourceStore.delete(db, arn: row.arn)
        return modelFiles
    }
}
