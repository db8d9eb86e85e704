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
