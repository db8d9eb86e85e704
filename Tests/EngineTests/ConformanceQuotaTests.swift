import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// The guide's quotas on work in progress and deployed resources, at their documented values (part 3
/// §8.6 E2 and E7, §12.2–12.3; part 2 §9.1).
@Suite struct ConformanceQuotaTests {
    @Test func aSixthPendingImportJobIsRefusedWithE2() async throws {
        let shop = try await ConformanceShop.open(limits: EngineLimits())
        let items = try await shop.dataset("Items", ConformanceImportTests.itemsSchema)
        let file = try shop.harness.directory.write("items.csv", "ITEM_ID,GENRES\ni1,drama\n")
        // Five jobs still pending (the engine runs real ones in well under a second).
        for index in 0..<5 {
            let arn = shop.engine.core.arn(.datasetImportJob, "pending-\(index)")
            try await shop.seedPending(
                .datasetImportJob, arn: arn, parent: items,
                body: DatasetImportJob(jobName: "pending-\(index)", datasetImportJobArn: arn, datasetArn: items))
        }
        let request = CreateDatasetImportJobRequest(
            jobName: "sixth", datasetArn: items, dataSource: DataSource(dataLocation: file.path))
        let error = await ConformanceShop.error { _ = try await shop.engine.send(request) }
        #expect(error?.code == .limitExceededException)
        #expect(error?.message == "More than 5 resources with PENDING or IN_PROGRESS status.")

        try await shop.settle(shop.engine.core.arn(.datasetImportJob, "pending-0"), status: Status.active)
        let job = try await shop.importLocation(items, "sixth", file.path)
        #expect(job?.status == "ACTIVE", "once one finished, another may start")
    }

    @Test func aSixthActiveCampaignIsRefusedWithE7() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(SyntheticData().interactionsCSV(), group: "pop")
        let trained = ConformanceShop(harness: harness, group: group)
        let version = try await trained.train("aws-popularity-count", name: "pop")
        let versionArn = version?.solutionVersionArn ?? ""
        for index in 0..<5 {
            #expect(try await trained.campaign(versionArn, name: "c\(index)")?.status == "ACTIVE")
        }
        let error = await ConformanceShop.error {
            _ = try await harness.engine.send(CreateCampaignRequest(name: "c5", solutionVersionArn: versionArn))
        }
        #expect(error?.code == .limitExceededException)
        #expect(
            error?.message
                == "Unable to create campaign. There are more than 5 resources with ACTIVE status. Please delete "
                + "some and try again.")
    }

    @Test func aDatasetGroupHasAtMostFiveRecommenders() async throws {
        let harness = try EngineHarness(limits: EngineHarness.smallLimits)
        let engine = harness.engine
        let group =
            try await engine.send(CreateDatasetGroupRequest(name: "shop", domain: "ECOMMERCE")).datasetGroupArn ?? ""
        let shop = ConformanceShop(harness: harness, group: group)
        let dataset = try await shop.dataset("Interactions", SyntheticData.interactionsSchema, domain: .ecommerce)
        let csv = SyntheticData().interactionsCSV().replacingOccurrences(of: ",click,", with: ",View,")
            .replacingOccurrences(of: ",purchase,", with: ",Purchase,")
        #expect(try await shop.importCSV(dataset, "events", csv)?.status == "ACTIVE")
        for index in 0..<5 {
            _ = try await engine.send(
                CreateRecommenderRequest(
                    name: "r\(index)", datasetGroupArn: group, recipeArn: ARN.recipe("aws-ecomm-popular-items-by-views")
                ))
        }
        let error = await ConformanceShop.error {
            _ = try await engine.send(
                CreateRecommenderRequest(
                    name: "r5", datasetGroupArn: group, recipeArn: ARN.recipe("aws-ecomm-popular-items-by-views")))
        }
        await engine.waitForBackgroundJobs()
        #expect(error?.code == .limitExceededException)
        #expect(error?.message.contains("the quota is 5") == true, "\(String(describing: error))")
    }

    @Test func atMostFiveBatchInferenceJobsArePendingAndSegmentJobsCountSeparately() async throws {
        let harness = try EngineHarness(limits: EngineHarness.smallLimits)
        let engine = harness.engine
        let (group, _, _) = try await harness.importInteractions(SyntheticData().interactionsCSV())
        let shop = ConformanceShop(harness: harness, group: group)
        let versionArn = try await shop.train("aws-popularity-count", name: "pop")?.solutionVersionArn ?? ""
        let input = try harness.directory.write("batch/users.json", #"{"userId": "u1"}"# + "\n")
        let output = harness.directory.url.appendingPathComponent("batch-out").path
        func request(_ name: String) -> CreateBatchInferenceJobRequest {
            CreateBatchInferenceJobRequest(
                jobName: name, solutionVersionArn: versionArn,
                jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: input.path)),
                jobOutput: BatchInferenceJobOutput(s3DataDestination: S3DataConfig(path: output)), roleArn: "role")
        }
        for index in 0..<5 {
            let arn = engine.core.arn(.batchSegmentJob, "segments-\(index)")
            try await shop.seedPending(
                .batchSegmentJob, arn: arn, parent: versionArn, status: Status.Batch.pending,
                body: BatchSegmentJob(
                    jobName: "segments-\(index)", batchSegmentJobArn: arn, status: Status.Batch.pending))
        }
        _ = try await engine.send(request("beside-segments"))
        await engine.waitForBackgroundJobs()
        for index in 0..<5 {
            let arn = engine.core.arn(.batchInferenceJob, "pending-\(index)")
            try await shop.seedPending(
                .batchInferenceJob, arn: arn, parent: versionArn, status: Status.Batch.pending,
                body: BatchInferenceJob(
                    jobName: "pending-\(index)", batchInferenceJobArn: arn, status: Status.Batch.pending))
        }
        let error = await ConformanceShop.error { _ = try await engine.send(request("sixth")) }
        #expect(error?.code == .limitExceededException)
        #expect(error?.message == "More than 5 resources with PENDING or IN_PROGRESS status.")
    }

    @Test func atMost100EventAttributionSourcesAreReported() async throws {
        let shop = try await MetricAttributionTests.Shop.open()
        defer { shop.directory.remove() }
        let engine = shop.engine
        let arn = try await shop.attribution([
            .init(eventType: "click", metricName: "CLICKS", expression: "SAMPLECOUNT()")
        ])
        let trackingID =
            try await engine.send(CreateEventTrackerRequest(name: "web", datasetGroupArn: shop.group)).trackingId ?? ""
        let now = Date()
        for batch in 0..<11 {
            let events = (0..<10).map { index in
                Event(
                    eventType: "click", itemId: "i\(index)", sentAt: now.addingTimeInterval(Double(batch * 10 + index)),
                    metricAttribution: EventsMetricAttribution(eventAttributionSource: "source-\(batch * 10 + index)"))
            }
            _ = try await engine.send(
                PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: events))
        }
        let report = try await engine.core.database.pool.read { db in try MetricAttributionStore.report(db, arn: arn) }
        let sources = Set(report.map(\.source))
        #expect(sources.count == 100)
        #expect(sources.contains("source-0") && sources.contains("source-99") && !sources.contains("source-100"))
    }
}
