import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// Automatic training on a clock the tests move: `rate(N days)` schedules, the first run an hour after
/// the solution is created, one AUTOTRAIN version per slot, none while a version trains or when no data
/// arrived, campaigns that follow the latest version, and restarts that neither lose nor double a run.
@Suite struct AutoTrainingTests {
    let clock = MovableClock(Date(timeIntervalSince1970: 1_750_000_000))
    let data = SyntheticData(users: 60, items: 40, clusters: 4)

    /// A harness whose engine runs on ``clock``, with interactions imported and an event tracker.
    private func prepared() async throws -> (EngineHarness, group: String, trackingID: String) {
        let harness = try EngineHarness(clock: clock)
        let (group, _, status) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        #expect(status == "ACTIVE")
        let tracker = try await harness.engine.send(CreateEventTrackerRequest(name: "events", datasetGroupArn: group))
        return (harness, group, tracker.trackingId ?? "")
    }

    private func solution(
        _ engine: LocalEngine, group: String, name: String = "auto", schedule: String? = nil,
        recipe: String = "aws-popularity-count"
    ) async throws -> String {
        try await engine.send(
            CreateSolutionRequest(
                name: name, recipeArn: ARN.recipe(recipe), datasetGroupArn: group,
                solutionConfig: schedule.map {
                    SolutionConfig(autoTrainingConfig: AutoTrainingConfig(schedulingExpression: $0))
                }
            )
        ).solutionArn ?? ""
    }

    /// Moves the clock a minute on and records one interaction then, so the next slot has new data.
    private func newInteraction(_ engine: LocalEngine, trackingID: String, user: String = "u1") async throws {
        clock.advance(by: 60)
        _ = try await engine.send(
            PutEventsRequest(
                trackingId: trackingID, userId: user, sessionId: "s-\(user)",
                eventList: [Event(eventType: "click", itemId: "i3", sentAt: clock.now())]))
    }

    private func versions(_ engine: LocalEngine, _ solutionArn: String) async throws -> [SolutionVersionSummary] {
        try await engine.send(ListSolutionVersionsRequest(solutionArn: solutionArn)).solutionVersions ?? []
    }

    private func invalidInput(_ body: () async throws -> Void) async -> String? {
        await ConformanceShop.message(of: .invalidInputException, body)
    }

    @Test func schedulesAreValidatedDefaultedAndUpdated() async throws {
        let (harness, group, _) = try await prepared()
        let engine = harness.engine
        for bad in ["rate(0 days)", "rate(31 days)", "rate(7 hours)", "cron(0 12 * * ? *)", "rate(-1 days)"] {
            let message = await invalidInput {
                _ = try await solution(engine, group: group, name: "bad", schedule: bad)
            }
            #expect(message?.contains("schedulingExpression") == true, "\(bad): \(message ?? "accepted")")
        }
        let defaulted = try await solution(engine, group: group, name: "defaulted")
        let described = try await engine.send(DescribeSolutionRequest(solutionArn: defaulted)).solution
        #expect(described?.performAutoTraining == true)
        #expect(described?.solutionConfig?.autoTrainingConfig?.schedulingExpression == "rate(7 days)")
        let daily = try await solution(engine, group: group, name: "daily", schedule: "rate(1 day)")
        #expect(
            try await engine.send(DescribeSolutionRequest(solutionArn: daily)).solution?.solutionConfig?
                .autoTrainingConfig?.schedulingExpression == "rate(1 day)")

        let message = await invalidInput {
            _ = try await engine.send(
                UpdateSolutionRequest(
                    solutionArn: daily,
                    solutionUpdateConfig: SolutionUpdateConfig(
                        autoTrainingConfig: AutoTrainingConfig(schedulingExpression: "rate(45 days)"))))
        }
        #expect(message?.contains("1 to 30") == true)
        _ = try await engine.send(
            UpdateSolutionRequest(
                solutionArn: daily,
                solutionUpdateConfig: SolutionUpdateConfig(
                    autoTrainingConfig: AutoTrainingConfig(schedulingExpression: "rate(3 days)"))))
        let updated = try await engine.send(DescribeSolutionRequest(solutionArn: daily)).solution
        #expect(updated?.solutionConfig?.autoTrainingConfig?.schedulingExpression == "rate(3 days)")
        #expect(
            updated?.latestSolutionUpdate?.solutionUpdateConfig?.autoTrainingConfig?.schedulingExpression
                == "rate(3 days)")
        #expect(updated?.latestSolutionUpdate?.status == "ACTIVE")
    }

    @Test func firstRunAnHourAfterCreationThenOnePerSlot() async throws {
        let (harness, group, trackingID) = try await prepared()
        let engine = harness.engine
        let created = clock.now()
        let solutionArn = try await solution(engine, group: group, schedule: "rate(2 days)")

        clock.advance(by: 59 * 60)
        let early = try await engine.runDueAutoTraining()
        #expect(early.trainings.isEmpty)
        #expect(early.skipped.first?.next == created.addingTimeInterval(3600))

        clock.advance(by: 2 * 60)
        let first = try await engine.runDueAutoTraining()
        #expect(first.trainings.map(\.solutionArn) == [solutionArn])
        #expect(first.trainings.first?.slot == created.addingTimeInterval(3600))
        #expect(try await engine.runDueAutoTraining().trainings.isEmpty, "the slot is served")
        await engine.waitForBackgroundJobs()
        let version = try await engine.send(
            DescribeSolutionVersionRequest(solutionVersionArn: first.trainings.first?.solutionVersionArn ?? "")
        ).solutionVersion
        #expect(version?.status == "ACTIVE")
        #expect(version?.trainingMode == .autotrain)
        #expect(version?.trainingType == .automatic)

        clock.advance(days: 1)
        try await newInteraction(engine, trackingID: trackingID)
        #expect(try await engine.runDueAutoTraining().trainings.isEmpty, "one day into a two-day interval")
        clock.advance(days: 1)
        let second = try await engine.runDueAutoTraining()
        #expect(second.trainings.count == 1)
        #expect(second.trainings.first?.slot == created.addingTimeInterval(3600 + 2 * 86_400), "same time of day")
        #expect(try await engine.runDueAutoTraining().trainings.isEmpty)
        await engine.waitForBackgroundJobs()
        let all = try await versions(engine, solutionArn)
        #expect(all.count == 2)
        #expect(all.allSatisfy { $0.trainingMode == .autotrain && $0.status == "ACTIVE" })
    }

    @Test func noRunWithoutNewDataOrWithAutomaticTrainingOff() async throws {
        let (harness, group, trackingID) = try await prepared()
        let engine = harness.engine
        let solutionArn = try await solution(engine, group: group, schedule: "rate(1 day)")
        let manualOnly = try await harness.createSolution("manual", recipe: "aws-popularity-count", group: group)
        clock.advance(by: 3601)
        let first = try await engine.runDueAutoTraining()
        #expect(first.trainings.map(\.solutionArn) == [solutionArn])
        await engine.waitForBackgroundJobs()

        clock.advance(days: 1)
        let idle = try await engine.runDueAutoTraining()
        #expect(idle.trainings.isEmpty)
        #expect(idle.skipped.map(\.reason) == ["no new data"])
        try await newInteraction(engine, trackingID: trackingID)
        clock.advance(days: 1)
        #expect(try await engine.runDueAutoTraining().trainings.map(\.solutionArn) == [solutionArn])
        await engine.waitForBackgroundJobs()
        #expect(try await versions(engine, manualOnly).isEmpty)

        _ = try await engine.send(UpdateSolutionRequest(solutionArn: solutionArn, performAutoTraining: false))
        try await newInteraction(engine, trackingID: trackingID, user: "u2")
        clock.advance(days: 3)
        #expect(try await engine.runDueAutoTraining().trainings.isEmpty, "turned off")
    }

    @Test func aManualVersionInTheFirstHourReplacesTheFirstRun() async throws {
        let (harness, group, trackingID) = try await prepared()
        let engine = harness.engine
        let solutionArn = try await solution(engine, group: group, schedule: "rate(1 day)")
        clock.advance(by: 20 * 60)
        _ = try await engine.send(CreateSolutionVersionRequest(solutionArn: solutionArn))
        await engine.waitForBackgroundJobs()
        clock.advance(by: 50 * 60)
        #expect(try await engine.runDueAutoTraining().trainings.isEmpty)
        try await newInteraction(engine, trackingID: trackingID)
        clock.advance(days: 1)
        #expect(try await engine.runDueAutoTraining().trainings.count == 1, "the next slot runs")
        await engine.waitForBackgroundJobs()
    }

    @Test func nothingStartsWhileAVersionIsInProgress() async throws {
        let (harness, group, trackingID) = try await prepared()
        let engine = harness.engine
        let solutionArn = try await solution(engine, group: group, schedule: "rate(1 day)")
        clock.advance(by: 3601)
        #expect(try await engine.runDueAutoTraining().trainings.count == 1)
        await engine.waitForBackgroundJobs()
        try await newInteraction(engine, trackingID: trackingID)
        clock.advance(days: 1)

        let running = try await insertVersion(engine, solutionArn, status: "CREATE IN_PROGRESS", automatic: false)
        let busy = try await engine.runDueAutoTraining()
        #expect(busy.trainings.isEmpty)
        #expect(busy.skipped.first?.reason.hasPrefix("in progress") == true)
        #expect(try await versions(engine, solutionArn).count == 2)

        try await engine.core.database.pool.write { db in
            _ = try ResourceStore.update(
                db, SolutionVersion.self, arn: running, kind: .solutionVersion, at: Date(), status: \.status,
                enforcingLifecycle: false
            ) { $0.status = "CREATE FAILED" }
        }
        #expect(try await engine.runDueAutoTraining().trainings.count == 1, "the slot runs once the version settles")
        await engine.waitForBackgroundJobs()
    }

    @Test func aRestartNeitherLosesNorDoublesARun() async throws {
        let directory: URL
        let solutionArn: String
        let trackingID: String
        do {
            let (harness, group, tracker) = try await prepared()
            directory = harness.dataDirectory
            trackingID = tracker
            solutionArn = try await solution(harness.engine, group: group, schedule: "rate(1 day)")
            clock.advance(by: 3601)
            #expect(try await harness.engine.runDueAutoTraining().trainings.count == 1)
            await harness.engine.waitForBackgroundJobs()
        }
        do {
            let engine = try EngineHarness.open(directory, clock: clock)
            #expect(try await engine.runDueAutoTraining().trainings.isEmpty, "not doubled by a restart")
            try await newInteraction(engine, trackingID: trackingID)
            clock.advance(days: 1)
            // A process dies while the slot's automatic version trains.
            _ = try await insertVersion(engine, solutionArn, status: "CREATE IN_PROGRESS", automatic: true)
        }
        let engine = try EngineHarness.open(directory, clock: clock)
        let resumed = try await engine.runDueAutoTraining()
        #expect(resumed.trainings.count == 1, "the interrupted run is not lost")
        #expect(try await engine.runDueAutoTraining().trainings.isEmpty)
        await engine.waitForBackgroundJobs()
        let all = try await versions(engine, solutionArn)
        #expect(all.compactMap(\.status).sorted() == ["ACTIVE", "ACTIVE", "CREATE FAILED"])
    }

    @Test func campaignsThatSyncMoveToTheNewVersionAndKeepServing() async throws {
        let (harness, group, trackingID) = try await prepared()
        let engine = harness.engine
        let solutionArn = try await solution(engine, group: group, schedule: "rate(1 day)")
        let first = try await engine.send(CreateSolutionVersionRequest(solutionArn: solutionArn)).solutionVersionArn
        await engine.waitForBackgroundJobs()

        let concrete = await invalidInput {
            _ = try await engine.send(
                CreateCampaignRequest(
                    name: "wrong", solutionVersionArn: first ?? "",
                    campaignConfig: CampaignConfig(syncWithLatestSolutionVersion: true)))
        }
        #expect(concrete?.contains("$LATEST") == true)
        let latestWithoutSync = await invalidInput {
            _ = try await engine.send(
                CreateCampaignRequest(name: "wrong", solutionVersionArn: solutionArn + "/$LATEST"))
        }
        #expect(latestWithoutSync?.contains("syncWithLatestSolutionVersion") == true)

        let following =
            try await engine.send(
                CreateCampaignRequest(
                    name: "following", solutionVersionArn: solutionArn + "/$LATEST",
                    campaignConfig: CampaignConfig(syncWithLatestSolutionVersion: true))
            ).campaignArn ?? ""
        let pinned =
            try await engine.send(CreateCampaignRequest(name: "pinned", solutionVersionArn: first ?? ""))
            .campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        #expect(try await describe(engine, following)?.solutionVersionArn == first)

        try await newInteraction(engine, trackingID: trackingID)
        clock.advance(by: 86_400 + 3_600)  // the manual version served the first slot; this is the second
        let report = try await engine.runDueAutoTraining()
        let second = try #require(report.trainings.first?.solutionVersionArn)
        // Until the new version is ACTIVE and loaded, the campaign keeps serving the old one: every request
        // while it trains and deploys is answered, by one model or the other.
        var served: Set<String> = []
        let deadline = Date().addingTimeInterval(60)
        repeat {  // at least once, however fast the training is
            served.insert(try await engine.core.serving.deployedModel(campaignArn: following).solutionVersionArn)
            let during = try await engine.send(GetRecommendationsRequest(campaignArn: following, userId: "u1"))
            #expect(!(during.itemList ?? []).isEmpty)
            await Task.yield()
        } while try await describe(engine, following)?.solutionVersionArn != second && Date() < deadline
        #expect(!served.isEmpty)
        #expect(served.isSubset(of: [first ?? "", second]))
        await engine.waitForBackgroundJobs()

        let moved = try await describe(engine, following)
        #expect(moved?.solutionVersionArn == second)
        #expect(moved?.status == "ACTIVE")
        #expect(moved?.latestCampaignUpdate?.solutionVersionArn == second)
        #expect(moved?.latestCampaignUpdate?.status == "ACTIVE")
        #expect(try await describe(engine, pinned)?.solutionVersionArn == first, "a pinned campaign stays")
        let after = try await engine.send(GetRecommendationsRequest(campaignArn: following, userId: "u1"))
        #expect(!(after.itemList ?? []).isEmpty)
        let model = try await engine.core.serving.deployedModel(campaignArn: following)
        #expect(model.solutionVersionArn == second)
    }

    @Test func updateTrainingNeedsUserPersonalizationAndAFullVersion() async throws {
        let (harness, group, _) = try await prepared()
        let engine = harness.engine
        let popularity = try await solution(engine, group: group, name: "pop")
        let message = await invalidInput {
            _ = try await engine.send(CreateSolutionVersionRequest(solutionArn: popularity, trainingMode: .update))
        }
        #expect(message?.contains("aws-user-personalization") == true)
        let personal = try await solution(
            engine, group: group, name: "personal", recipe: "aws-user-personalization")
        let noFull = await invalidInput {
            _ = try await engine.send(CreateSolutionVersionRequest(solutionArn: personal, trainingMode: .update))
        }
        #expect(noFull?.contains("FULL") == true)
        let reserved = await invalidInput {
            _ = try await engine.send(CreateSolutionVersionRequest(solutionArn: personal, trainingMode: .autotrain))
        }
        #expect(reserved?.contains("AUTOTRAIN") == true)

        _ = try await engine.send(CreateSolutionVersionRequest(solutionArn: personal, trainingMode: .full))
        await engine.waitForBackgroundJobs()
        let update = try await engine.send(CreateSolutionVersionRequest(solutionArn: personal, trainingMode: .update))
        await engine.waitForBackgroundJobs()
        let version = try await engine.send(
            DescribeSolutionVersionRequest(solutionVersionArn: update.solutionVersionArn ?? "")
        ).solutionVersion
        #expect(version?.trainingMode == .update)
        #expect(version?.trainingType == .manual)
        #expect(version?.status == "ACTIVE")
    }

    private func describe(_ engine: LocalEngine, _ campaignArn: String) async throws -> Campaign? {
        try await engine.send(DescribeCampaignRequest(campaignArn: campaignArn)).campaign
    }

    /// Stores a version as a process that is (or was) training it would have left it.
    private func insertVersion(_ engine: LocalEngine, _ solutionArn: String, status: String, automatic: Bool)
        async throws -> String
    {
        let arn = "\(solutionArn)/dead\(automatic ? "auto" : "manual")"
        let date = clock.now()
        try await engine.core.database.pool.write { db in
            try ResourceStore.insert(
                db, arn: arn, kind: .solutionVersion, name: "dead", parent: solutionArn, status: status, at: date,
                body: SolutionVersion(
                    solutionVersionArn: arn, solutionArn: solutionArn, trainingMode: automatic ? .autotrain : .full,
                    status: status, creationDateTime: date, lastUpdatedDateTime: date,
                    trainingType: automatic ? .automatic : .manual), enforcingLifecycle: false)
        }
        return arn
    }
}
