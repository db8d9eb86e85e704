import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Which interactions a solution trains on (part 2 §10.8; part 3 §8.6 E8, §12.1).
@Suite struct ConformanceTrainingDataTests {
    /// 80 users click `c0` and `c1` (`c0` with value 1, `c1` with value 4); 60, 40 and 20 users purchase `p0`,
    /// `p1` (value 5) and `p2` (value 2). By count: c0 = c1 (80) > p0 (60) > p1 (40) > p2 (20).
    static let csv: String = {
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"]
        var time = 1_600_000_000
        func add(_ user: Int, _ item: String, _ type: String, _ value: Int) {
            time += 60
            lines.append("u\(user),\(item),\(time),\(type),\(value)")
        }
        for user in 0..<80 {
            add(user, "c0", "click", 1)
            add(user, "c1", "click", 4)
        }
        for user in 0..<60 { add(user, "p0", "purchase", 5) }
        for user in 0..<40 { add(user, "p1", "purchase", 5) }
        for user in 0..<20 { add(user, "p2", "purchase", 2) }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// The most popular items a Popularity-Count solution with these settings recommends to a new user.
    private func popular(
        _ shop: ConformanceShop, name: String, eventType: String? = nil, threshold: String? = nil
    ) async throws -> [String] {
        let version = try await shop.train(
            "aws-popularity-count", name: name, eventType: eventType, eventValueThreshold: threshold)
        #expect(version?.status == "ACTIVE", "\(version?.failureReason ?? "")")
        let campaign = try await shop.campaign(version?.solutionVersionArn ?? "", name: name)
        let response = try await shop.engine.send(
            GetRecommendationsRequest(campaignArn: campaign?.campaignArn, userId: "newcomer", numResults: 5))
        return response.itemList?.compactMap(\.itemId) ?? []
    }

    /// An engine whose dataset group `events` holds ``csv``.
    private func shop(limits: EngineLimits? = nil) async throws -> ConformanceShop {
        let harness = try EngineHarness(limits: limits)
        let (group, _, status) = try await harness.importInteractions(Self.csv, group: "events")
        #expect(status == "ACTIVE")
        return ConformanceShop(harness: harness, group: group)
    }

    @Test func withoutAnEventTypeEveryEventCountsEqually() async throws {
        let shop = try await shop()
        let items = try await popular(shop, name: "all")
        #expect(Set(items.prefix(2)) == ["c0", "c1"])
        #expect(Array(items.dropFirst(2)) == ["p0", "p1", "p2"])
    }

    @Test func anEventTypeTrainsOnlyOnThatType() async throws {
        let shop = try await shop()
        #expect(try await popular(shop, name: "purchases", eventType: "purchase") == ["p0", "p1", "p2"])
    }

    @Test func anEventValueThresholdKeepsEventsAtOrAboveIt() async throws {
        let shop = try await shop()
        // c1 (4), p0 and p1 (5) pass "4"; c0 (1) and p2 (2) do not.
        #expect(try await popular(shop, name: "valuable", threshold: "4") == ["c1", "p0", "p1"])
    }

    @Test func tooFewInteractionsAfterFilteringByEventTypeFailWithE8() async throws {
        var limits = EngineHarness.smallLimits
        limits.minimumTrainingInteractions = 150
        let shop = try await shop(limits: limits)
        let all = try await shop.train("aws-popularity-count", name: "all")
        #expect(all?.status == "ACTIVE", "280 interactions pass the minimum of 150")
        let purchases = try await shop.train("aws-popularity-count", name: "purchases", eventType: "purchase")
        #expect(purchases?.status == "CREATE FAILED")
        #expect(
            purchases?.failureReason?.hasPrefix(
                "There are fewer than 150 interactions in the dataset after filtering by event type: purchase") == true,
            "\(purchases?.failureReason ?? "")")
    }

    @Test func trainingModeDefaultsToFull() async throws {
        let shop = try await shop()
        let version = try await shop.train("aws-popularity-count", name: "default-mode")
        #expect(version?.trainingMode == .full)
        #expect(version?.trainingType == .manual)
    }
}
