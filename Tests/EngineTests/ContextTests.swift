import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

/// Contextual metadata (guide part 2 §14.8): `context` on GetRecommendations and GetPersonalizedRanking.
@Suite struct ContextTests {
    static let schema = """
        {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
          {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
          {"name": "DEVICE", "type": ["null", "string"], "categorical": true}], "version": "1.0"}
        """

    /// On their phone people watch even items, on their computer odd ones, each from a taste cluster of their
    /// own: 80 items, `i<2k>` and `i<2k+1>` in cluster `k mod 4`; user `u` watches 5 of the 10 even items of
    /// cluster `u mod 4` on a phone and 5 of the 10 odd items of cluster `(u / 4) mod 4` on a computer.
    static var csv: String {
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,DEVICE"]
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for user in 0..<200 {
            var even = Set<Int>()
            var odd = Set<Int>()
            while even.count < 5 { even.insert(2 * (4 * next(10) + user % 4)) }
            while odd.count < 5 { odd.insert(2 * (4 * next(10) + (user / 4) % 4) + 1) }
            for (index, pair) in zip(even.sorted(), odd.sorted()).enumerated() {
                let time = 1_700_000_000 + user * 100 + index * 2
                lines.append("u\(user),i\(pair.0),\(time),watch,mobile")
                lines.append("u\(user),i\(pair.1),\(time + 1),watch,desktop")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func open(recipe: String) async throws -> (EngineHarness, String) {
        let harness = try EngineHarness()
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: "tv")).datasetGroupArn ?? ""
        let schemaArn = try await engine.send(CreateSchemaRequest(name: "interactions", schema: schema)).schemaArn ?? ""
        let dataset =
            try await engine.send(
                CreateDatasetRequest(
                    name: "interactions", schemaArn: schemaArn, datasetGroupArn: group, datasetType: "Interactions")
            ).datasetArn ?? ""
        let file = try harness.directory.write("interactions.csv", csv)
        _ = try await engine.send(
            CreateDatasetImportJobRequest(
                jobName: "import", datasetArn: dataset, dataSource: DataSource(dataLocation: file.path)))
        await engine.waitForBackgroundJobs()
        let (version, status) = try await harness.train(group: group, name: "picks", recipe: recipe)
        #expect(status == "ACTIVE")
        return (harness, try await harness.campaignWithoutExploration("picks", version: version))
    }

    static func evenShare(_ items: [String]) -> Double {
        Double(items.filter { Int($0.dropFirst())! % 2 == 0 }.count) / Double(max(items.count, 1))
    }

    @Test func theContextWeighsUpWhatUsersDidInItAndStandsInForAMissingHistory() async throws {
        let (harness, campaign) = try await Self.open(recipe: "aws-user-personalization")
        let engine = harness.engine
        func recommend(_ user: String, _ device: String?) async throws -> [String] {
            try await engine.send(
                GetRecommendationsRequest(
                    campaignArn: campaign, userId: user, numResults: 5, context: device.map { ["DEVICE": $0] })
            ).itemList?.compactMap(\.itemId) ?? []
        }
        // A known user: more phone items on a phone than on a computer.
        var mobile = 0.0
        var desktop = 0.0
        for user in 0..<10 {
            mobile += Self.evenShare(try await recommend("u\(user)", "mobile"))
            desktop += Self.evenShare(try await recommend("u\(user)", "desktop"))
        }
        #expect(mobile > desktop + 3, "mobile \(mobile / 10) vs desktop \(desktop / 10)")
        // A new user: the context alone tells what they will like.
        #expect(Self.evenShare(try await recommend("newcomer", "mobile")) >= 0.8)
        #expect(Self.evenShare(try await recommend("newcomer", "desktop")) <= 0.2)

        // The guide's limits, and keys must be contextual fields of the interactions.
        for context in [["DEVICE TYPE": "x"], ["LOCATION": "home"], ["USER_ID": "u1"]] {
            await #expect {
                _ = try await engine.send(
                    GetRecommendationsRequest(campaignArn: campaign, userId: "u1", context: context))
            } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        }
    }

    @Test func personalizedRankingUsesTheContextToo() async throws {
        let (harness, campaign) = try await Self.open(recipe: "aws-personalized-ranking")
        // u3 watched even items of cluster 3 and odd ones of cluster 0: rank ten of each.
        let list = (0..<10).map { "i\(2 * (4 * $0 + 3))" } + (0..<10).map { "i\(2 * (4 * $0) + 1)" }
        func ranked(_ device: String) async throws -> [String] {
            try await harness.engine.send(
                GetPersonalizedRankingRequest(
                    campaignArn: campaign, inputList: list, userId: "u3", context: ["DEVICE": device])
            ).personalizedRanking?.compactMap(\.itemId) ?? []
        }
        let onPhone = try await ranked("mobile")
        let onComputer = try await ranked("desktop")
        #expect(Self.evenShare(Array(onPhone.prefix(5))) > Self.evenShare(Array(onComputer.prefix(5))) + 0.5)
    }
}
