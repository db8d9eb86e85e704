import EngineAPI
package import Foundation
import GRDB
import PersonalizeRules

/// What the engine does when it opens a data folder that a previous process left mid-job.
package enum Recovery {
    package static let interruptedReason =
        "Interrupted: the engine process stopped while this job was in progress. Create it again."

    /// Marks every job that was pending or in progress (campaign updates included) as `CREATE FAILED`
    /// with an "interrupted" reason, and activates filters and metric attributions whose creation or update was
    /// cut short (both are checked before they are stored).
    /// Their partial work is invisible already: imports commit in one transaction and model files are
    /// renamed into place only when complete.
    package static func markInterruptedJobs(in database: EngineDatabase, at date: Date) throws {
        try database.pool.write { db in
            try interrupt(db, DatasetImportJob.self, .datasetImportJob, at: date)
            try interrupt(db, SolutionVersion.self, .solutionVersion, at: date)
            try interrupt(db, DatasetExportJob.self, .datasetExportJob, at: date)
            let batchUnfinished: Set<String> = [Status.Batch.pending, Status.Batch.inProgress]
            try interrupt(db, BatchInferenceJob.self, .batchInferenceJob, at: date, unfinished: batchUnfinished)
            try interrupt(db, BatchSegmentJob.self, .batchSegmentJob, at: date, unfinished: batchUnfinished)
            // A deletion runs in one transaction: an interrupted one deleted nothing.
            try interrupt(
                db, DataDeletionJob.self, .dataDeletionJob, at: date,
                unfinished: [Status.DataDeletion.pending, Status.DataDeletion.inProgress],
                failed: Status.DataDeletion.failed)
            for row in try unfinished(db, .filter) {
                _ = try ResourceStore.update(db, Filter.self, arn: row.arn, kind: .filter, at: date, status: \.status) {
                    $0.status = Status.active; $0.lastUpdatedDateTime = date
                }
            }
            for row in try ResourceStore.rows(db, kind: .metricAttribution) where Status.isTransient(row.status) {
                _ = try ResourceStore.update(
                    db, MetricAttribution.self, arn: row.arn, kind: .metricAttribution, at: date, status: \.status
                ) {
                    $0.status = Status.active; $0.lastUpdatedDateTime = date
                }
            }
            try interrupt(db, Recommender.self, .recommender, at: date)
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
            try interrupt(db, Campaign.self, .campaign, at: date)
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

    /// Marks every job of `kind` in an `unfinished` status as `failed` with the interrupted reason.
    private static func interrupt<Job: JobResource>(
        _ db: Database, _ type: Job.Type, _ kind: ResourceType, at date: Date,
        unfinished: Set<String> = Status.unfinished, failed: String = Status.createFailed
    ) throws {
        for row in try ResourceStore.rows(db, kind: kind) where unfinished.contains(row.status ?? "") {
            try ResourceStore.setJobStatus(
                db, type, row.arn, kind: kind, failed, failureReason: interruptedReason, at: date)
        }
    }

    private static func unfinished(_ db: Database, _ kind: ResourceType) throws -> [ResourceRow] {
        try ResourceStore.rows(db, kind: kind).filter { Status.unfinished.contains($0.status ?? "") }
    }
}
