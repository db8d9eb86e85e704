import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Domain recommenders (the guide's part 2 §9, use cases of part 1 §11) on an ECOMMERCE dataset group.
@Suite struct RecommenderTests {
    let data = SyntheticData(users: 200, items: 200, clusters: 4)

    /// Creates a `type` dataset of `domain` in `group` with `schema`, imports `csv` into it and checks the import
    /// went through.
    private func domainDataset(
        _ harness: EngineHarness, group: String, domain: Domain, type: String, schema: String, csv: String
    ) async throws {
        let dataset = try await createDomainDataset(
            harness.engine, group: group, domain: domain, type: type, schema: schema)
        let name = "\(domain.rawValue.lowercased())-\(type.lowercased())"
        #expect(try await harness.importCSV(csv, into: dataset, name: name) == "ACTIVE", "\(type)")
    }

    /// A dataset of `type` with a schema of `domain` in `group`, empty; its ARN.
    private func createDomainDataset(
        _ engine: LocalEngine, group: String, domain: Domain, type: String, schema: String
    ) async throws -> String {
        try await EngineHarness.createDataset(
            "\(domain.rawValue.lowercased())-\(type.lowercased())", type: type, schema: schema, domain: domain,
            inGroup: group, on: engine)
    }

    /// An ECOMMERCE dataset group on a harness's engine, with View and Purchase events imported.
    private struct Shop {
        let harness: EngineHarness
        let group: String
        /// The interactions imported.
        let csv: String
        var engine: LocalEngine { harness.engine }
    }

    /// An ECOMMERCE dataset group with View and Purchase events.
    private func ecommerceShop(_ harness: EngineHarness) async throws -> Shop {
        let group =
            try await harness.engine.send(CreateDatasetGroupRequest(name: "shop", domain: .ecommerce)).datasetGroupArn
            ?? ""
        let csv = data.interactionsCSV(perUser: 15).replacingOccurrences(of: ",click,", with: ",View,")
            .replacingOccurrences(of: ",purchase,", with: ",Purchase,")
        try await domainDataset(
            harness, group: group, domain: .ecommerce, type: "Interactions", schema: SyntheticData.interactionsSchema,
            csv: csv)
        return Shop(harness: harness, group: group, csv: csv)
    }

    /// An empty VIDEO_ON_DEMAND dataset group; its ARN.
    private func videos(_ harness: EngineHarness) async throws -> String {
        try await harness.engine.send(CreateDatasetGroupRequest(name: "videos", domain: .videoOnDemand))
            .datasetGroupArn ?? ""
    }

    /// The recommender `name` of `useCase` in `shop`, once ACTIVE; its ARN.
    private func recommender(_ shop: Shop, _ useCase: String, name: String) async throws -> String {
        try await recommender(shop.harness, group: shop.group, useCase: useCase, name: name)
    }

    private func recommender(_ harness: EngineHarness, group: String, useCase: String, name: String) async throws
        -> String
    {
        let engine = harness.engine
        let arn =
            try await engine.send(
                CreateRecommenderRequest(name: name, datasetGroupArn: group, recipeArn: ARN.recipe(useCase))
            ).recommenderArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender?.status
        }
        #expect(status == "ACTIVE", "\(useCase)")
        return arn
    }

    @Test func recommendedForYouIsPersonalAndLeavesOutPurchases() async throws {
        let shop = try await ecommerceShop(EngineHarness())
        let engine = shop.engine
        let arn = try await recommender(shop, "aws-ecomm-recommended-for-you", name: "for-you")
        let described = try await engine.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender
        #expect((described?.modelMetrics?["normalized_discounted_cumulative_gain_at_10"] ?? 0) > 0)
        #expect(described?.recommenderConfig?.minRecommendationRequestsPerSecond == 1, "the documented default")
        let items =
            try await engine.send(GetRecommendationsRequest(userId: "u1", recommenderArn: arn)).itemList?
            .compactMap(\.itemId) ?? []
        #expect(items.count == 25)
        let purchased = shop.csv.split(separator: "\n").filter { $0.hasPrefix("u1,") && $0.contains(",Purchase,") }
            .map { String($0.split(separator: ",")[1]) }
        #expect(Set(items).isDisjoint(with: purchased))
        // A quarter of the catalogue is u1's cluster; a personal list is mostly from it.
        #expect(items.filter { (Int($0.dropFirst()) ?? 0) % 4 == 1 }.count >= 15, "u1's cluster: \(items)")
    }

    @Test func popularAndRelatedUseCases() async throws {
        let shop = try await ecommerceShop(EngineHarness())
        let engine = shop.engine
        let sellers = try await recommender(shop, "aws-ecomm-popular-items-by-purchases", name: "best-sellers")
        let first =
            try await engine.send(GetRecommendationsRequest(userId: "u1", numResults: 5, recommenderArn: sellers))
            .itemList?.compactMap(\.itemId) ?? []
        let second =
            try await engine.send(GetRecommendationsRequest(userId: "u2", numResults: 5, recommenderArn: sellers))
            .itemList?.compactMap(\.itemId) ?? []
        #expect(first.count == 5 && first == second, "best sellers are the same for everyone")

        let alsoViewed = try await recommender(
            shop, "aws-ecomm-customers-who-viewed-x-also-viewed", name: "also-viewed")
        let related =
            try await engine.send(
                GetRecommendationsRequest(itemId: "i5", userId: "u3", numResults: 10, recommenderArn: alsoViewed)
            ).itemList?.compactMap(\.itemId) ?? []
        #expect(related.count == 10)
        #expect(related.filter { (Int($0.dropFirst()) ?? 0) % 4 == 1 }.count >= 8, "\(related)")
        await #expect {
            try await engine.send(GetRecommendationsRequest(userId: "u3", recommenderArn: alsoViewed))
        } throws: { ($0 as? PersonalizeError)?.message.contains("itemId is required") == true }
    }

    @Test func everyVideoOnDemandUseCaseTrainsAndServes() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let group = try await videos(harness)
        func dataset(_ type: String, _ schema: String, _ csv: String) async throws {
            try await domainDataset(harness, group: group, domain: .videoOnDemand, type: type, schema: schema, csv: csv)
        }
        let watches = data.interactionsCSV(perUser: 15).replacingOccurrences(of: ",click,", with: ",Watch,")
            .replacingOccurrences(of: ",purchase,", with: ",Click,")
        try await dataset("Interactions", SyntheticData.interactionsSchema, watches)
        let items =
            "ITEM_ID,GENRES,CREATION_TIMESTAMP\n"
            + (0..<200).map { "i\($0),g\($0 % 4),\(1_600_000_000 + $0)" }.joined(separator: "\n") + "\n"
        try await dataset(
            "Items",
            #"""
            {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
             "fields": [{"name": "ITEM_ID", "type": "string"},
                        {"name": "GENRES", "type": "string", "categorical": true},
                        {"name": "CREATION_TIMESTAMP", "type": "long"}], "version": "1.0"}
            """#, items)
        let watched = Set(
            watches.split(separator: "\n").filter { $0.hasPrefix("u1,") && $0.contains(",Watch,") }
                .map { String($0.split(separator: ",")[1]) })
        for useCase in [
            "aws-vod-top-picks", "aws-vod-most-popular", "aws-vod-trending-now", "aws-vod-because-you-watched-x",
            "aws-vod-more-like-x",
        ] {
            let arn = try await recommender(harness, group: group, useCase: useCase, name: useCase)
            let related = useCase.hasSuffix("-x")
            let items =
                try await engine.send(
                    GetRecommendationsRequest(
                        itemId: related ? "i5" : nil, userId: "u1", numResults: 10, recommenderArn: arn)
                ).itemList?.compactMap(\.itemId) ?? []
            #expect(!items.isEmpty, "\(useCase)")
            let scored =
                try await engine.send(
                    GetRecommendationsRequest(itemId: related ? "i5" : nil, userId: "u1", recommenderArn: arn)
                )
                .itemList?.contains { $0.score != nil }
            #expect(scored == false, "domain recommenders return no scores (\(useCase))")
            if useCase == "aws-vod-top-picks" || related {
                #expect(Set(items).isDisjoint(with: watched), "\(useCase) leaves out what u1 watched: \(items)")
            }
        }
    }

    @Test func aUseCaseNeedsEnoughEventsOfItsType() async throws {
        var limits = EngineHarness.smallLimits
        limits.minimumTrainingInteractions = 1000  // the guide's minimum, per the use case's event type
        let harness = try EngineHarness(limits: limits)
        defer { harness.directory.remove() }
        let shop = try await ecommerceShop(harness)
        let (group, csv) = (shop.group, shop.csv)
        let purchases = csv.split(separator: "\n").filter { $0.contains(",Purchase,") }.count
        try #require(purchases < 1000 && csv.split(separator: "\n").count > 1000)
        let engine = harness.engine
        let arn =
            try await engine.send(
                CreateRecommenderRequest(
                    name: "sellers", datasetGroupArn: group,
                    recipeArn: ARN.recipe("aws-ecomm-popular-items-by-purchases"))
            ).recommenderArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender?.status
        }
        #expect(status == "CREATE FAILED")
        let reason = try await engine.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender?.failureReason
        #expect(
            reason?.contains("fewer than 1000 interactions in the dataset after filtering by event type: Purchase")
                == true, "\(reason ?? "")")
    }

    @Test func moreLikeXNeedsAnItemsDataset() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let group = try await videos(harness)
        _ = try await createDomainDataset(
            engine, group: group, domain: .videoOnDemand, type: "Interactions", schema: SyntheticData.interactionsSchema
        )
        let request = CreateRecommenderRequest(
            name: "more", datasetGroupArn: group, recipeArn: ARN.recipe("aws-vod-more-like-x"))
        await #expect { try await engine.send(request) } throws: {
            ($0 as? PersonalizeError)?.message.contains("needs an Items dataset") == true
        }
        _ = try await createDomainDataset(
            engine, group: group, domain: .videoOnDemand, type: "Items",
            schema: #"""
                {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
                 "fields": [{"name": "ITEM_ID", "type": "string"},
                            {"name": "GENRES", "type": ["string"], "categorical": true},
                            {"name": "CREATION_TIMESTAMP", "type": "long"}], "version": "1.0"}
                """#)
        #expect(try await engine.send(request).recommenderArn != nil)
        await engine.waitForBackgroundJobs()
    }

    @Test func recommendersRetrainEveryWeekUnlessStopped() async throws {
        let clock = MovableClock()
        let shop = try await ecommerceShop(EngineHarness(clock: clock))
        let engine = shop.engine
        let views = try await recommender(shop, "aws-ecomm-popular-items-by-views", name: "views")
        let stopped = try await recommender(shop, "aws-ecomm-popular-items-by-views", name: "stopped")
        _ = try await engine.send(StopRecommenderRequest(recommenderArn: stopped))

        // An item everybody views from now on: only a retrained model knows it.
        _ = try await EngineHarness.putEvents(tracker: "t", group: shop.group, on: engine, users: 0..<60) { _ in
            (0..<3).map { _ in Event(eventType: "View", itemId: "fresh", sentAt: clock.now()) }
        }
        func top() async throws -> [String] {
            try await engine.send(GetRecommendationsRequest(userId: "u1", numResults: 5, recommenderArn: views))
                .itemList?.compactMap(\.itemId) ?? []
        }
        #expect(try await !top().contains("fresh"))

        clock.advance(days: 6)
        #expect(try await engine.runDueAutoTraining().recommenderRetrainings.isEmpty, "not a week old yet")
        clock.advance(days: 1.1)
        let report = try await engine.runDueAutoTraining()
        #expect(report.recommenderRetrainings == [views], "the stopped recommender does not retrain")
        await engine.waitForBackgroundJobs()
        #expect(try await top().first == "fresh")
        let described = try await engine.send(DescribeRecommenderRequest(recommenderArn: views)).recommender
        #expect(described?.status == "ACTIVE")
        #expect(try await engine.runDueAutoTraining().recommenderRetrainings.isEmpty, "the next one is a week away")

        // Started again, the stopped one is overdue and retrains.
        _ = try await engine.send(StartRecommenderRequest(recommenderArn: stopped))
        #expect(try await engine.runDueAutoTraining().recommenderRetrainings == [stopped])
        await engine.waitForBackgroundJobs()
    }

    @Test func lifecycleUpdatesAndRefusals() async throws {
        let shop = try await ecommerceShop(EngineHarness())
        let engine = shop.engine
        let arn = try await recommender(shop, "aws-ecomm-popular-items-by-views", name: "views")

        _ = try await engine.send(StopRecommenderRequest(recommenderArn: arn))
        #expect(
            try await engine.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender?.status == "INACTIVE")
        await #expect {
            try await engine.send(GetRecommendationsRequest(userId: "u1", recommenderArn: arn))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceInUseException }
        _ = try await engine.send(StartRecommenderRequest(recommenderArn: arn))
        let served = try await engine.send(GetRecommendationsRequest(userId: "u1", recommenderArn: arn)).itemList ?? []
        #expect(!served.isEmpty)

        _ = try await engine.send(
            UpdateRecommenderRequest(
                recommenderArn: arn, recommenderConfig: RecommenderConfig(minRecommendationRequestsPerSecond: 3)))
        let updated = try await engine.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender
        #expect(updated?.recommenderConfig?.minRecommendationRequestsPerSecond == 3)
        #expect(updated?.latestRecommenderUpdate?.status == "ACTIVE")

        await #expect {
            try await engine.send(
                CreateRecommenderRequest(name: "x", datasetGroupArn: shop.group, recipeArn: ARN.recipe("aws-sims")))
        } throws: { ($0 as? PersonalizeError)?.message.contains("is not a domain use case") == true }
        await #expect {
            try await engine.send(
                CreateRecommenderRequest(
                    name: "x", datasetGroupArn: shop.group, recipeArn: ARN.recipe("aws-vod-top-picks")))
        } throws: { ($0 as? PersonalizeError)?.message.contains("VIDEO_ON_DEMAND use case") == true }
        let custom = try await engine.send(CreateDatasetGroupRequest(name: "custom")).datasetGroupArn ?? ""
        await #expect {
            try await engine.send(
                CreateRecommenderRequest(
                    name: "x", datasetGroupArn: custom, recipeArn: ARN.recipe("aws-ecomm-recommended-for-you")))
        } throws: { ($0 as? PersonalizeError)?.message.contains("custom dataset group") == true }
        await #expect {
            try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: shop.group))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceInUseException }

        let listed = try await engine.send(ListRecommendersRequest(datasetGroupArn: shop.group)).recommenders ?? []
        #expect(listed.map(\.name) == ["views"])
        _ = try await engine.send(DeleteRecommenderRequest(recommenderArn: arn))
        await engine.waitForBackgroundJobs()  // the deletion runs in the background
        await #expect {
            try await engine.send(DescribeRecommenderRequest(recommenderArn: arn))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
    }
}
