import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension DataJobs {
    /// Deletes the listed users' records from every dataset of the group that has a `USER_ID` field
    /// (interactions, users, action interactions), in one transaction: all of them or none. Trained models keep
    /// what they learned until the next solution version, as the guide says.
    func runDataDeletionJob(arn: String, datasetGroupArn: String, input: UserDataInput) async {
        await runningJob(DataDeletionJob.self, arn, kind: .dataDeletionJob, failed: Status.DataDeletion.failed) {
            try await setJobStatus(DataDeletionJob.self, arn, kind: .dataDeletionJob, Status.DataDeletion.inProgress)
            let staged = try await userData.stage(input)
            defer { staged.remove() }
            let users = try await compute { try DeletionInput.userIDs(in: staged.files) }
            let deleted = try await database.pool.write { db in
                let datasets = try ResourceStore.rows(db, kind: .dataset, parent: datasetGroupArn)
                let deletedUsers = try DeletedUsers(db, users)
                var total = 0
                for dataset in datasets {
                    let table = try DatasetTable.find(db, datasetArn: dataset.arn)
                    guard table.schema.field("USER_ID") != nil else { continue }
                    total += try table.deleteRecords(db, ofUsers: deletedUsers)
                }
                try deletedUsers.empty()
                return total
            }
            logger.info("deleted \(deleted) records of \(users.count) users", metadata: ["job": "\(arn)"])
            try await setJobStatus(DataDeletionJob.self, arn, kind: .dataDeletionJob, Status.DataDeletion.completed) {
                $0.numDeleted = deleted
            }
        }
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
