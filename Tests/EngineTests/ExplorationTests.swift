import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

/// Item exploration (guide part 1 §10.2) on user-personalization campaigns, and the v2 recipes.
@Suite struct ExplorationTests {
    static let itemsSchema = """
        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "ITEM_ID", "type": "string"}, {"name": "GENRE", "type": "string", "categorical": true},
          {"name": "CREATION_TIMESTAMP", "type": "long"}], "version": "1.0"}
        """
    static let data = SyntheticData()
    /// The synthetic interactions end here (120 users × 15 events, one a minute from 1,600,000,000).
    static let latest = 1_600_000_000 + 60 * 120 * 15

    /// A trained catalogue whose items are old except i0…i3 (two days old), plus cold items the model never
    /// saw: n0…n4 (one day old, genre "new") and n5 (years old).
    struct Catalogue {
        let harness: EngineHarness
        let clock: MovableClock
        let group: String
        let items: String

        var engine: LocalEngine { harness.engine }

        static func open() async throws -> Catalogue {
            let clock = MovableClock()
            let harness = try EngineHarness(clock: clock)
            let (group, _, status) = try await harness.importInteractions(data.interactionsCSV())
            #expect(status == "ACTIVE")
            let engine = harness.engine
            let items = try await EngineHarness.createDataset(
                "items", type: "ITEMS", schema: itemsSchema, inGroup: group, on: engine)
            let catalogue = Catalogue(harness: harness, clock: clock, group: group, items: items)
            var records = (0..<data.items).map { item in
                (id: "i\(item)", genre: "g\(item % 4)", created: item < 4 ? latest - 2 * 86_400 : 1_500_000_000)
            }
            records += (0..<5).map { (id: "n\($0)", genre: "new", created: latest - 86_400) }
            records.append((id: "n5", genre: "new", created: 1_000_000_000))
            try await catalogue.put(records)
            return catalogue
        }

        func put(_ records: [(id: String, genre: String, created: Int)]) async throws {
            for start in stride(from: 0, to: records.count, by: 10) {
                let batch = records[start..<min(start + 10, records.count)].map { record in
                    Item(
                        itemId: record.id,
                        properties: #"{"genre": "\#(record.genre)", "creationTimestamp": \#(record.created)}"#)
                }
                _ = try await engine.send(PutItemsRequest(datasetArn: items, items: batch))
            }
        }

        func campaign(_ name: String, version: String, exploration: [String: String]?) async throws -> String {
            let arn =
                try await engine.send(
                    CreateCampaignRequest(
                        name: name, solutionVersionArn: version,
                        campaignConfig: CampaignConfig(itemExplorationConfig: exploration))
                ).campaignArn ?? ""
            await engine.waitForBackgroundJobs()
            return arn
        }

        func recommend(_ campaign: String, user: String = "u1", count: Int = 10, filter: String? = nil) async throws
            -> [PredictedItem]
        {
            try await engine.send(
                GetRecommendationsRequest(campaignArn: campaign, userId: user, numResults: count, filterArn: filter)
            ).itemList ?? []
        }

        /// The items `user` interacted with.
        func history(of user: String) -> Set<String> {
            Set(
                data.interactionsCSV().split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
                    .filter { $0[0] == user }.map { String($0[1]) })
        }
    }

    static func explored(_ items: [PredictedItem]) -> [String] {
        items.filter { $0.reason == ["Exploration"] }.compactMap(\.itemId)
    }

    @Test func campaignsExploreNewAndLittleKnownItemsAsConfigured() async throws {
        let catalogue = try await Catalogue.open()
        let (version, trained) = try await catalogue.harness.train(
            group: catalogue.group, name: "picks", recipe: "aws-user-personalization")
        #expect(trained == "ACTIVE")
        let off = try await catalogue.campaign("off", version: version, exploration: ["explorationWeight": "0"])
        let full = try await catalogue.campaign(
            "full", version: version, exploration: ["explorationWeight": "1", "explorationItemAgeCutOff": "30"])
        let standard = try await catalogue.campaign("standard", version: version, exploration: nil)
        let history = catalogue.history(of: "u1")

        let plain = try await catalogue.recommend(off)
        #expect(plain.count == 10)
        #expect(Self.explored(plain).isEmpty)

        // Weight 1: half the slots, the least-known eligible items first (the cold ones), never first place.
        let explored = try await catalogue.recommend(full)
        #expect(explored.count == 10)
        #expect(Set(Self.explored(explored)) == ["n0", "n1", "n2", "n3", "n4"])
        #expect(explored.first?.reason == nil)
        #expect(explored.filter { $0.reason == ["Exploration"] }.allSatisfy { $0.score == nil })
        #expect(Set(explored.compactMap(\.itemId)).isDisjoint(with: history))
        #expect(Set(explored.compactMap(\.itemId)).count == 10)
        // The other slots keep the model's order.
        let kept = explored.filter { $0.reason == nil }.compactMap(\.itemId)
        #expect(kept == Array(plain.compactMap(\.itemId).prefix(kept.count)))

        // The default weight (0.3) explores 15% of the slots.
        #expect(Self.explored(try await catalogue.recommend(standard)).count == 2)
        #expect(Self.explored(try await catalogue.recommend(standard, count: 20)).count == 3)

        // Filters apply to explored items too: without the new genre, only the young trained items remain.
        let noNew =
            try await catalogue.engine.send(
                CreateFilterRequest(
                    name: "no-new", datasetGroupArn: catalogue.group,
                    filterExpression: #"EXCLUDE ItemID WHERE Items.GENRE IN ("new")"#)
            ).filterArn ?? ""
        await catalogue.engine.waitForBackgroundJobs()
        let filtered = try await catalogue.recommend(full, filter: noNew)
        let young: Set<String> = ["i0", "i1", "i2", "i3"]
        #expect(!Self.explored(filtered).isEmpty)
        #expect(Set(Self.explored(filtered)).isSubset(of: young.subtracting(history)))
        #expect(filtered.allSatisfy { !($0.itemId ?? "").hasPrefix("n") })

        // An item added now is explored once the pool is refreshed: the first request after the 5-second
        // recheck still gets the previous pool and starts the refresh, whose pool the next requests get.
        try await catalogue.put([(id: "n9", genre: "new", created: Self.latest)])
        catalogue.clock.advance(by: 6)
        #expect(!Self.explored(try await catalogue.recommend(full, count: 14)).contains("n9"))
        var found = false
        for _ in 0..<200 where !found {
            found = Self.explored(try await catalogue.recommend(full, count: 14)).contains("n9")
            if !found { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(found, "the refreshed pool has the new item")
    }

    @Test func batchInferenceJobsExploreWhenTheirConfigAsks() async throws {
        let catalogue = try await Catalogue.open()
        let (version, _) = try await catalogue.harness.train(
            group: catalogue.group, name: "picks", recipe: "aws-user-personalization")
        let engine = catalogue.engine
        let input = try catalogue.harness.directory.write("batch/input.json", #"{"userId": "u1"}"# + "\n")
        func run(_ name: String, config: [String: String]?) async throws -> [String] {
            let output = catalogue.harness.directory.url.appendingPathComponent("batch/\(name)")
            let arn =
                try await engine.send(
                    CreateBatchInferenceJobRequest(
                        jobName: name, solutionVersionArn: version, numResults: 10,
                        jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: input.path)),
                        jobOutput: BatchInferenceJobOutput(s3DataDestination: S3DataConfig(path: output.path)),
                        roleArn: "arn:aws:iam::0:role/r",
                        batchInferenceJobConfig: config.map { BatchInferenceJobConfig(itemExplorationConfig: $0) })
                ).batchInferenceJobArn ?? ""
            let status = try await EngineHarness.settle {
                try await engine.send(DescribeBatchInferenceJobRequest(batchInferenceJobArn: arn)).batchInferenceJob?
                    .status
            }
            #expect(status == "ACTIVE")
            let text = try String(contentsOf: output.appendingPathComponent("input.json.out"), encoding: .utf8)
            let line = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return (line?["output"] as? [String: Any])?["recommendedItems"] as? [String] ?? []
        }
        let plain = try await run("plain", config: nil)
        #expect(plain.count == 10 && !plain.contains { $0.hasPrefix("n") })
        let explored = try await run("explored", config: ["explorationWeight": "1"])
        #expect(explored.count == 10)
        #expect(Set(explored.filter { $0.hasPrefix("n") }) == ["n0", "n1", "n2", "n3", "n4"])
    }

    @Test func theExplorationConfigIsChecked() async throws {
        let catalogue = try await Catalogue.open()
        let (version, _) = try await catalogue.harness.train(
            group: catalogue.group, name: "picks", recipe: "aws-user-personalization")
        for config in [
            ["explorationWeight": "1.5"], ["explorationWeight": "x"], ["explorationItemAgeCutOff": "0"],
            ["explorationTemperature": "1"],
        ] {
            await #expect {
                _ = try await catalogue.engine.send(
                    CreateCampaignRequest(
                        name: "bad", solutionVersionArn: version,
                        campaignConfig: CampaignConfig(itemExplorationConfig: config)))
            } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        }
        // The cut-off narrows the pool: one day leaves only items at most a day older than the latest event.
        let narrow = try await catalogue.campaign(
            "narrow", version: version, exploration: ["explorationWeight": "1", "explorationItemAgeCutOff": "1"])
        let explored = Self.explored(try await catalogue.recommend(narrow, count: 20))
        #expect(Set(explored) == ["n0", "n1", "n2", "n3", "n4"])
    }

    @Test func theV2RecipesTrainAndServe() async throws {
        let catalogue = try await Catalogue.open()
        let (version, trained) = try await catalogue.harness.train(
            group: catalogue.group, name: "picks-v2", recipe: "aws-user-personalization-v2",
            hyperParameters: ["apply_recency_bias": "false"])
        #expect(trained == "ACTIVE")
        let metrics = try await catalogue.engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics
        #expect((metrics?["normalized_discounted_cumulative_gain_at_10"] ?? 0) > 0)
        // v2 explores by itself and includes metadata without enableMetadataWithRecommendations.
        let campaign = try await catalogue.campaign("v2", version: version, exploration: nil)
        let items =
            try await catalogue.engine.send(
                GetRecommendationsRequest(
                    campaignArn: campaign, userId: "u2", numResults: 10, metadataColumns: ["ITEMS": ["GENRE"]])
            ).itemList ?? []
        #expect(items.count == 10)
        #expect(Self.explored(items).count == 2)
        #expect(items.allSatisfy { $0.metadata?["GENRE"] != nil })

        let (ranking, ranked) = try await catalogue.harness.train(
            group: catalogue.group, name: "rank-v2", recipe: "aws-personalized-ranking-v2")
        #expect(ranked == "ACTIVE")
        let rankingCampaign = try await catalogue.campaign("rank-v2", version: ranking, exploration: nil)
        let list = ["i0", "i1", "i2", "i3", "i4"]
        let result =
            try await catalogue.engine.send(
                GetPersonalizedRankingRequest(campaignArn: rankingCampaign, inputList: list, userId: "u3")
            ).personalizedRanking ?? []
        #expect(Set(result.compactMap(\.itemId)) == Set(list))
        #expect(abs(result.compactMap(\.score).reduce(0, +) - 1) < 1e-4)
    }
}

/// What exploration leaves out: the consumed set and the answer's items, searched one by one when the answer
/// is short and hashed when it is long, with the same result.
@Suite struct ExcludedItemsTests {
    @Test(.tags(.small)) func shortAndLongAnswersExcludeTheSameItems() {
        for count in [0, 1, 25, ExcludedItems.linearSearchLimit, ExcludedItems.linearSearchLimit + 1, 500] {
            let chosen = (0..<count).map { "i\($0)" }
            let excluded = ExcludedItems(["c1", "c2"], chosen: chosen)
            #expect(excluded.chosen.count <= ExcludedItems.linearSearchLimit)
            for id in chosen + ["c1", "c2"] { #expect(excluded.contains(id), "\(id) of \(count)") }
            for id in ["i\(count)", "c3", "", "I0"] { #expect(!excluded.contains(id), "\(id) of \(count)") }
            #expect(excluded.union(["x"]) == Set(chosen + ["c1", "c2", "x"]))
        }
    }
}
