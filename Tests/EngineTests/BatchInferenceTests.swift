import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Batch inference jobs (the guide's part 2 §15): JSON Lines in, `<input>.out` JSON Lines out, per recipe type.
@Suite struct BatchInferenceTests {
    let data = SyntheticData(users: 200, items: 200, clusters: 4)

    /// Runs a batch job of `version` over `lines` and returns its final status and its output lines, parsed.
    private func run(
        _ harness: EngineHarness, version: String, lines: [String], name: String, filterArn: String? = nil,
        numResults: Int? = nil
    ) async throws -> (String?, [[String: Any]]) {
        let engine = harness.engine
        return try await harness.runBatchJob(input: "batch-\(name)/input.json", lines: lines) { input, output in
            try await engine.send(
                CreateBatchInferenceJobRequest(
                    jobName: name, solutionVersionArn: version, filterArn: filterArn, numResults: numResults,
                    jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: input)),
                    jobOutput: BatchInferenceJobOutput(s3DataDestination: S3DataConfig(path: output)),
                    roleArn: "arn:aws:iam::0:role/r")
            ).batchInferenceJobArn ?? ""
        } status: { arn in
            try await engine.send(DescribeBatchInferenceJobRequest(batchInferenceJobArn: arn)).batchInferenceJob?.status
        }
    }

    private func recommended(_ line: [String: Any]) -> [String] {
        (line["output"] as? [String: Any])?["recommendedItems"] as? [String] ?? []
    }

    @Test func userPersonalizationLinesMatchRealTimeAndBadLinesBecomeErrors() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (version, _) = try await harness.train(
            group: group, name: "up", recipe: "aws-user-personalization", hyperParameters: ["hidden_dimension": "32"])
        let lines = [#"{"userId": "u1"}"#, #"{"userId": "u2"}"#, "not json", #"{"itemId": "i1"}"#]
        let (status, output) = try await run(harness, version: version, lines: lines, name: "up")
        #expect(status == "ACTIVE")
        #expect(output.count == 4, "one output line per input line")
        #expect(recommended(output[0]).count == 25, "numResults defaults to 25")
        let scores = (output[0]["output"] as? [String: Any])?["scores"] as? [Double] ?? []
        #expect(scores.count == 25 && zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 })
        #expect((output[2]["error"] as? String)?.contains("not a JSON object") == true)
        #expect((output[3]["error"] as? String)?.contains("userId is required") == true)

        // The same model in a campaign that does not explore answers the same for the same user.
        let engine = harness.engine
        let campaign = try await harness.campaignWithoutExploration("c", version: version)
        let live =
            try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u1", numResults: 25))
            .itemList?.compactMap(\.itemId) ?? []
        #expect(recommended(output[0]) == live)
        #expect(recommended(output[0]) != recommended(output[1]))
    }

    /// Users are scored together in blocks (one pass over the item matrix for many users): every line still gets
    /// exactly the items and scores a campaign answers that user with, scoring the whole catalogue.
    @Test func blockScoredLinesEqualRealTimeForEveryUser() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (version, _) = try await harness.train(group: group, name: "up", recipe: "aws-user-personalization")
        let users = (0..<data.users).map { "u\($0)" } + ["nobody"]
        let (status, output) = try await run(
            harness, version: version, lines: users.map { #"{"userId": "\#($0)"}"# }, name: "up")
        #expect(status == "ACTIVE")
        let engine = harness.engine
        let campaign = try await harness.campaignWithoutExploration("c", version: version)
        engine.core.serving.forgetCandidateLists(campaignArn: campaign)
        for (user, line) in zip(users, output) {
            let live =
                try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: user, numResults: 25))
                .itemList ?? []
            #expect(recommended(line) == live.compactMap(\.itemId), "\(user)")
            let scores = (line["output"] as? [String: Any])?["scores"] as? [Double] ?? []
            // The engine's scores are Floats; the JSON lines' numbers give them back exactly as Floats.
            #expect(scores.map(Float.init) == live.compactMap(\.score).map(Float.init), "\(user)")
        }
    }

    @Test func relatedItemsAndRankingJobs() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (sims, _) = try await harness.train(group: group, name: "sims", recipe: "aws-sims")
        let (related, relatedLines) = try await run(
            harness, version: sims, lines: [#"{"itemId": "i5"}"#, #"{"itemId": "i6"}"#], name: "sims", numResults: 10)
        #expect(related == "ACTIVE")
        #expect(recommended(relatedLines[0]).count == 10)
        #expect(recommended(relatedLines[0]).filter { (Int($0.dropFirst()) ?? 0) % 4 == 1 }.count >= 8)
        #expect((relatedLines[0]["output"] as? [String: Any])?["scores"] == nil, "related items carry no scores")

        let (ranking, _) = try await harness.train(
            group: group, name: "rank", recipe: "aws-personalized-ranking", hyperParameters: ["hidden_dimension": "32"])
        let (ranked, rankedLines) = try await run(
            harness, version: ranking, lines: [#"{"userId": "u1", "itemList": ["i0", "i1", "i2", "i3", "i5"]}"#],
            name: "rank")
        #expect(ranked == "ACTIVE")
        #expect(Set(recommended(rankedLines[0])) == ["i0", "i1", "i2", "i3", "i5"])
        let scores = (rankedLines[0]["output"] as? [String: Any])?["scores"] as? [Double] ?? []
        #expect(abs(scores.reduce(0, +) - 1) < 1e-4, "ranking scores sum to 1 over the list: \(scores)")
    }

    @Test func filtersTakeEachLinesFilterValues() async throws {
        let shop = try await FilterShop.open()
        let version =
            try await shop.harness.engine.send(ListSolutionVersionsRequest()).solutionVersions?.first?
            .solutionVersionArn ?? ""
        let genre = try await shop.filter("genre", "INCLUDE ItemID WHERE Items.GENRE IN ($G)")
        let lines = [
            #"{"userId": "u1", "filterValues": {"G": "\"comedy\""}}"#,
            #"{"userId": "u1", "filterValues": {"G": "\"horror\""}}"#,
        ]
        let (status, output) = try await run(
            shop.harness, version: version, lines: lines, name: "filtered", filterArn: genre, numResults: 5)
        #expect(status == "ACTIVE")
        let comedies = recommended(output[0]).map { FilterShop.genre(Int($0.dropFirst()) ?? 0) }
        let horrors = recommended(output[1]).map { FilterShop.genre(Int($0.dropFirst()) ?? 0) }
        #expect(comedies.count == 5 && comedies.allSatisfy { $0.hasPrefix("comedy") }, "\(comedies)")
        #expect(horrors.count == 5 && horrors.allSatisfy { $0.hasPrefix("horror") }, "\(horrors)")
    }

    @Test func jobsAreRefusedWhereTheGuideRefusesThem() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (version, _) = try await harness.train(group: group, name: "pop", recipe: "aws-popularity-count")
        let engine = harness.engine
        let outputFolder = harness.directory.url.appendingPathComponent("batch-out").path
        func create(_ version: String, input: String, output: String? = nil) async throws {
            _ = try await engine.send(
                CreateBatchInferenceJobRequest(
                    jobName: "j", solutionVersionArn: version,
                    jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: input)),
                    jobOutput: BatchInferenceJobOutput(
                        s3DataDestination: S3DataConfig(path: output ?? outputFolder)), roleArn: "r"))
        }
        let input = try harness.directory.write("in.json", #"{"userId": "u1"}"# + "\n")
        await #expect { try await create(version, input: "s3://bucket/in.json") } throws: {
            ($0 as? PersonalizeError)?.message.contains("no S3 store") == true
        }
        let (trending, _) = try await harness.train(group: group, name: "trend", recipe: "aws-trending-now")
        await #expect { try await create(trending, input: input.path) } throws: {
            ($0 as? PersonalizeError)?.message.contains("not available for aws-trending-now") == true
        }
        await #expect { try await create(version + "-nope", input: input.path) } throws: {
            ($0 as? PersonalizeError)?.code == .resourceNotFoundException
        }
        let listed = try await engine.send(ListBatchInferenceJobsRequest()).batchInferenceJobs ?? []
        #expect(listed.isEmpty)
    }
}
