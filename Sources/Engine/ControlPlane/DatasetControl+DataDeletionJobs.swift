import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension DatasetControl {
    func createDataDeletionJob(_ request: CreateDataDeletionJobRequest) async throws
        -> CreateDataDeletionJobResponse
    {
        try validateName(request.jobName, field: "jobName")
        let input = try userData.inputs(
            at: request.dataSource.dataLocation, invalid: "Invalid Data location.", selection: .csvFilesRecursively,
            maximumBytes: DeletionInput.maximumTotalBytes)
        let arn = arn(.dataDeletionJob, request.jobName)
        let date = now
        let limit = configuration.limits.maximumPendingDataDeletionJobsPerDatasetGroup
        try await write { db in
            _ = try self.requireExists(db, request.datasetGroupArn, .datasetGroup)
            let pending = try ResourceStore.rows(db, kind: .dataDeletionJob, parent: request.datasetGroupArn)
                .filter { $0.status == Status.DataDeletion.pending }
            if pending.count >= limit {
                throw PersonalizeError.limitExceeded(
                    "More than \(limit) data deletion jobs with PENDING status in dataset group "
                        + "\(request.datasetGroupArn).")
            }
            let job = DataDeletionJob(
                jobName: request.jobName, dataDeletionJobArn: arn, datasetGroupArn: request.datasetGroupArn,
                dataSource: request.dataSource, roleArn: request.roleArn, status: Status.DataDeletion.pending,
                creationDateTime: date, lastUpdatedDateTime: date)
            try Self.insertResource(
                db, arn: arn, kind: .dataDeletionJob, name: request.jobName, parent: request.datasetGroupArn,
                status: Status.DataDeletion.pending, at: date, body: job, tags: request.tags)
        }
        startBackgroundJob(arn) { [self] in
            await dataJobs.runDataDeletionJob(arn: arn, datasetGroupArn: request.datasetGroupArn, input: input)
        }
        return CreateDataDeletionJobResponse(dataDeletionJobArn: arn)
    }
}
