import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension DataJobs {
    /// Imports the files, and reports the new interactions to the group's metric attribution: into its
    /// running totals for an INCREMENTAL import, and into a report file when `publish` is set and the
    /// attribution has an output path.
    func runImportJob(
        arn: String, datasetArn: String, input: UserDataInput, mode: ImportMode, publish: Bool
    ) async {
        let pool = database.pool
        let limits = configuration.limits
        let hook = configuration.afterImportChunk
        let date = clock.now()
        await runningJob(DatasetImportJob.self, arn, kind: .datasetImportJob) {
            try await setJobStatus(DatasetImportJob.self, arn, kind: .datasetImportJob, Status.createInProgress)
            let staged = try await userData.stage(input)
            defer { staged.remove() }
            let files = staged.files
            let (group, table) = try await pool.read { db in
                (
                    try ResourceStore.row(db, arn: datasetArn)?.parent ?? "",
                    try DatasetTable.find(db, datasetArn: datasetArn)
                )
            }
            let (count, report) = try await compute {
                try DatasetImporter(table: table, limits: limits, afterChunk: hook).run(
                    files: files, mode: mode, into: pool
                ) {
                    db, rows, watermark in
                    let rows = try AttributionRecorder.record(
                        db, group: group, table: rows, after: watermark, accumulate: mode == .incremental, now: date)
                    let destination = try AttributionRecorder.activeAttribution(db, group: group)?
                        .attribution.metricsOutputConfig?.s3DataDestination?.path
                    return (rows, destination)
                }
            }
            logger.info("imported \(count) records", metadata: ["job": "\(arn)"])
            if publish, let destination = report.1 {
                try await AttributionPublisher.write(
                    report.0, to: destination, method: .bulk, at: date, store: userData)
            }
            try await setJobStatus(DatasetImportJob.self, arn, kind: .datasetImportJob, Status.active)
        }
    }
}
