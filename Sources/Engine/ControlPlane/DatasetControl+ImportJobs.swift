import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension DatasetControl {
    func createDatasetImportJob(_ request: CreateDatasetImportJobRequest) async throws
        -> CreateDatasetImportJobResponse
    {
        try validateName(request.jobName, field: "jobName")
        let mode = request.importMode ?? .full
        guard ImportMode.allKnown.contains(mode) else {
            throw PersonalizeError.invalidInput("Invalid importMode \(mode); use FULL or INCREMENTAL.")
        }
        let limits = configuration.limits
        let input = try userData.inputs(
            at: request.dataSource.dataLocation, invalid: "Invalid Data location.", selection: .csvFiles,
            maximumBytes: Int64(mode == .full ? limits.maximumFullImportBytes : limits.maximumIncrementalImportBytes))
        let arn = arn(.datasetImportJob, request.jobName)
        let date = now
        let limit = configuration.limits.maximumPendingImportJobs
        try await write { db in
            _ = try self.requireExists(db, request.datasetArn, .dataset)
            let jobs = try ResourceStore.rows(db, kind: .datasetImportJob)
            if jobs.filter({ Status.isTransient($0.status) }).count >= limit {
                throw PersonalizeError.limitExceeded(
                    "More than \(limit) resources with PENDING or IN_PROGRESS status.")
            }
            let earlier = jobs.filter { $0.parent == request.datasetArn && $0.status == Status.active }
            if mode == .incremental, earlier.isEmpty {
                throw PersonalizeError.invalidInput(
                    "INCREMENTAL import is allowed only after a first FULL import into \(request.datasetArn).")
            }
            let job = DatasetImportJob(
                jobName: request.jobName, datasetImportJobArn: arn, datasetArn: request.datasetArn,
                dataSource: request.dataSource, roleArn: request.roleArn, status: Status.createPending,
                creationDateTime: date, lastUpdatedDateTime: date, importMode: mode,
                publishAttributionMetricsToS3: request.publishAttributionMetricsToS3)
            try Self.insertResource(
                db, arn: arn, kind: .datasetImportJob, name: request.jobName, parent: request.datasetArn,
                status: Status.createPending, at: date, body: job, tags: request.tags)
        }
        let publish = request.publishAttributionMetricsToS3 ?? false
        startBackgroundJob(arn) { [self] in
            await dataJobs.runImportJob(
                arn: arn, datasetArn: request.datasetArn, input: input, mode: mode, publish: publish)
        }
        return CreateDatasetImportJobResponse(datasetImportJobArn: arn)
    }
}
