import Engine
import EngineAPI
import Foundation
import GRDB
import TailorTestSupport
import Testing

/// Deletion follows the service's lifecycle: `DELETE PENDING`, `DELETE IN_PROGRESS`, then gone.
@Suite struct DeletionLifecycleTests {
    private static func code(_ error: any Error) -> PersonalizeErrorCode? { (error as? PersonalizeError)?.code }

    @Test func aDeletedResourceIsDeletePendingUntilItsDeletionRunsAndANewProcessFinishesIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appendingPathComponent("data")
        let group: String
        let dataset: String
        let filter: String
        let tracker: String
        do {
            // A deletion that waits an hour, so every step of the lifecycle can be looked at.
            let engine = try EngineHarness.open(data, deletionDelay: 3600)
            group = try await engine.send(CreateDatasetGroupRequest(name: "g")).datasetGroupArn ?? ""
            let schema =
                try await engine.send(CreateSchemaRequest(name: "i", schema: SyntheticData.interactionsSchema))
                .schemaArn ?? ""
            dataset =
                try await engine.send(
                    CreateDatasetRequest(
                        name: "i", schemaArn: schema, datasetGroupArn: group, datasetType: "INTERACTIONS")
                ).datasetArn ?? ""
            let expression = #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#
            filter =
                try await engine.send(
                    CreateFilterRequest(name: "f", datasetGroupArn: group, filterExpression: expression)
                )
                .filterArn ?? ""
            tracker =
                try await engine.send(CreateEventTrackerRequest(name: "t", datasetGroupArn: group)).eventTrackerArn
                ?? ""

            _ = try await engine.send(DeleteFilterRequest(filterArn: filter))
            #expect(try await engine.send(DescribeFilterRequest(filterArn: filter)).filter?.status == "DELETE PENDING")
            let listed = try await engine.send(ListFiltersRequest(datasetGroupArn: group)).Filters ?? []
            #expect(listed.map(\.status) == ["DELETE PENDING"])
            await #expect { try await engine.send(DeleteFilterRequest(filterArn: filter)) } throws: {
                Self.code($0) == .resourceInUseException
            }
            // The name stays taken until the filter is gone.
            await #expect {
                try await engine.send(
                    CreateFilterRequest(name: "f", datasetGroupArn: group, filterExpression: expression))
            } throws: { Self.code($0) == .resourceAlreadyExistsException }

            _ = try await engine.send(DeleteEventTrackerRequest(eventTrackerArn: tracker))
            let trackerStatus = try await engine.send(DescribeEventTrackerRequest(eventTrackerArn: tracker))
                .eventTracker?.status
            #expect(trackerStatus == "DELETE PENDING")

            _ = try await engine.send(DeleteDatasetRequest(datasetArn: dataset))
            #expect(
                try await engine.send(DescribeDatasetRequest(datasetArn: dataset)).dataset?.status == "DELETE PENDING")
            // Nothing is created under a resource being deleted, and its parent keeps it as a child.
            let csv = try directory.write("late.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1700000000,click\n")
            await #expect {
                try await engine.send(
                    CreateDatasetImportJobRequest(
                        jobName: "late", datasetArn: dataset, dataSource: DataSource(dataLocation: csv.path)))
            } throws: { Self.code($0) == .resourceInUseException }
            await #expect { try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group)) } throws: {
                Self.code($0) == .resourceInUseException
            }
        }
        // The process stopped with three deletions pending: opening the folder again finishes them.
        let engine = try EngineHarness.open(data)
        await #expect { try await engine.send(DescribeFilterRequest(filterArn: filter)) } throws: {
            Self.code($0) == .resourceNotFoundException
        }
        await #expect { try await engine.send(DescribeEventTrackerRequest(eventTrackerArn: tracker)) } throws: {
            Self.code($0) == .resourceNotFoundException
        }
        await #expect { try await engine.send(DescribeDatasetRequest(datasetArn: dataset)) } throws: {
            Self.code($0) == .resourceNotFoundException
        }
        let tables = try await engine.core.database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ds_%'")
        }
        #expect(tables.isEmpty, "the dataset's table is dropped with it")
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        await engine.waitForBackgroundJobs()
        await #expect { try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)) } throws: {
            Self.code($0) == .resourceNotFoundException
        }
    }

    @Test func withoutADelayTheDeletionFinishesByItself() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: "brief")).datasetGroupArn ?? ""
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        var seen: [String] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            do {
                let status = try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)).datasetGroup?
                    .status
                seen.append(status ?? "")
                try await Task.sleep(for: .milliseconds(5))
            } catch let error as PersonalizeError where error.code == .resourceNotFoundException {
                seen.append("gone")
                break
            }
        }
        #expect(seen.last == "gone")
        #expect(seen.dropLast().allSatisfy { $0 == "DELETE PENDING" || $0 == "DELETE IN_PROGRESS" })
        // The name is free again.
        _ = try await engine.send(CreateDatasetGroupRequest(name: "brief"))
    }

    @Test func aCampaignBeingDeletedStopsServingAtOnce() async throws {
        let harness = try EngineHarness(deletionDelay: 3600)
        defer { harness.directory.remove() }
        let engine = harness.engine
        let (group, _, status) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        try #require(status == "ACTIVE")
        let (version, trained) = try await harness.train(
            group: group, name: "picks", recipe: "aws-user-personalization")
        try #require(trained == "ACTIVE")
        let campaign =
            try await engine.send(CreateCampaignRequest(name: "picks", solutionVersionArn: version)).campaignArn ?? ""
        _ = try await EngineHarness.settle {
            try await engine.send(DescribeCampaignRequest(campaignArn: campaign)).campaign?.status
        }
        let served = try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u1"))
        #expect(served.itemList?.isEmpty == false)
        _ = try await engine.send(DeleteCampaignRequest(campaignArn: campaign))
        #expect(
            try await engine.send(DescribeCampaignRequest(campaignArn: campaign)).campaign?.status == "DELETE PENDING")
        // Cached campaigns and precomputed answers do not outlive the Delete.
        await #expect {
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u1"))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceInUseException }
    }
}
