import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Dataset export jobs (the guide's part 3 §2.4) and data deletion jobs (§2.6).
@Suite struct ExportAndDeletionTests {
    let harness: EngineHarness
    let data = SyntheticData(users: 120, items: 60, clusters: 4)
    init() throws { harness = try EngineHarness() }

    private var engine: LocalEngine { harness.engine }

    /// Exports `dataset` with `mode` into a fresh folder and returns the job's final status and the CSV lines.
    private func export(_ dataset: String, mode: IngestionMode, name: String) async throws -> (String?, [String]) {
        let folder = harness.directory.url.appendingPathComponent("export-\(name)")
        let arn =
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: name, datasetArn: dataset, ingestionMode: mode, roleArn: "arn:aws:iam::0:role/r",
                    jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: "file://" + folder.path)))
            ).datasetExportJobArn ?? ""
        let engine = self.engine
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetExportJobRequest(datasetExportJobArn: arn)).datasetExportJob?.status
        }
        let file = folder.appendingPathComponent("\(name)_part_00000.csv")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return (status, text.split(separator: "\n").map(String.init))
    }

    /// Runs a data deletion job named `name` of the users listed at `location` in `group`; returns the job's ARN
    /// and final status.
    private func deleteUsers(
        listedAt location: String, in group: String, name: String
    ) async throws -> (arn: String, status: String?) {
        let arn =
            try await engine.send(
                CreateDataDeletionJobRequest(
                    jobName: name, datasetGroupArn: group, dataSource: DataSource(dataLocation: location), roleArn: "r")
            ).dataDeletionJobArn ?? ""
        let engine = self.engine
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDataDeletionJobRequest(dataDeletionJobArn: arn)).dataDeletionJob?.status
        }
        return (arn, status)
    }

    @Test func exportsFollowEachIngestionModesRules() async throws {
        let csv = data.interactionsCSV(perUser: 10)
        let (group, dataset, status) = try await harness.importInteractions(csv)
        #expect(status == "ACTIVE")
        let tracker = try await engine.send(CreateEventTrackerRequest(name: "t", datasetGroupArn: group))
        let event = Event(eventType: "click", itemId: "i3", sentAt: Date(timeIntervalSince1970: 1_800_000_000))
        _ = try await engine.send(
            PutEventsRequest(trackingId: tracker.trackingId ?? "", userId: "u7", sessionId: "s", eventList: [event]))

        let imported = csv.split(separator: "\n").count - 1
        let (bulkStatus, bulk) = try await export(dataset, mode: .bulk, name: "bulk")
        #expect(bulkStatus == "ACTIVE")
        #expect(bulk.first == "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE", "the header is the schema's fields")
        #expect(bulk.count - 1 == imported)
        #expect(!bulk.contains { $0.hasPrefix("u7,i3,1800000000,click") })

        let (_, put) = try await export(dataset, mode: .put, name: "put")
        #expect(put == ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE", "u7,i3,1800000000,click,"])

        let (_, all) = try await export(dataset, mode: .all, name: "all")
        #expect(all.count - 1 == imported + 1)

        // The bulk export imports back into a new dataset unchanged: same rows, same values.
        let again = try await harness.importInteractions(bulk.joined(separator: "\n") + "\n", group: "copy")
        #expect(again.2 == "ACTIVE")
        let (_, copied) = try await export(again.1, mode: .bulk, name: "copy")
        #expect(copied == bulk)
    }

    @Test func identicalRowsAreExportedOnce() async throws {
        var csv = data.interactionsCSV(perUser: 10)
        let duplicate = csv.split(separator: "\n")[1]
        csv += duplicate + "\n" + duplicate + "\n"
        let (_, dataset, _) = try await harness.importInteractions(csv)
        let (_, rows) = try await export(dataset, mode: .all, name: "dedup")
        let key = duplicate.split(separator: ",").prefix(4).joined(separator: ",") + ","
        #expect(rows.filter { $0.hasPrefix(key) }.count == 1, "\(key)")
        #expect(rows.count == csv.split(separator: "\n").count - 2)
    }

    @Test func exportsRefuseS3AndUnknownModesAndActionDatasets() async throws {
        let (_, dataset, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        await #expect {
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: "s3", datasetArn: dataset, roleArn: "r",
                    jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: "s3://bucket/folder/"))))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        await #expect {
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: "mode", datasetArn: dataset, ingestionMode: "SOME", roleArn: "r",
                    jobOutput: DatasetExportJobOutput(
                        s3DataDestination: S3DataConfig(path: harness.directory.url.appendingPathComponent("x").path))))
        } throws: { ($0 as? PersonalizeError)?.message.contains("BULK, PUT or ALL") == true }
        await #expect {
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: "missing", datasetArn: dataset + "-nope", roleArn: "r",
                    jobOutput: DatasetExportJobOutput(
                        s3DataDestination: S3DataConfig(path: harness.directory.url.appendingPathComponent("x").path))))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
        let listed = try await engine.send(ListDatasetExportJobsRequest(datasetArn: dataset))
        #expect(listed.datasetExportJobs?.isEmpty == true)
    }

    @Test func deletionJobsRemoveTheUsersRecordsEverywhere() async throws {
        let (group, dataset, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        let input = try harness.directory.write("delete/users.csv", "USER_ID\nu1\nu2\n\"u3\"\nnobody\n")
        let (arn, status) = try await deleteUsers(listedAt: input.path, in: group, name: "forget")
        #expect(status == "COMPLETED", "the guide's terminal status for deletion jobs")
        let job = try await engine.send(DescribeDataDeletionJobRequest(dataDeletionJobArn: arn)).dataDeletionJob
        #expect(job?.numDeleted == 30)
        let (_, rows) = try await export(dataset, mode: .all, name: "after")
        #expect(!rows.contains { $0.hasPrefix("u1,") || $0.hasPrefix("u2,") || $0.hasPrefix("u3,") })
        #expect(rows.contains { $0.hasPrefix("u4,") })
        let listed = try await engine.send(ListDataDeletionJobsRequest(datasetGroupArn: group))
        #expect(listed.dataDeletionJobs?.map(\.jobName) == ["forget"])
    }

    @Test func deletionInputsAreChecked() async throws {
        let (group, dataset, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        let wrongHeader = try harness.directory.write("bad/header.csv", "USER,OTHER\nu1,x\n")
        let (arn, status) = try await deleteUsers(listedAt: wrongHeader.path, in: group, name: "bad")
        #expect(status == "FAILED")
        let reason = try await engine.send(DescribeDataDeletionJobRequest(dataDeletionJobArn: arn)).dataDeletionJob?
            .failureReason
        #expect(reason?.contains("USER_ID") == true, "\(reason ?? "")")
        let (_, rows) = try await export(dataset, mode: .all, name: "intact")
        #expect(rows.contains { $0.hasPrefix("u1,") }, "a failed job deletes nothing")

        // Folders: every .csv in it and its subfolders.
        _ = try harness.directory.write("folder/a.csv", "USER_ID\nu5\n")
        _ = try harness.directory.write("folder/nested/b.csv", "USER_ID\nu6\n")
        _ = try harness.directory.write("folder/notes.txt", "USER_ID\nu7\n")
        let folder = harness.directory.url.appendingPathComponent("folder").path + "/"
        _ = try await deleteUsers(listedAt: folder, in: group, name: "folder")
        let (_, left) = try await export(dataset, mode: .all, name: "folder")
        #expect(!left.contains { $0.hasPrefix("u5,") || $0.hasPrefix("u6,") })
        #expect(left.contains { $0.hasPrefix("u7,") }, "only .csv files count")

        await #expect {
            try await engine.send(
                CreateDataDeletionJobRequest(
                    jobName: "s3", datasetGroupArn: group, dataSource: DataSource(dataLocation: "s3://b/users.csv"),
                    roleArn: "r"))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
    }

    @Test func theLimitOfPendingDeletionJobsIsEnforced() async throws {
        var limits = EngineLimits()
        limits.minimumInteractionsPerImport = 1
        limits.maximumPendingDataDeletionJobsPerDatasetGroup = 0
        let folder = try TemporaryDirectory("tailor-deletion-limit")
        defer { folder.remove() }
        let engine = try EngineHarness.open(folder.url, limits: limits)
        let group = try await engine.send(CreateDatasetGroupRequest(name: "g")).datasetGroupArn ?? ""
        let input = try folder.write("users.csv", "USER_ID\nu1\n")
        await #expect {
            try await engine.send(
                CreateDataDeletionJobRequest(
                    jobName: "one", datasetGroupArn: group, dataSource: DataSource(dataLocation: input.path),
                    roleArn: "r"))
        } throws: { ($0 as? PersonalizeError)?.code == .limitExceededException }
    }
}
