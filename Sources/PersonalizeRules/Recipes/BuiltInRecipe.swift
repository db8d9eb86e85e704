package import EngineAPI

/// The kinds of recipe the service names (`DescribeRecipe`'s `recipeType`): what a recipe's models serve.
package enum RecipeType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Items for a user (GetRecommendations with a `userId`).
    case userPersonalization = "USER_PERSONALIZATION"
    /// The same items for everyone (trending now).
    case popularItems = "POPULAR_ITEMS"
    /// A given list of items, re-ordered for a user (GetPersonalizedRanking).
    case personalizedRanking = "PERSONALIZED_RANKING"
    /// Items related to a given item (GetRecommendations with an `itemId`).
    case relatedItems = "RELATED_ITEMS"
    /// Actions for a user (GetActionRecommendations).
    case personalizedActions = "PERSONALIZED_ACTIONS"
    /// Users for items or item attributes (batch segment jobs only).
    case userSegmentation = "USER_SEGMENTATION"

    package var description: String { rawValue }
}

/// A built-in recipe of the developer guide, with what it can do: the one list both the engine (training,
/// serving, the control plane's checks) and the planner (manifests' `recipe` fields) read.
///
/// Its raw value is the recipe's name (`aws-user-personalization`), which is also how model files and
/// messages name it; the order of the cases is the order `ListRecipes` returns.
package enum BuiltInRecipe: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case userPersonalizationV2 = "aws-user-personalization-v2"
    case userPersonalization = "aws-user-personalization"
    case trendingNow = "aws-trending-now"
    case popularityCount = "aws-popularity-count"
    case personalizedRankingV2 = "aws-personalized-ranking-v2"
    case personalizedRanking = "aws-personalized-ranking"
    case similarItems = "aws-similar-items"
    case sims = "aws-sims"
    case nextBestAction = "aws-next-best-action"
    case itemAffinity = "aws-item-affinity"
    case itemAttributeAffinity = "aws-item-attribute-affinity"

    /// The prefix of built-in recipes' ARNs.
    package static let arnPrefix = "arn:aws:personalize:::recipe/"

    /// The recipe's name, as messages, model files and ARNs write it.
    package var name: String { rawValue }
    package var description: String { rawValue }

    /// The recipe with ARN `arn`, nil when no built-in recipe has it.
    package init?(arn: String) {
        guard arn.hasPrefix(Self.arnPrefix) else { return nil }
        self.init(rawValue: String(arn.dropFirst(Self.arnPrefix.count)))
    }

    /// The recipe with ARN `arn`.
    ///
    /// - Throws: `ResourceNotFoundException`, as `DescribeRecipe` and `CreateSolution` report it.
    package static func named(arn: String) throws -> BuiltInRecipe {
        guard let recipe = BuiltInRecipe(arn: arn) else {
            throw PersonalizeError.notFound("Could not find recipe with ARN \(arn).")
        }
        return recipe
    }

    /// The recipe's ARN.
    package var arn: String { ARN.recipe(rawValue) }

    /// The ARN of the algorithm behind the recipe.
    package var algorithmArn: String {
        self == .trendingNow
            ? "arn:aws:personalize:::algorithm/aws-trending-now-custom"
            : "arn:aws:personalize:::algorithm/\(rawValue)"
    }

    /// What the recipe's models serve.
    package var type: RecipeType {
        switch self {
        case .userPersonalizationV2, .userPersonalization, .popularityCount: .userPersonalization
        case .trendingNow: .popularItems
        case .personalizedRankingV2, .personalizedRanking: .personalizedRanking
        case .similarItems, .sims: .relatedItems
        case .nextBestAction: .personalizedActions
        case .itemAffinity, .itemAttributeAffinity: .userSegmentation
        }
    }

    /// The name of the recipe's feature transformation, if it has one.
    package var featureTransformation: String? {
        switch self {
        case .popularityCount, .sims: "sims"
        case .personalizedRanking: "JSON-percentile-filtering"
        case .itemAffinity: "item-affinity"
        case .itemAttributeAffinity: "item-attribute-affinity"
        case .userPersonalizationV2, .userPersonalization, .trendingNow, .personalizedRankingV2, .similarItems,
            .nextBestAction:
            nil
        }
    }

    /// One line on what the recipe does (`DescribeRecipe`'s `description`).
    package var summary: String {
        switch self {
        case .userPersonalizationV2:
            "Recommends items a user will interact with, from their interaction history (explores itself)."
        case .userPersonalization:
            "Predicts the items a user is most likely to interact with (implicit matrix factorisation)."
        case .trendingNow: "Recommends the items whose popularity grows fastest."
        case .popularityCount: "Recommends the items with the most interactions from unique users."
        case .personalizedRankingV2, .personalizedRanking: "Ranks a list of items for a user."
        case .similarItems: "Recommends items similar to a given item, from co-occurrence and metadata."
        case .sims: "Recommends items that co-occur with a given item."
        case .nextBestAction: "Recommends the actions a user is most likely to take."
        case .itemAffinity: "Finds the users most likely to interact with each item."
        case .itemAttributeAffinity: "Finds the users most likely to interact with items of given attributes."
        }
    }

    // MARK: Capabilities

    /// Whether the recipe's model is a user and item factor model, whose answers for a user follow that user's
    /// latest interactions (user-personalization, personalized-ranking and the affinity recipes; the v2
    /// recipes, a transformer in the service, train the same model here).
    package var isFactorModel: Bool {
        switch self {
        case .userPersonalization, .userPersonalizationV2, .personalizedRanking, .personalizedRankingV2,
            .itemAffinity, .itemAttributeAffinity:
            true
        case .trendingNow, .popularityCount, .similarItems, .sims, .nextBestAction: false
        }
    }

    /// Whether the recipe recommends items for a user with exploration of new items (user-personalization,
    /// both versions): such campaigns need a `userId` and keep precomputed answers for their active users.
    package var exploresItems: Bool { self == .userPersonalization || self == .userPersonalizationV2 }

    /// Whether the campaign's `itemExplorationConfig` sets the exploration (v1); v2 explores with the defaults.
    package var takesExplorationConfig: Bool { self == .userPersonalization }

    /// Whether the recipe uses contextual metadata (the guide's part 2 §14.8).
    package var usesContext: Bool {
        switch self {
        case .userPersonalization, .userPersonalizationV2, .personalizedRanking, .personalizedRankingV2: true
        default: false
        }
    }

    /// Whether related items also come from item metadata (similar-items), not from co-occurrence alone.
    package var usesItemMetadata: Bool { self == .similarItems }

    /// Whether recommendations include item metadata without the campaign asking (the v2 recipes, as the guide
    /// says).
    package var includesMetadataByDefault: Bool {
        self == .userPersonalizationV2 || self == .personalizedRankingV2
    }

    /// Whether a solution of the recipe takes an `optimizationObjective` (the guide's part 2 §10.6).
    package var takesOptimizationObjective: Bool { self == .userPersonalization || self == .personalizedRanking }

    /// Whether a solution of the recipe takes the `trend_discovery_frequency` feature transformation parameter.
    package var discoversTrends: Bool { self == .trendingNow }

    /// Whether batch inference jobs can use the recipe's solution versions (segmentation recipes use batch
    /// segment jobs; trending-now and next-best-action have no batch inference).
    package var supportsBatchInference: Bool {
        switch self {
        case .trendingNow, .nextBestAction, .itemAffinity, .itemAttributeAffinity: false
        default: true
        }
    }

    /// Whether `mode` can train a version of the recipe: `FULL` always; `UPDATE` only user-personalization (the
    /// guide); `AUTOTRAIN` is the scheduler's.
    package func supports(_ mode: TrainingMode) -> Bool {
        mode == .update ? self == .userPersonalization : true
    }

    /// The most queries one input file of a batch segment job may hold (the guide: 500 items for item-affinity,
    /// 10 attribute queries for item-attribute-affinity).
    package var maximumSegmentQueries: Int { self == .itemAffinity ? 500 : 10 }

    // MARK: Names as manifests write them

    /// Normalises what a manifest wrote: a built-in recipe's name (with or without `aws-`) or ARN, or the ARN
    /// of another recipe.
    ///
    /// - Returns: The canonical name of a built-in recipe, or the ARN of any other; nil when neither.
    package static func normalise(_ written: String) -> String? {
        if written.hasPrefix(arnPrefix) {
            return BuiltInRecipe(arn: written)?.rawValue
        }
        if written.hasPrefix("arn:") {
            return written.contains(":recipe/") ? written : nil
        }
        return (BuiltInRecipe(rawValue: written) ?? BuiltInRecipe(rawValue: "aws-" + written))?.rawValue
    }

    /// The recipe ARN the service takes for a normalised recipe (a built-in name, or an ARN).
    package static func arn(for normalised: String) -> String {
        normalised.hasPrefix("arn:") ? normalised : arnPrefix + normalised
    }
}
