import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension DatasetControl {
    func createDatasetExportJob(_ request: CreateDatasetExportJobRequest) async throws
        -> CreateDatasetExportJobResponse
    {
        try validateName(request.jobName, field: "jobName")
        let mode = request.ingestionMode ?? .put
        guard [IngestionMode.bulk, .put, .all].contains(mode) else {
            throw PersonalizeError.invalidInput("Invalid ingestionMode \(mode); use BULK, PUT or ALL.")
        }
        let folder = try userData.outputFolder(
            at: request.jobOutput.s3DataDestination.path, invalid: "Invalid output path.")
        let arn = arn(.datasetExportJob, request.jobName)
        let date = now
        try await write { db in
            let table = try DatasetTable.find(db, datasetArn: request.datasetArn)
            guard table.type != .actions, table.type != .actionInteractions else {
                throw PersonalizeError.invalidInput(
                    "Datasets of type \(table.type.rawValue) cannot be exported; export Interactions, Items or "
                        + "Users datasets.")
            }
            let job = DatasetExportJob(
                jobName: request.jobName, datasetExportJobArn: arn, datasetArn: request.datasetArn,
                ingestionMode: mode, roleArn: request.roleArn, status: Status.createPending,
                jobOutput: request.jobOutput, creationDateTime: date, lastUpdatedDateTime: date)
            try Self.insertResource(
                db, arn: arn, kind: .datasetExportJob, name: request.jobName, parent: request.datasetArn,
                status: Status.createPending, at: date, body: job, tags: request.tags)
        }
        startBackgroundJob(arn) { [self] in
            await dataJobs.runExportJob(
                arn: arn, jobName: request.jobName, datasetArn: request.datasetArn, mode: mode, to: folder)
        }
        return CreateDatasetExportJobResponse(datasetExportJobArn: arn)
    }
}
