import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Precomputed per-user answers (`CandidateLists`) give exactly what scoring the whole catalogue gives: the
/// same items, scores and exploration picks, for every filter and size, and never once the user's data changed.
@Suite struct CandidateListTests {
    static let data = SyntheticData()

    /// Shallow lists (10 items, 6 exploration candidates over a 60-item catalogue), so that both the lists and
    /// the fallback to scoring answer some requests.
    static var shallow: CandidateListSettings {
        var settings = CandidateListSettings()
        settings.depth = 10
        settings.explorationDepth = 6
        return settings
    }

    struct Shop {
        let harness: EngineHarness
        let clock: MovableClock
        let group: String
        let dataset: String
        let campaign: String
        let tracking: String
        let filters: [String?]

        var engine: LocalEngine { harness.engine }

        static func open(exploration: [String: String]? = nil) async throws -> Shop {
            // A clock that stands still: the exploration pool is rechecked after 5 s of it, and both passes of a
            // comparison must explore the same pool however slowly the tests run.
            let clock = MovableClock()
            let harness = try EngineHarness(clock: clock, candidateLists: CandidateListTests.shallow)
            let engine = harness.engine
            let (group, dataset, status) = try await harness.importInteractions(data.interactionsCSV())
            #expect(status == "ACTIVE")
            let (version, trained) = try await harness.train(
                group: group, name: "up", recipe: "aws-user-personalization")
            #expect(trained == "ACTIVE")
            let campaign =
                try await engine.send(
                    CreateCampaignRequest(
                        name: "up", solutionVersionArn: version,
                        campaignConfig: exploration.map { CampaignConfig(itemExplorationConfig: $0) })
                ).campaignArn ?? ""
            let tracking =
                try await engine.send(CreateEventTrackerRequest(name: "events", datasetGroupArn: group)).trackingId
                ?? ""
            var filters: [String?] = [nil]
            for (name, expression) in [
                ("no-purchases", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#),
                // Passes only purchased items, which the user already has: nothing is left.
                ("purchased", #"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#),
            ] {
                filters.append(
                    try await engine.send(
                        CreateFilterRequest(name: name, datasetGroupArn: group, filterExpression: expression)
                    ).filterArn)
            }
            await engine.waitForBackgroundJobs()
            return Shop(
                harness: harness, clock: clock, group: group, dataset: dataset, campaign: campaign, tracking: tracking,
                filters: filters)
        }

        func recommend(_ user: String, count: Int, filter: String? = nil) async throws -> [PredictedItem] {
            try await engine.send(
                GetRecommendationsRequest(campaignArn: campaign, userId: user, numResults: count, filterArn: filter)
            ).itemList ?? []
        }

        /// Every (user, count, filter) request's answer.
        func answers(users: [String], counts: [Int]) async throws -> [String: [PredictedItem]] {
            var answers: [String: [PredictedItem]] = [:]
            for user in users {
                for count in counts {
                    for filter in filters {
                        answers["\(user)|\(count)|\(filter ?? "-")"] = try await recommend(
                            user, count: count, filter: filter)
                    }
                }
            }
            return answers
        }

        /// The same requests answered by scoring the catalogue (the lists forgotten).
        func exhaustive(users: [String], counts: [Int]) async throws -> [String: [PredictedItem]] {
            engine.core.serving.forgetCandidateLists(campaignArn: campaign)
            return try await answers(users: users, counts: counts)
        }
    }

    static let users = (0..<data.users).filter { $0 % 7 == 0 }.map { "u\($0)" } + ["nobody"]
    static let counts = [1, 3, 5, 10, 25, 60]

    @Test(.tags(.medium)) func listsAnswerExactlyAsScoringTheCatalogue() async throws {
        let shop = try await Shop.open()
        let lists = try #require(shop.engine.core.serving.candidateLists(for: shop.campaign))
        #expect(lists.userCount == Self.data.users)
        let fast = try await shop.answers(users: Self.users, counts: Self.counts)
        let usage = shop.engine.core.serving.candidateListUsage
        // Most requests were answered from the lists, some needed more than they hold.
        #expect(usage.fresh == (Self.users.count - 1) * Self.counts.count * shop.filters.count)
        #expect(usage.scored > 0 && usage.scored < usage.fresh)
        #expect(usage.stale == 0)
        let exhaustive = try await shop.exhaustive(users: Self.users, counts: Self.counts)
        #expect(fast == exhaustive)
        #expect(fast.values.contains { $0.contains { $0.reason == ["Exploration"] } })
    }

    @Test(.tags(.medium)) func listsWithoutExplorationAnswerExactly() async throws {
        let shop = try await Shop.open(exploration: ["explorationWeight": "0"])
        let fast = try await shop.answers(users: Self.users, counts: Self.counts)
        #expect(shop.engine.core.serving.candidateListUsage.fresh > 0)
        let exhaustive = try await shop.exhaustive(users: Self.users, counts: Self.counts)
        #expect(fast == exhaustive)
        #expect(!fast.values.contains { $0.contains { $0.reason != nil } })
    }

    @Test(.tags(.medium)) func listsExploreAChangedPoolExactly() async throws {
        let shop = try await Shop.open()
        #expect(try await !shop.recommend("u0", count: 10).isEmpty)
        // A visitor's clicks change some items' interaction counts: once the pool is rechecked (5 s of the
        // clock), it is no longer the pool the lists chose their exploration candidates from.
        let latest = Date(timeIntervalSince1970: 1_600_000_000 + 60 * Double(Self.data.users * 15))
        _ = try await shop.engine.send(
            PutEventsRequest(
                trackingId: shop.tracking, userId: "visitor", sessionId: "visitor",
                eventList: (0..<5).map { Event(eventType: "click", itemId: "i\($0 * 7)", sentAt: latest) }))
        shop.clock.advance(by: 6)
        // The first request after the recheck gets the previous pool and starts the refresh.
        var refreshed = false
        for _ in 0..<200 where !refreshed {
            _ = try await shop.recommend("u1", count: 10)
            refreshed = shop.engine.core.serving.candidateListUsage.poolScored > 0
            if !refreshed { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(refreshed, "a request explored the new pool from the lists")
        let fast = try await shop.answers(users: Self.users, counts: Self.counts)
        let usage = shop.engine.core.serving.candidateListUsage
        #expect(usage.poolScored > 1 && usage.stale == 0)
        let exhaustive = try await shop.exhaustive(users: Self.users, counts: Self.counts)
        #expect(fast == exhaustive)
        #expect(fast.values.contains { $0.contains { $0.reason == ["Exploration"] } })
    }

    @Test(.tags(.medium)) func anEventReachesTheVeryNextRequest() async throws {
        let shop = try await Shop.open()
        let before = try await shop.recommend("u3", count: 5)
        let best = try #require(before.first?.itemId)
        _ = try await shop.engine.send(
            PutEventsRequest(
                trackingId: shop.tracking, userId: "u3", sessionId: "s3",
                eventList: [Event(eventType: "click", itemId: best, sentAt: Date())]))
        let after = try await shop.recommend("u3", count: 5)
        // The item just clicked is left out at once: the user's lists are stale, the catalogue was scored.
        #expect(!after.contains { $0.itemId == best })
        #expect(shop.engine.core.serving.candidateListUsage.stale == 1)
        // Other users keep their lists, and every answer is still the exhaustive one.
        let users = ["u3", "u4", "u10"]
        let fast = try await shop.answers(users: users, counts: [5, 25])
        #expect(shop.engine.core.serving.candidateListUsage.fresh > 1)
        let exhaustive = try await shop.exhaustive(users: users, counts: [5, 25])
        #expect(fast == exhaustive)
    }

    @Test(.tags(.medium)) func aBulkImportStalesEveryList() async throws {
        let shop = try await Shop.open()
        let csv =
            "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
            + (0..<120).map { "u\($0),i\(($0 * 7) % 60),1700000000,click,1" }.joined(separator: "\n") + "\n"
        let file = try shop.harness.directory.write("more.csv", csv)
        let job =
            try await shop.engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "more", datasetArn: shop.dataset, dataSource: DataSource(dataLocation: file.path),
                    importMode: .incremental)
            ).datasetImportJobArn ?? ""
        let engine = shop.engine
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: job)).datasetImportJob?.status
        }
        #expect(status == "ACTIVE")
        let users = ["u0", "u1", "u2"]
        let fast = try await shop.answers(users: users, counts: [5])
        #expect(shop.engine.core.serving.candidateListUsage.fresh == 0)
        #expect(shop.engine.core.serving.candidateListUsage.stale == users.count * shop.filters.count)
        let exhaustive = try await shop.exhaustive(users: users, counts: [5])
        #expect(fast == exhaustive)
    }

    @Test(.tags(.small)) func aSecondEngineCannotShareTheDataFolder() async throws {
        // Precomputed answers trust that every write goes through this process's database writer; the data
        // folder's lock is what makes that true.
        let harness = try EngineHarness()
        #expect(throws: EngineError.self) { try EngineHarness.open(harness.dataDirectory) }
    }
}
