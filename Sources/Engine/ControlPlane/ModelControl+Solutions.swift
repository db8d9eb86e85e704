import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import Recipes

extension ModelControl {
    func createSolution(_ request: CreateSolutionRequest) async throws -> CreateSolutionResponse {
        try validateName(request.name)
        if request.performAutoML == true {
            throw PersonalizeError.invalidInput(
                "performAutoML is not supported by the embedded engine; choose a recipe with recipeArn.")
        }
        guard let recipeArn = request.recipeArn else {
            throw PersonalizeError.invalidInput("recipeArn is required when performAutoML is false.")
        }
        let recipe = try BuiltInRecipe.named(arn: recipeArn)
        var config = request.solutionConfig ?? SolutionConfig()
        if let threshold = config.eventValueThreshold, Double(threshold) == nil {
            throw PersonalizeError.invalidInput("eventValueThreshold must be a number; got '\(threshold)'.")
        }
        _ = try HyperParameters.resolve(config.algorithmHyperParameters ?? [:], recipe: recipe)
        if request.performHPO == true {
            _ = try HyperParameterSearch(config.hpoConfig, recipe: recipe, seed: configuration.seed)
        }
        if let frequency = config.featureTransformationParameters?["trend_discovery_frequency"] {
            guard recipe.discoversTrends else {
                throw PersonalizeError.invalidInput(
                    "trend_discovery_frequency applies to aws-trending-now only, not \(recipe.name).")
            }
            guard TrendingModel.frequencies[frequency] != nil else {
                throw PersonalizeError.invalidInput(
                    "Invalid trend_discovery_frequency '\(frequency)'; use one of "
                        + TrendingModel.frequencies.sorted { $0.value < $1.value }.map { "'\($0.key)'" }
                        .joined(separator: ", ") + ".")
            }
        }
        try Self.checkTrainingDataConfig(config.trainingDataConfig)
        if let objective = config.optimizationObjective {
            try Self.checkObjective(objective, recipe: recipe)
        }
        let autoTraining = request.performAutoTraining ?? true
        if let expression = config.autoTrainingConfig?.schedulingExpression {
            try TrainingSchedule.validate(expression)
        }
        if autoTraining {
            let expression = config.autoTrainingConfig?.schedulingExpression ?? TrainingSchedule.defaultExpression
            config.autoTrainingConfig = AutoTrainingConfig(schedulingExpression: expression)
        }
        let arn = arn(.solution, request.name)
        let date = now
        let solution = Solution(
            name: request.name, solutionArn: arn, performHPO: request.performHPO ?? false, performAutoML: false,
            performAutoTraining: autoTraining, performIncrementalUpdate: request.performIncrementalUpdate,
            recipeArn: recipeArn, datasetGroupArn: request.datasetGroupArn, eventType: request.eventType,
            solutionConfig: config, status: Status.active, creationDateTime: date, lastUpdatedDateTime: date)
        let objectiveAttribute = config.optimizationObjective?.itemAttribute
        try await write { db in
            _ = try self.requireExists(db, request.datasetGroupArn, .datasetGroup)
            try self.checkQuota(.solutionsPerDatasetGroup, db, datasetGroupArn: request.datasetGroupArn)
            if let attribute = objectiveAttribute {
                try Self.checkObjectiveColumn(db, attribute, group: request.datasetGroupArn)
            }
            try Self.insertResource(
                db, arn: arn, kind: .solution, name: request.name, parent: request.datasetGroupArn,
                status: Status.active, at: date, body: solution, tags: request.tags)
        }
        return CreateSolutionResponse(solutionArn: arn)
    }

    func describeSolution(_ request: DescribeSolutionRequest) async throws -> DescribeSolutionResponse {
        let arn = request.solutionArn
        let solution = try await read { db in
            var solution = try ResourceStore.load(db, Solution.self, arn: arn, kind: .solution)
            if let latest = try ResourceStore.rows(db, kind: .solutionVersion, parent: arn).first {
                solution.latestSolutionVersion = SolutionVersionSummary(
                    try ResourceStore.decode(SolutionVersion.self, latest))
            }
            return solution
        }
        return DescribeSolutionResponse(solution: solution)
    }

    func deleteSolution(_ request: DeleteSolutionRequest) async throws -> EmptyResponse {
        let arn = request.solutionArn
        return try await deleteResource(arn, kind: .solution) { db, row in
            let campaigns = try ResourceStore.rows(db, kind: .campaign, parent: arn)
            if let campaign = campaigns.first {
                throw PersonalizeError.inUse("Cannot delete solution \(arn): campaign \(campaign.arn) uses it.")
            }
            let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: arn)
            if let running = versions.first(where: { Status.isTransient($0.status) }) {
                throw PersonalizeError.inUse(
                    "Cannot delete solution \(arn): solution version \(running.arn) is still training.")
            }
        }
    }

    private static func checkObjective(_ objective: OptimizationObjective, recipe: BuiltInRecipe) throws {
        guard recipe.takesOptimizationObjective else {
            throw PersonalizeError.invalidInput(
                "optimizationObjective applies to aws-user-personalization and aws-personalized-ranking only, "
                    + "not \(recipe).")
        }
        guard let attribute = objective.itemAttribute, (1...150).contains(attribute.count) else {
            throw PersonalizeError.invalidInput("optimizationObjective needs an itemAttribute of 1 to 150 characters.")
        }
        if let sensitivity = objective.objectiveSensitivity?.rawValue,
            ObjectiveBoost.weight(sensitivity: sensitivity) == nil
        {
            throw PersonalizeError.invalidInput(
                "Invalid objectiveSensitivity \(sensitivity); use OFF, LOW, MEDIUM or HIGH.")
        }
    }

    /// The objective's column: a numeric, non-nullable field of the group's Items dataset, as the guide requires.
    private static func checkObjectiveColumn(_ db: Database, _ attribute: String, group: String) throws {
        guard let items = try? DatasetTable.find(db, group: group, type: .items) else {
            throw PersonalizeError.invalidInput(
                "optimizationObjective.itemAttribute \(attribute) needs an Items dataset in \(group); create it first.")
        }
        guard let field = items.schema.field(attribute) else {
            throw PersonalizeError.invalidInput("The Items schema has no field \(attribute) for optimizationObjective.")
        }
        guard field.type.isNumeric, !field.nullable else {
            throw PersonalizeError.invalidInput(
                "optimizationObjective.itemAttribute \(attribute) must be a numeric field whose type does not include "
                    + "null; it is \(field.nullable ? "nullable " : "")\(field.type.rawValue).")
        }
    }

    /// The objective of `config` as a boost over `itemIDs` (their values of the Items column; 0 when absent),
    /// or nil without an objective or with sensitivity OFF. MEDIUM when the sensitivity is not given.
    static func objectiveBoost(
        _ db: Database, config: SolutionConfig?, group: String?, itemIDs: [String]
    ) throws -> ObjectiveBoost? {
        guard let objective = config?.optimizationObjective, let attribute = objective.itemAttribute,
            let weight = ObjectiveBoost.weight(sensitivity: objective.objectiveSensitivity?.rawValue ?? "MEDIUM"),
            weight > 0, let group, let items = try? DatasetTable.find(db, group: group, type: .items),
            items.schema.field(attribute)?.type.isNumeric == true
        else { return nil }
        var values: [String: Float] = [:]
        try items.forEachRecord(db, columns: ["ITEM_ID", attribute]) { row in
            let value: Double? = row[1]
            values[row[0]] = Float(value ?? 0)
        }
        return ObjectiveBoost(values: itemIDs.map { values[$0] ?? 0 }, weight: weight)
    }
}

extension ModelControl {
    /// Checks `trainingDataConfig.excludedDatasetColumns`: at most 3 dataset types (INTERACTIONS, ITEMS, USERS)
    /// of at most 50 columns each, and never the fields training needs (USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE).
    static func checkTrainingDataConfig(_ config: TrainingDataConfig?) throws {
        guard let excluded = config?.excludedDatasetColumns else { return }
        guard excluded.count <= 3, excluded.values.allSatisfy({ $0.count <= 50 }) else {
            throw PersonalizeError.invalidInput(
                "excludedDatasetColumns takes at most 3 dataset types of at most 50 columns each.")
        }
        for (type, columns) in excluded {
            guard ["INTERACTIONS", "ITEMS", "USERS"].contains(type.uppercased()) else {
                throw PersonalizeError.invalidInput(
                    "excludedDatasetColumns takes the dataset types INTERACTIONS, ITEMS and USERS, not \(type).")
            }
            if let required = columns.first(where: { ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"].contains($0) }) {
                throw PersonalizeError.invalidInput("\(required) cannot be excluded from training.")
            }
        }
    }
}
