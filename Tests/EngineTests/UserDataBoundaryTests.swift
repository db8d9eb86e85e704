import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

#if canImport(Glibc)
    import Glibc
#endif

/// The trust boundary of user data: jobs read and write only under the allowed roots, only regular files, within
/// size caps, never echo what they read, and never overwrite a file the engine did not write.
@Suite struct UserDataBoundaryTests {
    let harness: EngineHarness
    let data = SyntheticData(users: 120, items: 60, clusters: 4)
    init() throws { harness = try EngineHarness() }

    private var engine: LocalEngine { harness.engine }

    /// A dataset group with an Interactions dataset and no data.
    private func emptyDataset(_ group: String = "boundary") async throws -> (group: String, dataset: String) {
        try await EngineHarness.interactionsDataset(in: engine, group: group)
    }

    /// The error CreateDatasetImportJob gives for `location`, or nil when it accepted the job.
    private func importError(_ location: String, dataset: String, name: String = "job") async -> PersonalizeError? {
        do {
            _ = try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: name, datasetArn: dataset, dataSource: DataSource(dataLocation: location)))
            return nil
        } catch {
            return error as? PersonalizeError
        }
    }

    @Test func importsOutsideTheRootsAreRefusedWithoutReadingThem() async throws {
        let (_, dataset) = try await emptyDataset()
        let climbing = String(repeating: "../", count: 12) + "etc/passwd"
        for location in [
            "/etc/passwd", climbing, "file:///etc/passwd", "/proc/self/environ", "/etc/shadow",
            harness.directory.url.path + "/../../../../etc/hostname",
        ] {
            let error = await importError(location, dataset: dataset)
            #expect(error?.code == .invalidInputException, "\(location)")
            #expect(error?.message.hasPrefix("Invalid Data location.") == true, "\(location)")
            #expect(error?.message.contains("outside the folders") == true, "\(location): \(String(describing: error))")
            #expect(error?.message.contains("root:") == false, "no file content")
        }
        // Whether a file exists outside the roots is not told: the same message, with only the location changed.
        let present = await importError("/etc/passwd", dataset: dataset)?.message
        let absent = await importError("/etc/no-such-file-here", dataset: dataset)?.message
        #expect(
            present?.replacingOccurrences(of: "/etc/passwd", with: "X")
                == absent?.replacingOccurrences(of: "/etc/no-such-file-here", with: "X"))
        let jobs = try await engine.send(ListDatasetImportJobsRequest(datasetArn: dataset)).datasetImportJobs ?? []
        #expect(jobs.isEmpty, "no job was created")
    }

    @Test func anAllowedPathMustBeAnExistingFolder() throws {
        let missing = harness.directory.url.appendingPathComponent("missing")
        #expect {
            _ = try EngineHarness.open(harness.directory.url.appendingPathComponent("other"), allowedPaths: [missing])
        } throws: { "\($0)".contains("--allow-path") }
    }

    @Test func aLinkOutOfTheRootIsRefused() async throws {
        let (_, dataset) = try await emptyDataset()
        let link = harness.directory.url.appendingPathComponent("passwd.csv")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/etc/passwd")
        let error = await importError(link.path, dataset: dataset)
        #expect(error?.message.contains("outside the folders") == true, "\(String(describing: error))")
        // A folder of links: the links are not followed, so the folder has no CSV files.
        let folder = harness.directory.url.appendingPathComponent("links")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("a.csv").path, withDestinationPath: "/etc/passwd")
        let listing = await importError(folder.path + "/", dataset: dataset)
        #expect(listing?.message.contains("has no .csv files") == true, "\(String(describing: listing))")
    }

    /// A FIFO that was opened would wait for a writer forever: the time limit catches a hang.
    @Test(.timeLimit(.minutes(1))) func devicesAndFIFOsAreRefusedAtOnceAndTheEngineKeepsAnswering() async throws {
        let (_, dataset) = try await emptyDataset()
        let devices = harness.directory.url.appendingPathComponent("devices")
        let engine = try EngineHarness.open(
            harness.directory.url.appendingPathComponent("data2"), allowedPaths: [URL(fileURLWithPath: "/dev")])
        let (_, otherDataset) = try await EngineHarness.interactionsDataset(in: engine, group: "g")
        for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            do {
                _ = try await engine.send(
                    CreateDatasetImportJobRequest(
                        jobName: "device", datasetArn: otherDataset, dataSource: DataSource(dataLocation: device)))
                Issue.record("\(device) was accepted")
            } catch let error as PersonalizeError {
                #expect(error.message.contains("not a regular file"), "\(device): \(error.message)")
            }
        }
        try FileManager.default.createDirectory(at: devices, withIntermediateDirectories: true)
        let fifo = devices.appendingPathComponent("pipe.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = await importError(fifo, dataset: dataset)
        #expect(error?.message.contains("not a regular file") == true, "\(String(describing: error))")
        // A folder holding the FIFO: it is not a regular file, so it is not read.
        let listing = await importError(devices.path + "/", dataset: dataset, name: "folder")
        #expect(listing?.message.contains("has no .csv files") == true)
        _ = try await self.engine.send(CreateDatasetGroupRequest(name: "still-answering"))
    }

    @Test(.timeLimit(.minutes(1))) func aFileSwappedForAFIFOAfterTheCheckIsNotWaitedOn() throws {
        let file = try harness.directory.write("swap.csv", "USER_ID\nu1\n")
        let store = engine.core.userData
        let input = try store.inputs(
            at: file.path, invalid: "Invalid Data location.", selection: .csvFiles, maximumBytes: 1 << 20)
        guard case .local(let inputs) = input else { throw PersonalizeError.invalidInput("not a local input") }
        try FileManager.default.removeItem(at: file)
        #expect(mkfifo(file.path, 0o600) == 0)
        #expect(throws: PersonalizeError.self) { _ = try inputs[0].open() }
    }

    @Test func importsReadTheFilesAreaAndAllowedFoldersAndCapTheirSize() async throws {
        let (_, dataset) = try await emptyDataset()
        let filesArea = harness.dataDirectory.appendingPathComponent("files")
        #expect(FileManager.default.fileExists(atPath: filesArea.path), "the files area is made at open")
        let csv = data.interactionsCSV(perUser: 10)
        try Data(csv.utf8).write(to: filesArea.appendingPathComponent("interactions.csv"))
        let arn =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "from-files", datasetArn: dataset,
                    dataSource: DataSource(dataLocation: filesArea.appendingPathComponent("interactions.csv").path))
            ).datasetImportJobArn ?? ""
        let engine = self.engine
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob?.status
        }
        #expect(status == "ACTIVE")

        var limits = EngineHarness.smallLimits
        limits.maximumFullImportBytes = 100
        let small = try EngineHarness.open(harness.directory.url.appendingPathComponent("small"), limits: limits)
        let (_, smallDataset) = try await EngineHarness.interactionsDataset(in: small, group: "g")
        let big = try harness.directory.write("big.csv", csv)
        do {
            _ = try await small.send(
                CreateDatasetImportJobRequest(
                    jobName: "big", datasetArn: smallDataset, dataSource: DataSource(dataLocation: big.path)))
            Issue.record("a file over the cap was accepted")
        } catch let error as PersonalizeError {
            #expect(error.message.contains("at most 100 are read"), "\(error.message)")
        }
    }

    @Test func failureReasonsQuoteNoMoreThanABoundedCell() async throws {
        let (_, dataset) = try await emptyDataset()
        let secret = "AWS_SECRET_ACCESS_KEY=" + String(repeating: "s3cr3t", count: 20)
        let file = try harness.directory.write("environ.csv", "PATH=/usr/bin," + secret + "\nx,y\n")
        let arn =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "environ", datasetArn: dataset, dataSource: DataSource(dataLocation: file.path))
            ).datasetImportJobArn ?? ""
        let engine = self.engine
        _ = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob?.status
        }
        let reason =
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob?
            .failureReason ?? ""
        #expect(reason.contains("not in the schema"), "\(reason)")
        #expect(!reason.contains(String(repeating: "s3cr3t", count: 4)), "at most a bounded cell: \(reason)")
    }

    @Test func aRecordLongerThanTheCapIsAnErrorNotAGrowingBuffer() throws {
        let file = try harness.directory.write("quote.csv", "USER_ID\n\"" + String(repeating: "x", count: 10_000))
        let descriptor = open(file.path, O_RDONLY)
        var reader = CSVReader(descriptor: descriptor, chunkSize: 64, maximumRecordBytes: 1024)
        _ = try reader.next()
        #expect(throws: CSVError.self) { _ = try reader.next() }
    }

    // MARK: Writing

    /// Exports `dataset` to `location`; returns the synchronous error or the job's final status and failure reason.
    private func export(_ dataset: String, to location: String, name: String) async throws -> (
        error: PersonalizeError?, status: String?, reason: String?
    ) {
        let arn: String
        do {
            arn =
                try await engine.send(
                    CreateDatasetExportJobRequest(
                        jobName: name, datasetArn: dataset, ingestionMode: .bulk, roleArn: "arn:aws:iam::0:role/r",
                        jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: location)))
                ).datasetExportJobArn ?? ""
        } catch let error as PersonalizeError {
            return (error, nil, nil)
        }
        let engine = self.engine
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetExportJobRequest(datasetExportJobArn: arn)).datasetExportJob?.status
        }
        let job = try await engine.send(DescribeDatasetExportJobRequest(datasetExportJobArn: arn)).datasetExportJob
        return (nil, status, job?.failureReason)
    }

    @Test func outputsOutsideTheRootsAreRefusedAndNothingIsCreated() async throws {
        let (_, dataset, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tailor-outside-\(UUID().uuidString)")
        let climbing = harness.dataDirectory.path + "/../../../" + outside.lastPathComponent + "/a/b/c/"
        for (index, location) in [outside.path + "/a/b/c/", climbing, "file://" + outside.path].enumerated() {
            let result = try await export(dataset, to: location, name: "out-\(index)")
            #expect(result.error?.message.contains("outside the folders") == true, "\(location): \(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: outside.path), "no folder was made outside the roots")
    }

    @Test func writersReplaceOnlyTheirOwnFilesAndFollowNoLinks() throws {
        let store = engine.core.userData
        let folder = try store.outputFolder(
            at: harness.directory.url.appendingPathComponent("out/a/b").path, invalid: "Invalid output path.")
        let file = harness.directory.url.appendingPathComponent("out/a/b/result.out")
        try folder.write("result.out") { try $0.write("first\n") }
        try folder.write("result.out") { try $0.write("second\n") }
        #expect(try String(contentsOf: file, encoding: .utf8) == "second\n", "its own file is replaced")

        // The record of what the engine wrote outlives the engine.
        let reopened = try UserDataStore(dataDirectory: harness.dataDirectory, allowedPaths: [harness.directory.url])
        try reopened.outputFolder(at: file.deletingLastPathComponent().path, invalid: "x")
            .write("result.out") { try $0.write("third\n") }
        #expect(try String(contentsOf: file, encoding: .utf8) == "third\n")

        let foreign = harness.directory.url.appendingPathComponent("out/a/b/foreign.out")
        try Data("theirs\n".utf8).write(to: foreign)
        #expect(throws: PersonalizeError.self) { try folder.write("foreign.out") { try $0.write("mine\n") } }
        #expect(try String(contentsOf: foreign, encoding: .utf8) == "theirs\n")

        let victim = harness.directory.url.appendingPathComponent("victim.txt")
        try Data("keep\n".utf8).write(to: victim)
        try FileManager.default.createSymbolicLink(
            atPath: harness.directory.url.appendingPathComponent("out/a/b/linked.out").path,
            withDestinationPath: victim.path)
        #expect(throws: PersonalizeError.self) { try folder.write("linked.out") { try $0.write("mine\n") } }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep\n")
        for name in ["../escape", "a/b", "..", ""] {
            #expect(throws: PersonalizeError.self, "\(name)") { try folder.write(name) { try $0.write("x") } }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(!leftovers.contains { $0.hasSuffix(".partial") }, "\(leftovers)")
    }

    @Test func anExportDoesNotOverwriteAFileItDidNotWrite() async throws {
        let (_, dataset, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        let folder = harness.directory.url.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("taken_part_00000.csv")
        try Data("theirs\n".utf8).write(to: file)
        let result = try await export(dataset, to: folder.path, name: "taken")
        #expect(result.status == "CREATE FAILED", "\(result)")
        #expect(result.reason?.contains("did not write") == true, "\(String(describing: result.reason))")
        #expect(try String(contentsOf: file, encoding: .utf8) == "theirs\n")
        let fine = try await export(dataset, to: folder.path, name: "fresh")
        #expect(fine.status == "ACTIVE", "\(fine)")
    }

    /// Walking the whole file system would take minutes: the time limit catches it.
    @Test(.timeLimit(.minutes(1))) func aDeletionJobOnTheRootOfTheFileSystemIsRefusedAtOnce() async throws {
        let (group, _) = try await emptyDataset()
        do {
            _ = try await engine.send(
                CreateDataDeletionJobRequest(
                    jobName: "everything", datasetGroupArn: group, dataSource: DataSource(dataLocation: "/"),
                    roleArn: "arn:aws:iam::0:role/r"))
            Issue.record("a deletion job on / was accepted")
        } catch let error as PersonalizeError {
            #expect(error.message.contains("outside the folders"), "\(error.message)")
        }
    }

    // MARK: Numbers

    @Test func timesAndPageSizesOutOfRangeAreRefusedNotTrapped() async throws {
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        let tracker = try await engine.send(CreateEventTrackerRequest(name: "t", datasetGroupArn: group))
        for seconds in [1e300, -1e300, -1] {
            let event = Event(eventType: "click", itemId: "i3", sentAt: Date(timeIntervalSince1970: seconds))
            await #expect(throws: PersonalizeError.self, "\(seconds)") {
                try await engine.send(
                    PutEventsRequest(
                        trackingId: tracker.trackingId ?? "", userId: "u7", sessionId: "s", eventList: [event]))
            }
        }
        for maxResults in [Int.max, Int.min, 0, 101] {
            await #expect(throws: PersonalizeError.self, "\(maxResults)") {
                try await engine.send(ListDatasetGroupsRequest(maxResults: maxResults))
            }
        }
        let page = try await engine.send(ListDatasetGroupsRequest(maxResults: 100))
        #expect(page.datasetGroups?.isEmpty == false)
    }
}
