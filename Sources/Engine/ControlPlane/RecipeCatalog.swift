import EngineAPI
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
            summary: "Recommends items a user will interact with, from their interaction history.", trainable: false),
        .init(
            name: "aws-user-personalization", recipeType: "USER_PERSONALIZATION", featureTransformation: nil,
            summary: "Predicts the items a user is most likely to interact with (implicit matrix factorisation).",
            trainable: true),
        .init(
            name: "aws-trending-now", recipeType: "POPULAR_ITEMS", featureTransformation: nil,
            summary: "Recommends the items whose popularity grows fastest.", trainable: false),
        .init(
            name: "aws-popularity-count", recipeType: "USER_PERSONALIZATION",
            featureTransformation: "sims",
            summary: "Recommends the items with the most interactions from unique users.", trainable: true),
        .init(
            name: "aws-personalized-ranking-v2", recipeType: "PERSONALIZED_RANKING", featureTransformation: nil,
            summary: "Ranks a list of items for a user.", trainable: false),
        .init(
            name: "aws-personalized-ranking", recipeType: "PERSONALIZED_RANKING",
            featureTransformation: "JSON-percentile-filtering", summary: "Ranks a list of items for a user.",
            trainable: false),
        .init(
            name: "aws-similar-items", recipeType: "RELATED_ITEMS", featureTransformation: nil,
            summary: "Recommends items similar to a given item, from co-occurrence and metadata.",
            trainable: false),
        .init(
            name: "aws-sims", recipeType: "RELATED_ITEMS", featureTransformation: "sims",
            summary: "Recommends items that co-occur with a given item.", trainable: false),
        .init(
            name: "aws-next-best-action", recipeType: "PERSONALIZED_ACTIONS", featureTransformation: nil,
            summary: "Recommends the actions a user is most likely to take.", trainable: false),
        .init(
            name: "aws-item-affinity", recipeType: "USER_SEGMENTATION", featureTransformation: "item-affinity",
            summary: "Finds the users most likely to interact with each item.", trainable: false),
        .init(
            name: "aws-item-attribute-affinity", recipeType: "USER_SEGMENTATION",
            featureTransformation: "item-attribute-affinity",
            summary: "Finds the users most likely to interact with items of given attributes.", trainable: false),
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
    nonisolated func listRecipes(_ request: ListRecipesRequest) throws -> ListRecipesResponse {
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

    nonisolated func describeRecipe(_ request: DescribeRecipeRequest) throws -> DescribeRecipeResponse {
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
}
