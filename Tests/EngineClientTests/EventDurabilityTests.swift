import Engine
import EngineAPI
import EngineClient
import Foundation
import TailorTestSupport
import Testing

/// Events are durable once PutEvents returns: a `tailor serve` killed with SIGKILL right after accepting them
/// leaves every one of them in its data folder.
@Suite struct EventDurabilityTests {
    @Test(.tags(.large)) func eventsAcceptedBeforeAKillAreThereAfterIt() async throws {
        let server = try ServeProcess()
        let remote = try RemoteEngineTests.remote(server)
        let (group, dataset) = try await EngineHarness.dataset(
            "events", type: "Interactions", schema: SyntheticData.interactionsSchema, in: remote, group: "shop")
        _ = try await EngineHarness.putEvents(tracker: "events", group: group, on: remote, users: 0..<25) { index in
            [
                Event(
                    eventType: "click", itemId: "i\(index)",
                    sentAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)))
            ]
        }
        server.kill(SIGKILL)

        // A new engine on the same folder: the 25 events, exported, one row each.
        let engine = try EngineHarness.open(server.directory.url.appendingPathComponent("data"))
        let folder = server.directory.url.appendingPathComponent("export")
        let job =
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: "after-kill", datasetArn: dataset, ingestionMode: .put, roleArn: "r",
                    jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: folder.path)))
            ).datasetExportJobArn ?? ""
        await engine.waitForBackgroundJobs()
        let status = try await engine.send(DescribeDatasetExportJobRequest(datasetExportJobArn: job)).datasetExportJob?
            .status
        #expect(status == "ACTIVE")
        let rows = try String(contentsOf: folder.appendingPathComponent("after-kill_part_00000.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        #expect(rows.count == 25)
        #expect(Set(rows.map { String($0.split(separator: ",")[0]) }) == Set((0..<25).map { "u\($0)" }))
    }

    @Test(.tags(.large)) func actionInteractionsAcceptedBeforeAKillAreThereAfterIt() async throws {
        let server = try ServeProcess()
        let remote = try RemoteEngineTests.remote(server)
        let (group, dataset) = try await EngineHarness.dataset(
            "action-interactions", type: "Action_Interactions", schema: SyntheticActions.actionInteractionsSchema,
            in: remote, group: "bank")
        let tracking = try await remote.send(DescribeDatasetRequest(datasetArn: dataset)).dataset?.trackingId ?? ""
        for index in 0..<25 {
            _ = try await remote.send(
                PutActionInteractionsRequest(
                    trackingId: tracking,
                    actionInteractions: [
                        ActionInteraction(
                            actionId: "a\(index % 3)", userId: "u\(index)", sessionId: "s\(index)",
                            timestamp: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)), eventType: "Taken")
                    ]))
        }
        server.kill(SIGKILL)

        // A new engine on the same folder finds all 25: a data deletion job of their users deletes 25 records.
        let engine = try EngineHarness.open(server.directory.url.appendingPathComponent("data"))
        let users = server.directory.url.appendingPathComponent("users.csv")
        try ("USER_ID\n" + (0..<25).map { "u\($0)\n" }.joined()).write(to: users, atomically: true, encoding: .utf8)
        let job =
            try await engine.send(
                CreateDataDeletionJobRequest(
                    jobName: "after-kill", datasetGroupArn: group, dataSource: DataSource(dataLocation: users.path),
                    roleArn: "r")
            ).dataDeletionJobArn ?? ""
        await engine.waitForBackgroundJobs()
        let deletion = try await engine.send(DescribeDataDeletionJobRequest(dataDeletionJobArn: job)).dataDeletionJob
        #expect(deletion?.status == "COMPLETED")
        #expect(deletion?.numDeleted == 25)
    }
}
