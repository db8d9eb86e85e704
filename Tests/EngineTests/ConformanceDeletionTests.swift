import EngineAPI
import Foundation
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// What may be deleted when (part 1 §6.6; part 2 §13.6; part 3 §2.7, §3.11). Deletion runs in the
/// background: a test waits for it before expecting `ResourceNotFoundException`.
@Suite struct ConformanceDeletionTests {
    /// An engine whose dataset group holds interactions; returns it and the Interactions dataset ARN.
    private func shop() async throws -> (ConformanceShop, String) {
        let harness = try EngineHarness()
        let (group, dataset, status) = try await harness.importInteractions(SyntheticData().interactionsCSV())
        #expect(status == "ACTIVE")
        return (ConformanceShop(harness: harness, group: group), dataset)
    }

    private func solution(_ shop: ConformanceShop, _ name: String) async throws -> String {
        try await shop.engine.send(
            CreateSolutionRequest(
                name: name, performAutoTraining: false, recipeArn: ARN.recipe("aws-popularity-count"),
                datasetGroupArn: shop.group)
        ).solutionArn ?? ""
    }

    /// Seeds the version `solutionArn/suffix` in `status`, as a training that has not finished; returns its ARN.
    /// Creates the filter `name` leaving out the items of the user's `eventType` interactions; returns its ARN.
    private func filter(_ shop: ConformanceShop, _ name: String, excluding eventType: String) async throws -> String {
        try await shop.engine.send(
            CreateFilterRequest(
                name: name, datasetGroupArn: shop.group,
                filterExpression: #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("\#(eventType)")"#)
        ).filterArn ?? ""
    }

    private func unfinishedVersion(
        _ shop: ConformanceShop, of solutionArn: String, _ suffix: String, status: String
    ) async throws -> String {
        let versionArn = solutionArn + "/" + suffix
        try await shop.seedPending(
            .solutionVersion, arn: versionArn, parent: solutionArn,
            body: SolutionVersion(
                solutionVersionArn: versionArn, solutionArn: solutionArn, datasetGroupArn: shop.group, status: status))
        return versionArn
    }

    private func describeDataset(_ shop: ConformanceShop, _ arn: String) async -> PersonalizeError? {
        await ConformanceShop.error { _ = try await shop.engine.send(DescribeDatasetRequest(datasetArn: arn)) }
    }

    /// The error deleting the dataset `arn` fails with, or nil when it is deleted.
    private func deleteDataset(_ shop: ConformanceShop, _ arn: String) async -> PersonalizeError? {
        await ConformanceShop.error { _ = try await shop.engine.send(DeleteDatasetRequest(datasetArn: arn)) }
    }

    /// Deletes the dataset `arn`, waits for the deletion to run and expects the dataset gone.
    private func expectDeleted(
        _ shop: ConformanceShop, dataset arn: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        _ = try await shop.engine.send(DeleteDatasetRequest(datasetArn: arn))
        await shop.engine.waitForBackgroundJobs()
        #expect(await describeDataset(shop, arn)?.code == .resourceNotFoundException, sourceLocation: sourceLocation)
    }

    @Test func aDatasetCannotBeDeletedWhileASolutionVersionOfItsGroupTrains() async throws {
        let (shop, dataset) = try await shop()
        let solutionArn = try await solution(shop, "pop")
        // A version still training (real ones on this data finish in well under a second).
        let versionArn = try await unfinishedVersion(shop, of: solutionArn, "training", status: Status.createInProgress)
        try await shop.settle(versionArn, status: Status.createInProgress)
        let error = await deleteDataset(shop, dataset)
        #expect(error?.code == .resourceInUseException)
        #expect(error?.message.contains(versionArn) == true, "\(String(describing: error))")

        try await shop.settle(versionArn, status: Status.active)
        try await expectDeleted(shop, dataset: dataset)
    }

    @Test func aDatasetCannotBeDeletedWhileItsImportJobRuns() async throws {
        let (shop, dataset) = try await shop()
        let jobArn = shop.engine.core.arn(.datasetImportJob, "running")
        try await shop.seedPending(
            .datasetImportJob, arn: jobArn, parent: dataset,
            body: DatasetImportJob(jobName: "running", datasetImportJobArn: jobArn, datasetArn: dataset))
        let error = await deleteDataset(shop, dataset)
        #expect(error?.code == .resourceInUseException)
        try await shop.settle(jobArn, status: Status.createFailed)
        try await expectDeleted(shop, dataset: dataset)
    }

    @Test func aFilterCannotBeDeletedWhileABatchInferenceJobUsingItRuns() async throws {
        let (shop, _) = try await shop()
        let engine = shop.engine
        let filterArn = try await filter(shop, "no-clicks", excluding: "click")
        let otherFilterArn = try await filter(shop, "no-purchases", excluding: "purchase")
        await engine.waitForBackgroundJobs()
        let jobArn = engine.core.arn(.batchInferenceJob, "nightly")
        try await shop.seedPending(
            .batchInferenceJob, arn: jobArn, parent: "unused", status: "IN_PROGRESS",
            body: BatchInferenceJob(
                jobName: "nightly", batchInferenceJobArn: jobArn, filterArn: filterArn, status: "IN_PROGRESS"))
        let error = await ConformanceShop.error {
            _ = try await engine.send(DeleteFilterRequest(filterArn: filterArn))
        }
        #expect(error?.code == .resourceInUseException)
        #expect(error?.message.contains(jobArn) == true, "\(String(describing: error))")
        _ = try await engine.send(DeleteFilterRequest(filterArn: otherFilterArn))

        try await shop.settle(jobArn, status: "ACTIVE")
        _ = try await engine.send(DeleteFilterRequest(filterArn: filterArn))
        await engine.waitForBackgroundJobs()
        let gone = await ConformanceShop.error {
            _ = try await engine.send(DescribeFilterRequest(filterArn: filterArn))
        }
        #expect(gone?.code == .resourceNotFoundException)
    }

    @Test func aSolutionWithACampaignCannotBeDeleted() async throws {
        let (shop, _) = try await shop()
        let version = try await shop.train("aws-popularity-count", name: "pop")
        let campaign = try await shop.campaign(version?.solutionVersionArn ?? "", name: "pop")
        let solutionArn = version?.solutionArn ?? ""
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(DeleteSolutionRequest(solutionArn: solutionArn))
        }
        #expect(error?.code == .resourceInUseException)
        _ = try await shop.engine.send(DeleteCampaignRequest(campaignArn: campaign?.campaignArn ?? ""))
        await shop.engine.waitForBackgroundJobs()
        _ = try await shop.engine.send(DeleteSolutionRequest(solutionArn: solutionArn))
    }

    @Test func aSolutionWhoseVersionIsStillTrainingCannotBeDeleted() async throws {
        let (shop, _) = try await shop()
        let solutionArn = try await solution(shop, "pop")
        _ = try await unfinishedVersion(shop, of: solutionArn, "pending", status: Status.createPending)
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(DeleteSolutionRequest(solutionArn: solutionArn))
        }
        #expect(error?.code == .resourceInUseException)
    }

    @Test func deletingASolutionDeletesItsVersions() async throws {
        let (shop, _) = try await shop()
        let engine = shop.engine
        let version = try await shop.train("aws-popularity-count", name: "pop")
        let versionArn = version?.solutionVersionArn ?? ""
        let model = engine.core.models.url(for: versionArn)
        #expect(FileManager.default.fileExists(atPath: model.path))
        _ = try await engine.send(DeleteSolutionRequest(solutionArn: version?.solutionArn ?? ""))
        await engine.waitForBackgroundJobs()
        let error = await ConformanceShop.error {
            _ = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: versionArn))
        }
        #expect(error?.code == .resourceNotFoundException)
        #expect(!FileManager.default.fileExists(atPath: model.path))
    }

    @Test func deletingACampaignKeepsItsSolutionVersion() async throws {
        let (shop, _) = try await shop()
        let engine = shop.engine
        let version = try await shop.train("aws-popularity-count", name: "pop")
        let versionArn = version?.solutionVersionArn ?? ""
        let campaign = try await shop.campaign(versionArn, name: "pop")
        _ = try await engine.send(DeleteCampaignRequest(campaignArn: campaign?.campaignArn ?? ""))
        await engine.waitForBackgroundJobs()
        let kept = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: versionArn))
        #expect(kept.solutionVersion?.status == "ACTIVE")
        let again = try await shop.campaign(versionArn, name: "again")
        #expect(again?.status == "ACTIVE", "the kept version deploys again")
    }

    @Test func aResourceStillBeingCreatedCannotBeDeleted() async throws {
        let (shop, _) = try await shop()
        let engine = shop.engine
        let solutionArn = try await solution(shop, "pop")
        // Resources a background job is still creating (real ones settle in well under a second).
        let campaignArn = engine.core.arn(.campaign, "pending")
        try await shop.seedPending(
            .campaign, arn: campaignArn, parent: solutionArn,
            body: Campaign(name: "pending", campaignArn: campaignArn, status: Status.createPending))
        let recommenderArn = engine.core.arn(.recommender, "pending")
        try await shop.seedPending(
            .recommender, arn: recommenderArn, parent: shop.group,
            body: Recommender(recommenderArn: recommenderArn, datasetGroupArn: shop.group, name: "pending"))
        let refusals = [
            await ConformanceShop.error { _ = try await engine.send(DeleteCampaignRequest(campaignArn: campaignArn)) },
            await ConformanceShop.error {
                _ = try await engine.send(DeleteRecommenderRequest(recommenderArn: recommenderArn))
            },
        ]
        #expect(refusals.map { $0?.code } == [.resourceInUseException, .resourceInUseException])
        for arn in [campaignArn, recommenderArn] { try await shop.settle(arn, status: Status.createFailed) }
        _ = try await engine.send(DeleteCampaignRequest(campaignArn: campaignArn))
        _ = try await engine.send(DeleteRecommenderRequest(recommenderArn: recommenderArn))
        await engine.waitForBackgroundJobs()
    }
}
