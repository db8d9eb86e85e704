public import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

/// The statuses of data deletion jobs, which differ from the other jobs' (the guide: done is `COMPLETED`).
enum DeletionStatus {
    static let pending = "PENDING"
    static let inProgress = "IN_PROGRESS"
    static let completed = "COMPLETED"
    static let failed = "FAILED"
}

extension LocalEngine {
    public func createDataDeletionJob(_ request: CreateDataDeletionJobRequest) async throws
        -> CreateDataDeletionJobResponse
    {
        try validateName(request.jobName, field: "jobName")
        let files = try userData.inputs(
            at: request.dataSource.dataLocation, invalid: "Invalid Data location.", selection: .csvFilesRecursively,
            maximumBytes: DeletionInput.maximumTotalBytes)
        let arn = arn(.dataDeletionJob, request.jobName)
        let date = now
        let limit = configuration.limits.maximumPendingDataDeletionJobsPerDatasetGroup
        try await write { db in
            _ = try self.requireExists(db, request.datasetGroupArn, .datasetGroup)
            let pending = try ResourceStore.rows(db, kind: .dataDeletionJob, parent: request.datasetGroupArn)
                .filter { $0.status == DeletionStatus.pending }
            if pending.count >= limit {
                throw PersonalizeError.limitExceeded(
                    "More than \(limit) data deletion jobs with PENDING status in dataset group "
                        + "\(request.datasetGroupArn).")
            }
            let job = DataDeletionJob(
                jobName: request.jobName, dataDeletionJobArn: arn, datasetGroupArn: request.datasetGroupArn,
                dataSource: request.dataSource, roleArn: request.roleArn, status: DeletionStatus.pending,
                creationDateTime: date, lastUpdatedDateTime: date)
            try ResourceStore.insert(
                db, arn: arn, kind: .dataDeletionJob, name: request.jobName, parent: request.datasetGroupArn,
                status: DeletionStatus.pending, at: date, body: job)
            try Self.storeTags(db, arn: arn, request.tags)
        }
        startBackgroundJob(arn) { [self] in
            await runDataDeletionJob(arn: arn, datasetGroupArn: request.datasetGroupArn, files: files)
        }
        return CreateDataDeletionJobResponse(dataDeletionJobArn: arn)
    }

    /// Deletes the listed users' records from every dataset of the group that has a `USER_ID` field
    /// (interactions, users, action interactions), in one transaction: all of them or none. Trained models keep
    /// what they learned until the next solution version, as the guide says.
    private nonisolated func runDataDeletionJob(arn: String, datasetGroupArn: String, files: [UserDataFile]) async {
        do {
            try await setJobStatus(DataDeletionJob.self, arn, kind: .dataDeletionJob, DeletionStatus.inProgress)
            let users = try await onThread { try DeletionInput.userIDs(in: files) }
            let deleted = try await database.pool.write { db in
                let datasets = try ResourceStore.rows(db, kind: .dataset, parent: datasetGroupArn)
                try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS deleted_user_ids (id TEXT PRIMARY KEY)")
                try db.execute(sql: "DELETE FROM deleted_user_ids")
                let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO deleted_user_ids (id) VALUES (?)")
                for user in users { try insert.execute(arguments: [user]) }
                var total = 0
                for dataset in datasets {
                    let table = try self.datasetTable(db, datasetArn: dataset.arn)
                    guard table.schema.field("USER_ID") != nil else { continue }
                    try db.execute(
                        sql: "DELETE FROM \(table.name) WHERE USER_ID IN (SELECT id FROM deleted_user_ids)")
                    total += db.changesCount
                }
                try db.execute(sql: "DELETE FROM deleted_user_ids")
                return total
            }
            logger.info("deleted \(deleted) records of \(users.count) users", metadata: ["job": "\(arn)"])
            try await setJobStatus(DataDeletionJob.self, arn, kind: .dataDeletionJob, DeletionStatus.completed) {
                $0.numDeleted = deleted
            }
        } catch {
            let reason = failureReason(error, job: arn)
            logger.warning("data deletion failed: \(reason)", metadata: ["job": "\(arn)"])
            _ = try? await setJobStatus(
                DataDeletionJob.self, arn, kind: .dataDeletionJob, DeletionStatus.failed, failureReason: reason)
        }
    }

    public func describeDataDeletionJob(_ request: DescribeDataDeletionJobRequest) async throws
        -> DescribeDataDeletionJobResponse
    {
        let arn = request.dataDeletionJobArn
        let job = try await read { db in
            try ResourceStore.load(db, DataDeletionJob.self, arn: arn, kind: .dataDeletionJob)
        }
        return DescribeDataDeletionJobResponse(dataDeletionJob: job)
    }

    public func listDataDeletionJobs(_ request: ListDataDeletionJobsRequest) async throws
        -> ListDataDeletionJobsResponse
    {
        let page = try await listPage(
            kind: .dataDeletionJob, parent: request.datasetGroupArn, nextToken: request.nextToken,
            maxResults: request.maxResults
        ) { row in
            let job = try ResourceStore.decode(DataDeletionJob.self, row)
            return DataDeletionJobSummary(
                dataDeletionJobArn: job.dataDeletionJobArn, datasetGroupArn: job.datasetGroupArn,
                jobName: job.jobName, status: job.status, creationDateTime: job.creationDateTime,
                lastUpdatedDateTime: job.lastUpdatedDateTime, failureReason: job.failureReason)
        }
        return ListDataDeletionJobsResponse(dataDeletionJobs: page.items, nextToken: page.nextToken)
    }
}

/// The input of a data deletion job: CSV files with a `USER_ID` header, at most 50 MB in all. A folder
/// (ending in `/`) contributes every `.csv` file in it and its subfolders, as the guide says.
enum DeletionInput {
    static let maximumTotalBytes: Int64 = 50 << 20

    /// The user IDs of the files, checking that each has the one column `USER_ID`.
    static func userIDs(in files: [UserDataFile]) throws -> [String] {
        var users: [String] = []
        var budget = maximumTotalBytes
        for file in files {
            let name = ErrorText.bounded(file.name, limit: 256)
            var reader = CSVReader(descriptor: try file.open(), maximumBytes: budget)
            defer { budget -= Int64(reader.bytesRead) }
            do {
                guard let header = try reader.nextRecord() else {
                    throw PersonalizeError.invalidInput("\(name) is empty; it needs a USER_ID header.")
                }
                guard header.map({ $0.trimmingCharacters(in: .whitespaces) }) == ["USER_ID"] else {
                    throw PersonalizeError.invalidInput(
                        "\(name): the header must be the single column USER_ID, got \(header.count) column(s) "
                            + "starting '\(ErrorText.bounded(header.first ?? ""))'.")
                }
                while let record = try reader.nextRecord() {
                    guard record.count == 1 else {
                        throw PersonalizeError.invalidInput(
                            "\(name) row \(reader.line): expected 1 column (USER_ID), got \(record.count).")
                    }
                    let user = record[0]
                    guard !user.isEmpty else { continue }
                    users.append(user)
                }
            } catch let error as CSVError {
                throw PersonalizeError.invalidInput("\(name) \(error.description)")
            }
        }
        return users
    }
}
