import EngineAPI
package import Foundation
import GRDB

/// What the engine does when it opens a data folder that a previous process left mid-job.
package enum Recovery {
    package static let interruptedReason =
        "Interrupted: the engine process stopped while this job was in progress. Create it again."

    /// Marks every job that was pending or in progress (campaign updates included) as `CREATE FAILED`
    /// with an "interrupted" reason, and activates filters whose creation was cut short.
    /// Their partial work is invisible already: imports commit in one transaction and model files are
    /// renamed into place only when complete.
    package static func markInterruptedJobs(in database: EngineDatabase, at date: Date) throws {
        try database.pool.write { db in
            for row in try unfinished(db, .datasetImportJob) {
                _ = try ResourceStore.update(
                    db, DatasetImportJob.self, arn: row.arn, kind: .datasetImportJob, at: date, status: \.status
                ) {
                    $0.status = Status.createFailed; $0.failureReason = interruptedReason; $0.lastUpdatedDateTime = date
                }
            }
            for row in try unfinished(db, .solutionVersion) {
                _ = try ResourceStore.update(
                    db, SolutionVersion.self, arn: row.arn, kind: .solutionVersion, at: date, status: \.status
                ) {
                    $0.status = Status.createFailed; $0.failureReason = interruptedReason; $0.lastUpdatedDateTime = date
                }
            }
            for row in try unfinished(db, .datasetExportJob) {
                _ = try ResourceStore.update(
                    db, DatasetExportJob.self, arn: row.arn, kind: .datasetExportJob, at: date, status: \.status
                ) {
                    $0.status = Status.createFailed; $0.failureReason = interruptedReason; $0.lastUpdatedDateTime = date
                }
            }
            let batches = try ResourceStore.rows(db, kind: .batchInferenceJob).filter {
                $0.status == BatchStatus.pending || $0.status == BatchStatus.inProgress
            }
            for row in batches {
                _ = try ResourceStore.update(
                    db, BatchInferenceJob.self, arn: row.arn, kind: .batchInferenceJob, at: date, status: \.status
                ) {
                    $0.status = BatchStatus.failed; $0.failureReason = interruptedReason; $0.lastUpdatedDateTime = date
                }
            }
            let segments = try ResourceStore.rows(db, kind: .batchSegmentJob).filter {
                $0.status == BatchStatus.pending || $0.status == BatchStatus.inProgress
            }
            for row in segments {
                _ = try ResourceStore.update(
                    db, BatchSegmentJob.self, arn: row.arn, kind: .batchSegmentJob, at: date, status: \.status
                ) {
                    $0.status = BatchStatus.failed; $0.failureReason = interruptedReason; $0.lastUpdatedDateTime = date
                }
            }
            // A deletion runs in one transaction: an interrupted one deleted nothing.
            let deletions = try ResourceStore.rows(db, kind: .dataDeletionJob).filter {
                $0.status == DeletionStatus.pending || $0.status == DeletionStatus.inProgress
            }
            for row in deletions {
                _ = try ResourceStore.update(
                    db, DataDeletionJob.self, arn: row.arn, kind: .dataDeletionJob, at: date, status: \.status
                ) {
                    $0.status = DeletionStatus.failed; $0.failureReason = interruptedReason
                    $0.lastUpdatedDateTime = date
                }
            }
            // A filter's expression is checked before it is stored, so a pending one only needs activating.
            for row in try unfinished(db, .filter) {
                _ = try ResourceStore.update(db, Filter.self, arn: row.arn, kind: .filter, at: date, status: \.status) {
                    $0.status = Status.active; $0.lastUpdatedDateTime = date
                }
            }
            for row in try unfinished(db, .recommender) {
                _ = try ResourceStore.update(
                    db, Recommender.self, arn: row.arn, kind: .recommender, at: date, status: \.status
                ) {
                    $0.status = Status.createFailed; $0.failureReason = interruptedReason; $0.lastUpdatedDateTime = date
                }
            }
            for row in try ResourceStore.rows(db, kind: .recommender) {
                let recommender = try ResourceStore.decode(Recommender.self, row)
                guard Status.isTransient(recommender.latestRecommenderUpdate?.status) else { continue }
                _ = try ResourceStore.update(
                    db, Recommender.self, arn: row.arn, kind: .recommender, at: date, status: \.status
                ) {
                    $0.latestRecommenderUpdate?.status = Status.createFailed
                    $0.latestRecommenderUpdate?.failureReason = interruptedReason
                }
            }
            for row in try unfinished(db, .campaign) {
                _ = try ResourceStore.update(
                    db, Campaign.self, arn: row.arn, kind: .campaign, at: date, status: \.status
                ) {
                    $0.status = Status.createFailed; $0.failureReason = interruptedReason; $0.lastUpdatedDateTime = date
                }
            }
            for row in try ResourceStore.rows(db, kind: .campaign) {
                let campaign = try ResourceStore.decode(Campaign.self, row)
                guard Status.isTransient(campaign.latestCampaignUpdate?.status) else { continue }
                _ = try ResourceStore.update(
                    db, Campaign.self, arn: row.arn, kind: .campaign, at: date, status: \.status
                ) {
                    $0.latestCampaignUpdate?.status = Status.createFailed
                    $0.latestCampaignUpdate?.failureReason = interruptedReason
                    $0.latestCampaignUpdate?.lastUpdatedDateTime = date
                }
            }
        }
    }

    private static func unfinished(_ db: Database, _ kind: ResourceKind) throws -> [ResourceRow] {
        try ResourceStore.rows(db, kind: kind).filter { Status.unfinished.contains($0.status ?? "") }
    }
}
