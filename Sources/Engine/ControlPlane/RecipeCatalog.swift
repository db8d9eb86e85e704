public import EngineAPI
import Foundation

/// The built-in recipes of the developer guide.
package struct BuiltInRecipe: Sendable {
    package let name: String
    package let recipeType: String
    package let featureTransformation: String?
    package let summary: String
    /// Whether this engine can train it yet.
    package let trainable: Bool

    package var arn: String { ARN.recipe(name) }
    package var algorithmArn: String {
        name == "aws-trending-now"
            ? "arn:aws:personalize:::algorithm/aws-trending-now-custom"
            : "arn:aws:personalize:::algorithm/\(name)"
    }
}

package enum RecipeCatalog {
    package static let all: [BuiltInRecipe] = [
        .init(
            name: "aws-user-personalization-v2", recipeType: "USER_PERSONALIZATION", featureTransformation: nil,
            summary: "Recommends items a user will interact with, from their interaction history (explores itself).",
            trainable: true),
        .init(
            name: "aws-user-personalization", recipeType: "USER_PERSONALIZATION", featureTransformation: nil,
            summary: "Predicts the items a user is most likely to interact with (implicit matrix factorisation).",
            trainable: true),
        .init(
            name: "aws-trending-now", recipeType: "POPULAR_ITEMS", featureTransformation: nil,
            summary: "Recommends the items whose popularity grows fastest.", trainable: true),
        .init(
            name: "aws-popularity-count", recipeType: "USER_PERSONALIZATION",
            featureTransformation: "sims",
            summary: "Recommends the items with the most interactions from unique users.", trainable: true),
        .init(
            name: "aws-personalized-ranking-v2", recipeType: "PERSONALIZED_RANKING", featureTransformation: nil,
            summary: "Ranks a list of items for a user.", trainable: true),
        .init(
            name: "aws-personalized-ranking", recipeType: "PERSONALIZED_RANKING",
            featureTransformation: "JSON-percentile-filtering", summary: "Ranks a list of items for a user.",
            trainable: true),
        .init(
            name: "aws-similar-items", recipeType: "RELATED_ITEMS", featureTransformation: nil,
            summary: "Recommends items similar to a given item, from co-occurrence and metadata.",
            trainable: true),
        .init(
            name: "aws-sims", recipeType: "RELATED_ITEMS", featureTransformation: "sims",
            summary: "Recommends items that co-occur with a given item.", trainable: true),
        .init(
            name: "aws-next-best-action", recipeType: "PERSONALIZED_ACTIONS", featureTransformation: nil,
            summary: "Recommends the actions a user is most likely to take.", trainable: true),
        .init(
            name: "aws-item-affinity", recipeType: "USER_SEGMENTATION", featureTransformation: "item-affinity",
            summary: "Finds the users most likely to interact with each item.", trainable: true),
        .init(
            name: "aws-item-attribute-affinity", recipeType: "USER_SEGMENTATION",
            featureTransformation: "item-attribute-affinity",
            summary: "Finds the users most likely to interact with items of given attributes.", trainable: true),
    ]

    /// The recipe with ARN `arn`, or `ResourceNotFoundException`.
    package static func recipe(arn: String) throws -> BuiltInRecipe {
        guard let recipe = all.first(where: { $0.arn == arn }) else {
            throw PersonalizeError.notFound("Could not find recipe with ARN \(arn).")
        }
        return recipe
    }
}

extension LocalEngine {
    public nonisolated func listRecipes(_ request: ListRecipesRequest) throws -> ListRecipesResponse {
        if let provider = request.recipeProvider, provider != .service {
            throw PersonalizeError.invalidInput("Invalid recipeProvider \(provider); the only provider is SERVICE.")
        }
        let epoch = Date(timeIntervalSince1970: 1_543_622_400)
        let summaries = RecipeCatalog.all.map { recipe in
            RecipeSummary(
                name: recipe.name, recipeArn: recipe.arn, status: Status.active, creationDateTime: epoch,
                lastUpdatedDateTime: epoch)
        }
        let page = try Pagination.page(
            summaries, listing: "recipes", nextToken: request.nextToken, maxResults: request.maxResults)
        return ListRecipesResponse(recipes: page.page, nextToken: page.nextToken)
    }

    public nonisolated func describeRecipe(_ request: DescribeRecipeRequest) throws -> DescribeRecipeResponse {
        let recipe = try RecipeCatalog.recipe(arn: request.recipeArn)
        let epoch = Date(timeIntervalSince1970: 1_543_622_400)
        return DescribeRecipeResponse(
            recipe: Recipe(
                name: recipe.name, recipeArn: recipe.arn, algorithmArn: recipe.algorithmArn,
                featureTransformationArn: recipe.featureTransformation.map {
                    "arn:aws:personalize:::feature-transformation/\($0)"
                }, status: Status.active, description: recipe.summary, creationDateTime: epoch,
                recipeType: recipe.recipeType, lastUpdatedDateTime: epoch))
    }

    /// The algorithm behind a built-in recipe, with the guide's default hyperparameters and their ranges.
    public nonisolated func describeAlgorithm(_ request: DescribeAlgorithmRequest) throws -> DescribeAlgorithmResponse {
        guard let recipe = RecipeCatalog.all.first(where: { $0.algorithmArn == request.algorithmArn }) else {
            throw PersonalizeError.notFound("Could not find algorithm with ARN \(request.algorithmArn).")
        }
        let specs = HyperParameters.specs(for: recipe.name)
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
    public nonisolated func describeFeatureTransformation(_ request: DescribeFeatureTransformationRequest) throws
        -> DescribeFeatureTransformationResponse
    {
        let prefix = "arn:aws:personalize:::feature-transformation/"
        let arn = request.featureTransformationArn
        let name = arn.hasPrefix(prefix) ? String(arn.dropFirst(prefix.count)) : ""
        guard RecipeCatalog.all.contains(where: { $0.featureTransformation == name }) else {
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
