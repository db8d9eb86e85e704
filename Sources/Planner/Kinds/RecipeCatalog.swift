/// The service's custom-solution recipes, so manifests can name them briefly and typos fail locally.
enum RecipeCatalog {
    /// Built-in recipe names usable in a Solution.
    static let names: [String] = [
        "aws-user-personalization",
        "aws-user-personalization-v2",
        "aws-popularity-count",
        "aws-trending-now",
        "aws-personalized-ranking",
        "aws-personalized-ranking-v2",
        "aws-sims",
        "aws-similar-items",
        "aws-item-affinity",
        "aws-item-attribute-affinity",
        "aws-next-best-action",
    ]

    private static let builtInPrefix = "arn:aws:personalize:::recipe/"

    /// Normalises what a manifest wrote: a built-in name (with or without `aws-`), or a recipe ARN.
    ///
    /// - Parameter written: The `recipe` field.
    /// - Returns: The canonical short name of a built-in recipe, or the ARN of any other; nil when neither.
    static func normalise(_ written: String) -> String? {
        if written.hasPrefix(builtInPrefix) {
            let name = String(written.dropFirst(builtInPrefix.count))
            return names.contains(name) ? name : nil
        }
        if written.hasPrefix("arn:") {
            return written.contains(":recipe/") ? written : nil
        }
        if names.contains(written) { return written }
        if names.contains("aws-" + written) { return "aws-" + written }
        return nil
    }

    /// The recipe ARN the engine takes for a normalised recipe.
    static func arn(for recipe: String) -> String {
        recipe.hasPrefix("arn:") ? recipe : builtInPrefix + recipe
    }
}

/// The service's domain use cases (the recipes of recommenders), each with the domain its dataset group must
/// have.
enum UseCaseCatalog {
    /// Use case names usable in a Recommender, with their domain.
    static let useCases: [(name: String, domain: String)] = [
        ("aws-vod-because-you-watched-x", "VIDEO_ON_DEMAND"),
        ("aws-vod-more-like-x", "VIDEO_ON_DEMAND"),
        ("aws-vod-most-popular", "VIDEO_ON_DEMAND"),
        ("aws-vod-trending-now", "VIDEO_ON_DEMAND"),
        ("aws-vod-top-picks", "VIDEO_ON_DEMAND"),
        ("aws-ecomm-popular-items-by-views", "ECOMMERCE"),
        ("aws-ecomm-popular-items-by-purchases", "ECOMMERCE"),
        ("aws-ecomm-frequently-bought-together", "ECOMMERCE"),
        ("aws-ecomm-customers-who-viewed-x-also-viewed", "ECOMMERCE"),
        ("aws-ecomm-recommended-for-you", "ECOMMERCE"),
    ]

    /// The use case names.
    static var names: [String] { useCases.map(\.name) }

    /// Normalises what a manifest wrote: a use case name (with or without `aws-`) or its recipe ARN.
    ///
    /// - Parameter written: The `recipe` field of a Recommender.
    /// - Returns: The use case's canonical name; nil when it is not one.
    static func normalise(_ written: String) -> String? {
        let prefix = "arn:aws:personalize:::recipe/"
        let name = written.hasPrefix(prefix) ? String(written.dropFirst(prefix.count)) : written
        if names.contains(name) { return name }
        if !written.hasPrefix(prefix), names.contains("aws-" + name) { return "aws-" + name }
        return nil
    }

    /// The domain (`ECOMMERCE`, `VIDEO_ON_DEMAND`) of a normalised use case.
    static func domain(of useCase: String) -> String? {
        useCases.first { $0.name == useCase }?.domain
    }
}
