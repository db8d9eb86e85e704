import EngineAPI
import EngineClient
import Foundation
import TailorTestSupport
import Testing

/// What a client of `tailor serve` may make the server read: only the data folder's `files/` area and the
/// `--allow-path` folders, whatever path it sends.
@Suite struct ServeDataBoundaryTests {
    @Test func aClientReadsOnlyTheFilesAreaAndAllowedFolders() async throws {
        let allowed = try TemporaryDirectory("tailor-allowed")
        defer { allowed.remove() }
        let server = try ServeProcess(arguments: ["--allow-path", allowed.url.path])
        defer { server.stop() }
        let remote = try RemoteEngineTests.remote(server)
        let (_, dataset) = try await EngineHarness.interactionsDataset(in: remote, group: "shop")
        func importJob(_ name: String, _ location: String) async throws -> String {
            try await remote.send(
                CreateDatasetImportJobRequest(
                    jobName: name, datasetArn: dataset, dataSource: DataSource(dataLocation: location))
            ).datasetImportJobArn ?? ""
        }
        for location in ["/etc/passwd", "/proc/self/environ", "../../../../../../etc/passwd", "/dev/zero"] {
            do {
                _ = try await importJob("outside", location)
                Issue.record("\(location) was accepted")
            } catch let error as PersonalizeError {
                #expect(error.code == .invalidInputException, "\(location)")
                #expect(error.message.contains("outside the folders"), "\(location): \(error.message)")
                #expect(!error.message.contains("root:x"), "no file content")
            }
        }
        let csv = SyntheticData(users: 120).interactionsCSV(perUser: 10)
        let inAllowed = try allowed.write("interactions.csv", csv)
        let filesArea = server.directory.url.appendingPathComponent("data/files/interactions.csv")
        try Data(csv.utf8).write(to: filesArea)
        for (name, file) in [("allowed", inAllowed), ("files-area", filesArea)] {
            let arn = try await importJob(name, file.path)
            let status = try await EngineHarness.settle {
                try await remote.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob?
                    .status
            }
            #expect(status == "ACTIVE", "\(name)")
        }
    }
}
