import EngineAPI
import Foundation
import PersonalizeRules

extension ModelControl {
    /// The custom recipes and the domain use cases (`domain` set), or only `request.domain`'s use cases: "If you
    /// don't specify a domain, all recipes are returned" (API reference, ListRecipes).
    func listRecipes(_ request: ListRecipesRequest) async throws -> ListRecipesResponse {
        if let provider = request.recipeProvider, provider != .service {
            throw PersonalizeError.invalidInput("Invalid recipeProvider \(provider); the only provider is SERVICE.")
        }
        let custom = BuiltInRecipe.allCases.map { recipe in
            RecipeSummary(
                name: recipe.name, recipeArn: recipe.arn, status: Status.active, creationDateTime: Self.recipeEpoch,
                lastUpdatedDateTime: Self.recipeEpoch)
        }
        let useCases = DomainUseCase.all.filter { request.domain == nil || $0.domain == request.domain }.map {
            RecipeSummary(
                name: $0.name, recipeArn: $0.recipeArn, status: Status.active, creationDateTime: Self.recipeEpoch,
                lastUpdatedDateTime: Self.recipeEpoch, domain: $0.domain)
        }
        let page = try Pagination.page(
            (request.domain == nil ? custom : []) + useCases, listing: "recipes", nextToken: request.nextToken,
            maxResults: request.maxResults)
        return ListRecipesResponse(recipes: page.page, nextToken: page.nextToken)
    }

    /// A custom recipe, or a domain use case (the recipe of a recommender), described with the algorithm, feature
    /// transformation and type of the recipe the engine trains for it.
    func describeRecipe(_ request: DescribeRecipeRequest) async throws -> DescribeRecipeResponse {
        let useCase = DomainUseCase.all.first { $0.recipeArn == request.recipeArn }
        let recipe = try useCase?.recipe ?? BuiltInRecipe.named(arn: request.recipeArn)
        return DescribeRecipeResponse(
            recipe: Recipe(
                name: useCase?.name ?? recipe.name, recipeArn: useCase?.recipeArn ?? recipe.arn,
                algorithmArn: recipe.algorithmArn,
                featureTransformationArn: recipe.featureTransformation.map {
                    "arn:aws:personalize:::feature-transformation/\($0)"
                }, status: Status.active, description: useCase?.summary ?? recipe.summary,
                creationDateTime: Self.recipeEpoch, recipeType: recipe.type.rawValue,
                lastUpdatedDateTime: Self.recipeEpoch))
    }

    /// When the built-in recipes were created, as Describe and List report it (2018-12-01).
    private static let recipeEpoch = Date(timeIntervalSince1970: 1_543_622_400)

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
