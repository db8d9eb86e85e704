import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension BatchJobs {
    /// The recipe of an ACTIVE solution version a batch job of `kind` is to use, once the pending-job quota
    /// allows another.
    static func batchRecipe(_ db: Database, _ versionArn: String, kind: ResourceType, limit: Int) throws
        -> BuiltInRecipe
    {
        let version = try ResourceStore.load(db, SolutionVersion.self, arn: versionArn, kind: .solutionVersion)
        guard version.status == Status.active else {
            throw PersonalizeError.inUse(
                "Solution version \(versionArn) is \(version.status ?? "not active"); a \(kind.displayName) needs "
                    + "an ACTIVE one.")
        }
        let running = try ResourceStore.rows(db, kind: kind).filter {
            $0.status == Status.Batch.pending || $0.status == Status.Batch.inProgress
        }
        if running.count >= limit {
            throw PersonalizeError.limitExceeded("More than \(limit) resources with PENDING or IN_PROGRESS status.")
        }
        return try BuiltInRecipe.named(arn: version.recipeArn ?? "")
    }

    struct BatchPlan: Sendable {
        let arn: String
        let versionArn: String
        let filterArn: String?
        let count: Int
        let inputs: UserDataInput
        let output: UserDataFolder
        /// `batchInferenceJobConfig.itemExplorationConfig` for recipes that explore (v2 always does).
        var exploration: ExplorationSettings? = nil
    }

    func runBatchInference(_ plan: BatchPlan) async {
        await runningJob(BatchInferenceJob.self, plan.arn, kind: .batchInferenceJob) {
            try await setJobStatus(BatchInferenceJob.self, plan.arn, kind: .batchInferenceJob, Status.Batch.inProgress)
            let model = try await serving.loadModel(plan.versionArn)
            let staged = try await userData.stage(plan.inputs)
            defer { staged.remove() }
            var lines = 0
            for input in staged.files {
                let text = try BatchInput.text(of: input)
                var out = ""
                let inputLines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
                for start in stride(from: 0, to: inputLines.count, by: Self.batchScoringLines) {
                    let chunk = inputLines[start..<min(inputLines.count, start + Self.batchScoringLines)].map(
                        String.init)
                    let scorings = try await batchScorings(chunk, model: model)
                    for line in chunk {
                        lines += 1
                        out += try await batchLine(line, number: lines, model: model, plan: plan, scorings: scorings)
                        out += "\n"
                    }
                }
                try plan.output.write(input.name + ".out") { try $0.write(out) }
            }
            try await plan.output.publish()
            logger.info("batch inference wrote \(lines) lines", metadata: ["job": "\(plan.arn)"])
            try await setJobStatus(BatchInferenceJob.self, plan.arn, kind: .batchInferenceJob, Status.active)
        }
    }

    /// One output line for one input line: `{"input": ..., "output": {"recommendedItems": [...], "scores":
    /// [...]}}`, or `{"input": ..., "error": "..."}` for a line that cannot be answered (the job goes on).
    private func batchLine(
        _ line: String, number: Int, model: DeployedModel, plan: BatchPlan, scorings: [String: UserScoring]
    ) async throws -> String {
        let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8))
        guard let input = parsed as? [String: Any] else {
            // The line itself is not echoed: what cannot be read is not repeated into the output.
            return BatchInput.json(["error": "Line \(number) is not a JSON object."])
        }
        do {
            let items = try await batchItems(input, model: model, plan: plan, scorings: scorings)
            var output: [String: Any] = ["recommendedItems": items.compactMap(\.itemId)]
            let scores = items.compactMap(\.score)
            if !scores.isEmpty, scores.count == items.count { output["scores"] = scores }
            return BatchInput.json(["input": input, "output": output])
        } catch let error as PersonalizeError where error.code == .invalidInputException {
            return BatchInput.json(["input": input, "error": error.message])
        }
    }

    private func batchItems(
        _ input: [String: Any], model: DeployedModel, plan: BatchPlan, scorings: [String: UserScoring]
    ) async throws -> [PredictedItem] {
        let userID = input["userId"] as? String
        let itemID = input["itemId"] as? String
        let values = (input["filterValues"] as? [String: Any])?.compactMapValues { $0 as? String }
        let recommend: @Sendable (Int) -> [PredictedItem]
        var explore: (@Sendable (Int, ExcludedItems) -> [PredictedItem])?
        switch model.recipeType {
        case .relatedItems:
            guard let itemID else { throw PersonalizeError.invalidInput("itemId is required for a RELATED_ITEMS job.") }
            let metadata = model.recipe.usesItemMetadata ? try await serving.metadataIndex(for: model) : nil
            recommend = { model.related(to: itemID, count: $0, metadata: metadata) }
        case .personalizedRanking:
            guard let userID, let list = input["itemList"] as? [String], !list.isEmpty else {
                throw PersonalizeError.invalidInput("userId and a non-empty itemList are required for ranking.")
            }
            guard list.count <= RealTimeServing.maximumRankedItems else {
                throw PersonalizeError.invalidInput("itemList holds \(list.count) items; at most 500 are ranked.")
            }
            let history = try await serving.recentItems(of: userID, for: model)
            let ranked = model.rank(userID: userID, history: history, items: list)
            recommend = { _ in ranked }
        default:
            guard let userID else {
                throw PersonalizeError.invalidInput("userId is required for a USER_PERSONALIZATION job.")
            }
            let scoring: UserScoring
            if let scored = scorings[userID] {
                scoring = scored
            } else {
                scoring = model.scoring(userID: userID, history: try await serving.recentItems(of: userID, for: model))
            }
            recommend = { scoring.top($0) }
            if let settings = plan.exploration, settings.slots(of: plan.count) > 0 {
                let pool = try await serving.explorationPool(for: model, settings: settings)
                explore = { count, excluded in
                    scoring.explore(count, pool: pool, weight: settings.weight, excluding: excluded)
                }
            }
        }
        let request = GetRecommendationsRequest(
            itemId: itemID, userId: userID, filterArn: plan.filterArn, filterValues: values)
        var items: [PredictedItem]
        if let filterArn = plan.filterArn {
            let count = model.recipeType == .personalizedRanking ? recommend(0).count : plan.count
            items = try await realTimeServing.filteredRecommendations(
                request, filterArn: filterArn, model: model, count: count, candidates: recommend)
        } else {
            items = model.recipeType == .personalizedRanking ? recommend(0) : recommend(plan.count)
        }
        if let explore, let settings = plan.exploration {
            items = try await realTimeServing.exploring(
                items, request: request, model: model, count: plan.count, slots: settings.slots(of: plan.count),
                excluding: [], candidates: explore)
        }
        return items
    }
}

/// The JSON Lines input of a batch job: a file, or every `.json`/`.jsonl` file of a folder (at most 1,000 files,
/// 1 GB in all, as the guide's quotas say).
enum BatchInput {
    static let maximumFiles = 1000
    static let maximumTotalBytes: Int64 = 1 << 30

    static func files(_ path: String, store: UserDataStore) throws -> UserDataInput {
        try store.inputs(
            at: path, invalid: "Invalid input path.", selection: .jsonLinesFiles, maximumBytes: maximumTotalBytes,
            maximumFiles: maximumFiles)
    }

    /// The text of an input file.
    ///
    /// - Throws: `InvalidInputException` when it cannot be read or is not UTF-8.
    static func text(of file: UserDataFile) throws -> String {
        guard let text = String(validating: try file.contents(limit: maximumTotalBytes), as: UTF8.self) else {
            throw PersonalizeError.invalidInput(
                "Cannot read \(ErrorText.bounded(file.name, limit: 256)) as UTF-8 text.")
        }
        return text
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return #"{"error": "unencodable line"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}
