import PersonalizeRules

/// `kind: Recommender`: a domain use case trained on a domain dataset group's data, served by its own
/// `recommenderArn` (`${recommender.NAME.recommenderArn}`). Its configuration changes in place
/// (UpdateRecommender; new excluded columns retrain while the old model serves); another dataset group or use
/// case replaces it. `active: false` stops it (StopRecommender: it stops serving and being billed, and keeps its
/// model); `active: true` starts a stopped one again. Without `active`, whether it runs is left to whoever
/// stops and starts it.
///
/// ```yaml
/// kind: Recommender
/// metadata: {name: for-you}
/// spec:
///   datasetGroup: shop                  # a domain dataset group (spec.domain)
///   recipe: aws-ecomm-recommended-for-you
///   minRecommendationRequestsPerSecond: 2
///   trainingDataConfig: {excludedDatasetColumns: {ITEMS: [DESCRIPTION]}}
///   itemExplorationConfig: {explorationWeight: "0.3"}
///   enableMetadataWithRecommendations: true
///   active: true                        # false: stopped (INACTIVE)
/// ```
package struct RecommenderSpec: KindSpec {
    /// The domain dataset group's name.
    package var datasetGroup: String
    /// The use case's canonical name (`aws-ecomm-recommended-for-you`).
    package var recipe: String
    /// The minimum recommendation requests per second it is provisioned for (the service's default is 1).
    package var minRecommendationRequestsPerSecond: Int?
    /// Columns left out of training, by dataset type (`ITEMS`), each list sorted.
    package var excludedDatasetColumns: [String: [String]]?
    /// `explorationWeight` and `explorationItemAgeCutOff`, as strings.
    package var itemExplorationConfig: [String: String]?
    /// Whether recommendations may carry item metadata (`metadataColumns`).
    package var enableMetadataWithRecommendations: Bool?
    /// Whether it serves (ACTIVE) or is stopped (INACTIVE); nil leaves it as it is.
    package var active: Bool?

    /// The recipe ARN the engine takes.
    package var recipeArn: String { BuiltInRecipe.arn(for: recipe) }

    /// The dataset types whose columns may be excluded.
    static let datasetTypes = ["INTERACTIONS", "ITEMS", "USERS"]
    /// The keys of `itemExplorationConfig`.
    static let explorationKeys = ["explorationWeight", "explorationItemAgeCutOff"]

    static let definition = KindDefinition(
        kind: .recommender,
        fields: [
            FieldDefinition(
                "datasetGroup", .reference(.datasetGroup), required: true, "Domain dataset group to train on"),
            FieldDefinition("recipe", .string, required: true, "Use case: a name (aws-vod-top-picks) or its ARN"),
            FieldDefinition(
                "minRecommendationRequestsPerSecond", .integer(1...1_000_000), update: .inPlace,
                "Minimum provisioned recommendation requests per second"),
            FieldDefinition(
                "trainingDataConfig",
                .object([
                    FieldDefinition(
                        "excludedDatasetColumns", .mapOf(.list(.string)), update: .inPlace,
                        "Columns to leave out of training, by dataset type (ITEMS: [COLUMN, ...]); a change retrains")
                ]), update: .inPlace, "Training data settings"),
            .itemExplorationConfig,
            .enableMetadataWithRecommendations,
            FieldDefinition(
                "active", .boolean, update: .inPlace,
                "false stops the recommender (StopRecommender, INACTIVE); true starts it again (StartRecommender)"),
        ],
        supportsTags: true,
        parse: parse
    )

    private static func parse(_ spec: MappingView, _ context: inout ParseContext) -> ResourceSpec? {
        let group = context.reference(.datasetGroup, spec, "datasetGroup")
        var recipe: String?
        if let written = spec.string("recipe") {
            recipe = DomainUseCase.normalise(written)
            if recipe == nil {
                context.report(
                    spec.location("recipe"),
                    "unknown recommender use case '\(written)'; " + Suggestion.oneOf(written, DomainUseCase.names))
            }
        }
        let excluded = excludedColumns(spec.mapping("trainingDataConfig"), &context)
        let exploration = explorationConfig(spec, &context)
        guard let group, let recipe else { return nil }
        return .recommender(
            RecommenderSpec(
                datasetGroup: group, recipe: recipe,
                minRecommendationRequestsPerSecond: spec.int("minRecommendationRequestsPerSecond"),
                excludedDatasetColumns: excluded, itemExplorationConfig: exploration,
                enableMetadataWithRecommendations: spec.bool("enableMetadataWithRecommendations"),
                active: spec.bool("active")))
    }

    /// `spec.itemExplorationConfig` (of a recommender or a campaign), each key checked against the service's two.
    static func explorationConfig(_ spec: MappingView, _ context: inout ParseContext) -> [String: String]? {
        let exploration = spec.stringMap("itemExplorationConfig")
        for key in exploration?.keys.sorted() ?? [] where !explorationKeys.contains(key) {
            let location =
                spec.mapping("itemExplorationConfig")?.node[key]?.keyLocation ?? spec.location("itemExplorationConfig")
            context.report(
                location,
                "unknown key '\(key)' in 'spec.itemExplorationConfig'; " + Suggestion.oneOf(key, explorationKeys))
        }
        return exploration
    }

    /// `trainingDataConfig.excludedDatasetColumns`, keys checked and upper-cased (`Items` is `ITEMS`), each list
    /// sorted (the order means nothing).
    static func excludedColumns(_ config: MappingView?, _ context: inout ParseContext) -> [String: [String]]? {
        guard let config, let entries = config.value("excludedDatasetColumns")?.entries else { return nil }
        var excluded: [String: [String]] = [:]
        for entry in entries {
            let type = entry.key.uppercased()
            guard datasetTypes.contains(type) else {
                context.report(
                    entry.keyLocation,
                    "unknown dataset type '\(entry.key)' in '\(config.path).excludedDatasetColumns'"
                        + Suggestion.didYouMean(entry.key.uppercased(), in: datasetTypes)
                        + " (expected one of: \(datasetTypes.joined(separator: ", ")))")
                continue
            }
            let columns = entry.value.items?.compactMap(\.text) ?? []
            if columns.contains("EVENT_TYPE") {
                context.report(entry.value.location, "EVENT_TYPE cannot be excluded from training")
            }
            excluded[type] = columns.sorted()
        }
        return excluded
    }

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = ["datasetGroup": .string(datasetGroup), "recipe": .string(recipe)]
        fields["minRecommendationRequestsPerSecond"] = minRecommendationRequestsPerSecond.map(SpecValue.int)
        fields["trainingDataConfig"] = excludedDatasetColumns.map { Self.trainingDataConfig($0) }
        fields["itemExplorationConfig"] = itemExplorationConfig.map { .map($0.mapValues(SpecValue.string)) }
        fields["enableMetadataWithRecommendations"] = enableMetadataWithRecommendations.map(SpecValue.bool)
        fields["active"] = active.map(SpecValue.bool)
        return fields
    }

    /// `trainingDataConfig` as plans compare it: `{excludedDatasetColumns: {TYPE: [sorted columns]}}`.
    static func trainingDataConfig(_ excluded: [String: [String]]) -> SpecValue {
        .map(["excludedDatasetColumns": .map(excluded.mapValues { .list($0.sorted().map(SpecValue.string)) })])
    }
}
