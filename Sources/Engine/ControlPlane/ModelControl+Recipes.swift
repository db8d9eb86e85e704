import EngineAPI
import Foundation
import PersonalizeRules

extension ModelControl {
    func listRecipes(_ request: ListRecipesRequest) async throws -> ListRecipesResponse {
        if let provider = request.recipeProvider, provider != .service {
            throw PersonalizeError.invalidInput("Invalid recipeProvider \(provider); the only provider is SERVICE.")
        }
        let epoch = Date(timeIntervalSince1970: 1_543_622_400)
        let summaries = BuiltInRecipe.allCases.map { recipe in
            RecipeSummary(
                name: recipe.name, recipeArn: recipe.arn, status: Status.active, creationDateTime: epoch,
                lastUpdatedDateTime: epoch)
        }
        let page = try Pagination.page(
            summaries, listing: "recipes", nextToken: request.nextToken, maxResults: request.maxResults)
        return ListRecipesResponse(recipes: page.page, nextToken: page.nextToken)
    }

    func describeRecipe(_ request: DescribeRecipeRequest) async throws -> DescribeRecipeResponse {
        let recipe = try BuiltInRecipe.named(arn: request.recipeArn)
        let epoch = Date(timeIntervalSince1970: 1_543_622_400)
        return DescribeRecipeResponse(
            recipe: Recipe(
                name: recipe.name, recipeArn: recipe.arn, algorithmArn: recipe.algorithmArn,
                featureTransformationArn: recipe.featureTransformation.map {
                    "arn:aws:personalize:::feature-transformation/\($0)"
                }, status: Status.active, description: recipe.summary, creationDateTime: epoch,
                recipeType: recipe.type.rawValue, lastUpdatedDateTime: epoch))
    }

    /// The algorithm behind a built-in recipe, with the guide's default hyperparameters and their ranges.
    func describeAlgorithm(_ request: DescribeAlgorithmRequest) async throws -> DescribeAlgorithmResponse {
        guard let recipe = BuiltInRecipe.allCases.first(where: { $0.algorithmArn == request.algorithmArn }) else {
            throw PersonalizeError.notFound("Could not find algorithm with ARN \(request.algorithmArn).")
        }
        let specs = HyperParameters.specs(for: recipe)
        var integers: [DefaultIntegerHyperParameterRange] = []
        var continuous: [DefaultContinuousHyperParameterRange] = []
        var categorical: [DefaultCategoricalHyperParameterRange] = []
        for spec in specs {
            switch spec.kind {
            case .integer(let range):
                integers.append(
                    .init(
                        name: spec.name, minValue: range.lowerBound, maxValue: range.upperBound, isTunable: spec.tunable
                    ))
            case .continuous(let range):
                continuous.append(
                    .init(
                        name: spec.name, minValue: range.lowerBound, maxValue: range.upperBound, isTunable: spec.tunable
                    ))
            case .boolean:
                categorical.append(.init(name: spec.name, values: ["true", "false"], isTunable: spec.tunable))
            }
        }
        let algorithmName = String(recipe.algorithmArn.split(separator: "/").last ?? "")
        let epoch = Date(timeIntervalSince1970: 1_543_622_400)
        return DescribeAlgorithmResponse(
            algorithm: Algorithm(
                name: algorithmName, algorithmArn: recipe.algorithmArn,
                algorithmImage: AlgorithmImage(name: algorithmName, dockerURI: "tailor.local/recipes/\(algorithmName)"),
                defaultHyperParameters: Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.defaultValue) }),
                defaultHyperParameterRanges: DefaultHyperParameterRanges(
                    integerHyperParameterRanges: integers, continuousHyperParameterRanges: continuous,
                    categoricalHyperParameterRanges: categorical),
                defaultResourceConfig: ["maxNumberOfTrainingJobs": "20", "maxParallelTrainingJobs": "5"],
                trainingInputMode: "File", creationDateTime: epoch, lastUpdatedDateTime: epoch))
    }

    /// A built-in feature transformation and its default parameters (the featurization hyperparameters of
    /// the recipes that use it).
    func describeFeatureTransformation(_ request: DescribeFeatureTransformationRequest) async throws
        -> DescribeFeatureTransformationResponse
    {
        let prefix = "arn:aws:personalize:::feature-transformation/"
        let arn = request.featureTransformationArn
        let name = arn.hasPrefix(prefix) ? String(arn.dropFirst(prefix.count)) : ""
        guard BuiltInRecipe.allCases.contains(where: { $0.featureTransformation == name }) else {
            throw PersonalizeError.notFound("Could not find feature transformation with ARN \(arn).")
        }
        let parameters: [String: String] =
            switch name {
            case "sims":
                [
                    "min_user_history_length_percentile": "0.005", "max_user_history_length_percentile": "0.995",
                    "min_item_interaction_count_percentile": "0.01", "max_item_interaction_count_percentile": "0.9",
                ]
            case "JSON-percentile-filtering":
                ["min_user_history_length_percentile": "0.0", "max_user_history_length_percentile": "0.99"]
            default: [:]
            }
        let epoch = Date(timeIntervalSince1970: 1_543_622_400)
        return DescribeFeatureTransformationResponse(
            featureTransformation: FeatureTransformation(
                name: name, featureTransformationArn: arn, defaultParameters: parameters, creationDateTime: epoch,
                lastUpdatedDateTime: epoch, status: Status.active))
    }
}
