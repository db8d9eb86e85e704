package import EngineAPI

/// A domain use case (the guide's part 1 §11), the recipe of a recommender: its domain, the custom recipe the
/// engine trains for it, the event type it trains on, and the event type whose items are removed from a user's
/// recommendations automatically. The one table the engine (CreateRecommender, serving) and the planner
/// (manifests' Recommender `recipe`) read.
package struct DomainUseCase: Sendable, Hashable {
    /// The use case's name (`aws-vod-top-picks`), the last part of its recipe ARN.
    package let name: String
    /// The domain its dataset group must have.
    package let domain: Domain
    /// The custom recipe the engine trains for it.
    package let recipe: BuiltInRecipe
    /// The event type it trains on (nil: every event type).
    package let eventType: String?
    /// The event type whose items a user has interacted with are left out of their recommendations.
    package let alreadyConsumed: String?
    /// What the use case recommends, as `DescribeRecipe` describes it.
    package let summary: String

    package static let all: [DomainUseCase] = [
        .init(
            "aws-vod-because-you-watched-x", .videoOnDemand, .sims, "Watch", "Watch",
            "Because you watched X: videos similar to a video the user watched."),
        .init(
            "aws-vod-more-like-x", .videoOnDemand, .similarItems, nil, "Watch",
            "More like X: videos similar to a given video."),
        .init(
            "aws-vod-most-popular", .videoOnDemand, .popularityCount, "Watch", nil,
            "Most popular: the most watched videos."),
        .init(
            "aws-vod-trending-now", .videoOnDemand, .trendingNow, nil, nil,
            "Trending now: the videos gaining popularity fastest."),
        .init(
            "aws-vod-top-picks", .videoOnDemand, .userPersonalization, nil, "Watch",
            "Top picks for you: the videos a user is most likely to watch."),
        .init(
            "aws-ecomm-popular-items-by-views", .ecommerce, .popularityCount, "View", nil,
            "Most viewed: the items viewed most."),
        .init(
            "aws-ecomm-popular-items-by-purchases", .ecommerce, .popularityCount, "Purchase", nil,
            "Best sellers: the items purchased most."),
        .init(
            "aws-ecomm-frequently-bought-together", .ecommerce, .sims, "Purchase", nil,
            "Frequently bought together: items bought together with a given item."),
        .init(
            "aws-ecomm-customers-who-viewed-x-also-viewed", .ecommerce, .sims, "View", "Purchase",
            "Customers who viewed X also viewed: items viewed by the users who viewed a given item."),
        .init(
            "aws-ecomm-recommended-for-you", .ecommerce, .userPersonalization, nil, "Purchase",
            "Recommended for you: the items a user is most likely to interact with."),
    ]

    private init(
        _ name: String, _ domain: Domain, _ recipe: BuiltInRecipe, _ eventType: String?, _ alreadyConsumed: String?,
        _ summary: String
    ) {
        self.name = name
        self.summary = summary
        self.domain = domain
        self.recipe = recipe
        self.eventType = eventType
        self.alreadyConsumed = alreadyConsumed
    }

    /// The use case's recipe ARN.
    package var recipeArn: String { ARN.recipe(name) }

    /// Whether the use case needs an Items dataset in its group (the guide: "More like X").
    package var needsItems: Bool { name == "aws-vod-more-like-x" }

    /// The use case with recipe ARN `recipeArn`.
    ///
    /// - Throws: `InvalidInputException` listing the use cases, as CreateRecommender reports it.
    package static func find(_ recipeArn: String) throws -> DomainUseCase {
        guard let useCase = all.first(where: { $0.recipeArn == recipeArn }) else {
            throw PersonalizeError.invalidInput(
                "\(recipeArn) is not a domain use case; use one of " + all.map(\.name).joined(separator: ", ") + ".")
        }
        return useCase
    }

    /// The use case names.
    package static var names: [String] { all.map(\.name) }

    /// Normalises what a manifest wrote: a use case's name (with or without `aws-`) or its recipe ARN.
    ///
    /// - Returns: The use case's name; nil when it is not one.
    package static func normalise(_ written: String) -> String? {
        let prefix = BuiltInRecipe.arnPrefix
        let name = written.hasPrefix(prefix) ? String(written.dropFirst(prefix.count)) : written
        if names.contains(name) { return name }
        if !written.hasPrefix(prefix), names.contains("aws-" + name) { return "aws-" + name }
        return nil
    }

    /// The use case named `name`, nil when there is none.
    package static func named(_ name: String) -> DomainUseCase? {
        all.first { $0.name == name }
    }
}
