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
    /// Their partial work is invisible already: imports fill a staging table that becomes the dataset's in one
    /// transaction (leftover staging tables are dropped here), and model files are renamed into place only when
    /// complete.
    package static func markInterruptedJobs(in database: EngineDatabase, at date: Date) throws {
        try database.pool.write { db in
            try interrupt(db, DatasetImportJob.self, .datasetImportJob, at: date)
            // An interrupted import's rows are in a staging table, never the dataset's.
            try DatasetTable.dropLeftoverStaging(db)
            try interrupt(db, SolutionVersion.self, .solutionVersion, at: date)
            try interrupt(db, DatasetExportJob.self, .datasetExportJob, at: date)
            // Batch jobs stored by an older Tailor as `PENDING`/`IN_PROGRESS` are interrupted too.
            try interrupt(
                db, BatchInferenceJob.self, .batchInferenceJob, at: date, unfinished: Status.Batch.unfinished)
            try interrupt(db, BatchSegmentJob.self, .batchSegmentJob, at: date, unfinished: Status.Batch.unfinished)
            // A deletion runs in one transaction: an interrupted one deleted nothing.
            try interrupt(
                db, DataDeletionJob.self, .dataDeletionJob, at: date,
                unfinished: [Status.DataDeletion.pending, Status.DataDeletion.inProgress],
                failed: Status.DataDeletion.failed)
            for row in try unfinished(db, .filter) {
                try ResourceStore.activate(db, Filter.self, row.arn, kind: .filter, at: date)
            }
            for row in try ResourceStore.rows(db, kind: .metricAttribution) where Status.isTransient(row.status) {
                try ResourceStore.activate(db, MetricAttribution.self, row.arn, kind: .metricAttribution, at: date)
            }
            try interrupt(db, Recommender.self, .recommender, at: date)
            try interruptUpdates(db, Recommender.self, .recommender, \.latestRecommenderUpdate, at: date)
            try interrupt(db, Campaign.self, .campaign, at: date)
            try interruptUpdates(db, Campaign.self, .campaign, \.latestCampaignUpdate, at: date)
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

    /// Marks the unfinished latest update of every resource of `kind` as `CREATE FAILED` with the interrupted
    /// reason (the resource itself keeps serving what it served before the update).
    private static func interruptUpdates<Resource: JobResource, Update: JobResource>(
        _ db: Database, _ type: Resource.Type, _ kind: ResourceType,
        _ update: WritableKeyPath<Resource, Update?>, at date: Date
    ) throws {
        for row in try ResourceStore.rows(db, kind: kind) {
            guard Status.isTransient(try ResourceStore.decode(Resource.self, row)[keyPath: update]?.status) else {
                continue
            }
            _ = try ResourceStore.update(db, Resource.self, arn: row.arn, kind: kind, at: date, status: \.status) {
                $0[keyPath: update]?.status = Status.createFailed
                $0[keyPath: update]?.failureReason = interruptedReason
                $0[keyPath: update]?.lastUpdatedDateTime = date
            }
        }
    }

    private static func unfinished(_ db: Database, _ kind: ResourceType) throws -> [ResourceRow] {
        try ResourceStore.rows(db, kind: kind).filter { Status.unfinished.contains($0.status ?? "") }
    }
}
