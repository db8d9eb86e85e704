import Engine
import EngineAPI
import Foundation
import Logging

/// In-process runtime figures of a user-personalization campaign over a large catalogue (100,000 items by
/// default): GetRecommendations without and with filters, GetPersonalizedRanking, the PutEvents →
/// GetRecommendations round trip and batch inference throughput, each next to the reference of the model's
/// own scoring (`DeployedModel.recommend`, no engine around it) measured in the same run.
struct RuntimeBenchmark {
    var items = 100_000
    var users = 20_000
    var perUser = 25
    var calls = 300

    init(arguments: [String]) throws {
        var index = 0
        while index + 1 < arguments.count {
            let value = Int(arguments[index + 1]) ?? 0
            switch arguments[index] {
            case "--items": items = value
            case "--users": users = value
            case "--calls": calls = value
            default: throw BenchmarkError("unknown option \(arguments[index])")
            }
            index += 2
        }
        guard items >= 1000, users >= 100, calls >= 10 else { throw BenchmarkError("options too small") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tailor-runtime-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "tailor.benchmark")
        logger.logLevel = .error
        var configuration = EngineConfiguration(dataDirectory: folder.appendingPathComponent("data"))
        configuration.allowedPaths = [folder]  // the generated CSV files and the batch job's input and output
        let engine = try LocalEngine(configuration: configuration, logger: logger)
        let setup = ContinuousClock.now
        let (group, campaign, tracking) = try await prepare(engine, folder: folder)
        print(
            "setup: \(users) users × \(perUser) interactions over \(items) items, trained and deployed in "
                + String(format: "%.1f s", durationSeconds(ContinuousClock.now - setup)))

        // The campaign's candidate lists are computed in the background once it is deployed: wait for them.
        let listsStarted = ContinuousClock.now
        await engine.waitForBackgroundJobs()
        if let lists = engine.core.serving.candidateLists(for: campaign) {
            print(
                String(
                    format: "candidate lists: %d users × %d items, computed in %.1f s (%.1f s after setup), %.0f MB",
                    lists.userCount, lists.depth, durationSeconds(lists.duration),
                    durationSeconds(ContinuousClock.now - listsStarted), Double(lists.bytes) / 1e6))
        }
        var random = SystemRandomNumberGenerator()
        func user() -> String { "u\(Int.random(in: 0..<users, using: &random))" }
        let model = try await engine.core.serving.deployedModel(campaignArn: campaign)
        let reference = try await measure("reference: DeployedModel.recommend (25)") {
            _ = model.recommend(userID: user(), history: [], count: 25)
        }
        let plain = try await measure("GetRecommendations (25)") {
            _ = try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: user(), numResults: 25))
        }
        let clicked = try await filter(
            engine, group, "no-clicks", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#)
        let excluding = try await measure("GetRecommendations + EXCLUDE clicked (interactions)") {
            _ = try await engine.send(
                GetRecommendationsRequest(campaignArn: campaign, userId: user(), numResults: 25, filterArn: clicked))
        }
        let genre = try await filter(engine, group, "genre", "INCLUDE ItemID WHERE Items.GENRE IN ($G)")
        let including = try await measure("GetRecommendations + INCLUDE Items.GENRE IN ($G) (1 of 10 genres)") {
            _ = try await engine.send(
                GetRecommendationsRequest(
                    campaignArn: campaign, userId: user(), numResults: 25, filterArn: genre,
                    filterValues: ["G": #""g3""#]))
        }
        let hundred = try await measure("GetRecommendations (100)") {
            _ = try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: user(), numResults: 100))
        }
        var roundTrips = 0
        let roundTrip = try await measure("PutEvents → GetRecommendations round trip") {
            roundTrips += 1
            let id = "fresh\(roundTrips)"
            _ = try await engine.send(
                PutEventsRequest(
                    trackingId: tracking, userId: id, sessionId: id,
                    eventList: [Event(eventType: "click", itemId: "i\(roundTrips % items)", sentAt: Date())]))
            _ = try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: id, numResults: 25))
        }

        // The tail: users the campaign did not precompute (its lists forgotten), one request at a time, then 16 at
        // once (the requests that arrive together share passes over the item matrix).
        engine.core.serving.forgetCandidateLists(campaignArn: campaign)
        let unlisted = try await measure("GetRecommendations (25), not precomputed") {
            _ = try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: user(), numResults: 25))
        }
        let concurrentRequests = calls * 4
        let concurrentStarted = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<16 {
                group.addTask {
                    for call in stride(from: lane, to: concurrentRequests, by: 16) {
                        _ = try await engine.send(
                            GetRecommendationsRequest(
                                campaignArn: campaign, userId: "u\((call * 7919) % users)", numResults: 25))
                    }
                }
            }
            try await group.waitForAll()
        }
        let concurrentSeconds = durationSeconds(ContinuousClock.now - concurrentStarted)

        let batchUsers = 2000
        let input = folder.appendingPathComponent("batch/input.json")
        try FileManager.default.createDirectory(
            at: input.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (0..<batchUsers).map { #"{"userId": "u\#($0)"}"# }.joined(separator: "\n").write(
            to: input, atomically: true, encoding: .utf8)
        let version =
            try await engine.send(DescribeCampaignRequest(campaignArn: campaign)).campaign?
            .solutionVersionArn ?? ""
        let batchStarted = ContinuousClock.now
        _ = try await engine.send(
            CreateBatchInferenceJobRequest(
                jobName: "bench", solutionVersionArn: version,
                jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: input.path)),
                jobOutput: BatchInferenceJobOutput(
                    s3DataDestination: S3DataConfig(path: folder.appendingPathComponent("batch/out").path)),
                roleArn: "r"))
        await engine.waitForBackgroundJobs()
        let batchSeconds = durationSeconds(ContinuousClock.now - batchStarted)

        print("")
        print("in-process, \(calls) calls each, µs           p50        p99   p50 / reference")
        for row in [reference, plain, hundred, excluding, including, roundTrip, unlisted] {
            print(
                row.name.padding(toLength: 62, withPad: " ", startingAt: 0)
                    + String(format: "%9.0f  %9.0f  %8.2f×", row.p50, row.p99, row.p50 / reference.p50))
        }
        print(
            String(
                format: "not precomputed, 16 requests at a time: %d in %.2f s = %.0f requests/s (%.2f× one at a time)",
                concurrentRequests, concurrentSeconds, Double(concurrentRequests) / concurrentSeconds,
                Double(concurrentRequests) / concurrentSeconds / (1e6 / unlisted.p50)))
        if let counts = try? await engine.core.serving.deployedModel(campaignArn: campaign).batcher?.counts {
            print(
                String(
                    format: "  scoring passes: %d for %d users (%.2f users per pass)", counts.passes, counts.scored,
                    Double(counts.scored) / Double(max(counts.passes, 1))))
        }
        print(
            String(
                format: "batch inference: %d users in %.2f s = %.0f users/s", batchUsers, batchSeconds,
                Double(batchUsers) / batchSeconds))
        let usage = engine.core.serving.candidateListUsage
        print(
            "requests for precomputed users: \(usage.fresh) answered from their lists (\(usage.scored) of them needed "
                + "more and scored the catalogue), \(usage.stale) stale")
    }

    struct Row {
        let name: String
        let p50: Double
        let p99: Double
    }

    private func measure(_ name: String, _ body: () async throws -> Void) async throws -> Row {
        for _ in 0..<min(20, calls) { try await body() }  // warm-up
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        for _ in 0..<calls {
            let start = ContinuousClock.now
            try await body()
            samples.append(durationSeconds(ContinuousClock.now - start) * 1e6)
        }
        samples.sort()
        return Row(
            name: name, p50: samples[samples.count / 2],
            p99: samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))])
    }

    private func filter(_ engine: LocalEngine, _ group: String, _ name: String, _ expression: String) async throws
        -> String
    {
        let arn =
            try await engine.send(CreateFilterRequest(name: name, datasetGroupArn: group, filterExpression: expression))
            .filterArn ?? ""
        await engine.waitForBackgroundJobs()
        return arn
    }

    /// Generates and imports the data (interactions with a taste structure, items with 10 genres), trains
    /// user-personalization with 64 factors, deploys a campaign and creates an event tracker.
    private func prepare(_ engine: LocalEngine, folder: URL) async throws -> (String, String, String) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        var interactions = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n"
        interactions.reserveCapacity(users * perUser * 24)
        var time = 1_600_000_000
        for user in 0..<users {
            let taste = user % 10
            for _ in 0..<perUser {
                // Popular items are more likely (a power law), mostly from the user's taste.
                let rank = Int(Double(items / 10) * pow(Double.random(in: 0..<1, using: &generator), 3))
                let genre =
                    Int.random(in: 0..<10, using: &generator) < 8 ? taste : Int.random(in: 0..<10, using: &generator)
                time += 7
                interactions +=
                    "u\(user),i\(rank * 10 + genre),\(time),\(Bool.random(using: &generator) ? "click" : "view")\n"
            }
        }
        let interactionsFile = folder.appendingPathComponent("interactions.csv")
        try interactions.write(to: interactionsFile, atomically: true, encoding: .utf8)
        let itemsFile = folder.appendingPathComponent("items.csv")
        try ("ITEM_ID,GENRE\n" + (0..<items).map { "i\($0),g\($0 % 10)" }.joined(separator: "\n") + "\n").write(
            to: itemsFile, atomically: true, encoding: .utf8)

        let group = try await engine.send(CreateDatasetGroupRequest(name: "bench")).datasetGroupArn ?? ""
        func dataset(_ type: String, _ schema: String, _ file: URL) async throws {
            let schemaArn = try await engine.send(CreateSchemaRequest(name: type, schema: schema)).schemaArn ?? ""
            let arn =
                try await engine.send(
                    CreateDatasetRequest(name: type, schemaArn: schemaArn, datasetGroupArn: group, datasetType: type)
                ).datasetArn ?? ""
            let job =
                try await engine.send(
                    CreateDatasetImportJobRequest(
                        jobName: type, datasetArn: arn, dataSource: DataSource(dataLocation: file.path))
                ).datasetImportJobArn ?? ""
            await engine.waitForBackgroundJobs()
            let status = try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: job))
                .datasetImportJob
            guard status?.status == "ACTIVE" else { throw BenchmarkError("import: \(status?.failureReason ?? "")") }
        }
        try await dataset(
            "INTERACTIONS",
            #"{"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}]}"#,
            interactionsFile)
        try await dataset(
            "ITEMS",
            #"{"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "GENRE", "type": "string", "categorical": true}]}"#,
            itemsFile)
        let solution =
            try await engine.send(
                CreateSolutionRequest(
                    name: "bench", performAutoTraining: false, recipeArn: ARN.recipe("aws-user-personalization"),
                    datasetGroupArn: group,
                    solutionConfig: SolutionConfig(algorithmHyperParameters: ["hidden_dimension": "64"]))
            ).solutionArn ?? ""
        let version =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
        await engine.waitForBackgroundJobs()
        let campaign =
            try await engine.send(CreateCampaignRequest(name: "bench", solutionVersionArn: version)).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        let tracking =
            try await engine.send(CreateEventTrackerRequest(name: "bench", datasetGroupArn: group)).trackingId ?? ""
        return (group, campaign, tracking)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func durationSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
