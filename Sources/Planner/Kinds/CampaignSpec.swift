/// `kind: Campaign`: a deployment of a solution's trained version.
///
/// ```yaml
/// kind: Campaign
/// metadata: {name: top-picks}
/// spec:
///   solution: top-picks
///   minProvisionedTPS: 1
///   followLatest: true          # or: serve the newest version, automatic ones included (the engine moves it)
///   promote:                    # or: move only to versions at least as good as the deployed one
///     metric: normalized_discounted_cumulative_gain_at_10
///     minDelta: 0
///   itemExplorationConfig: {explorationWeight: "0.3", explorationItemAgeCutOff: "30"}
///   enableMetadataWithRecommendations: true
/// ```
///
/// Everything but `solution` changes in place (UpdateCampaign, which takes the whole `campaignConfig`, so apply
/// sends all of it).
package struct CampaignSpec: KindSpec {
    /// The name of the solution whose trained version the campaign serves.
    package var solution: String
    /// The minimum provisioned transactions per second (the service's default is 1).
    package var minProvisionedTPS: Int?
    /// Whether the campaign follows the solution's newest version (`<solution>/$LATEST` with
    /// `syncWithLatestSolutionVersion`), including versions automatic training creates.
    package var followLatest: Bool?
    /// The quality gate new versions must pass before the campaign moves to them.
    package var promote: PromotionPolicy?
    /// `explorationWeight` and `explorationItemAgeCutOff`, as strings.
    package var itemExplorationConfig: [String: String]?
    /// Whether recommendations may carry item metadata (`metadataColumns`).
    package var enableMetadataWithRecommendations: Bool?

    /// The offline metrics a promotion policy may compare (those GetSolutionMetrics reports).
    static let metrics = [
        "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25", "precision_at_5", "precision_at_10", "precision_at_25",
        "mean_reciprocal_rank_at_25", "recall_at_20", "coverage",
    ]

    static let definition = KindDefinition(
        kind: .campaign,
        fields: [
            FieldDefinition(
                "solution", .reference(.solution), required: true, update: .inPlace,
                "Solution whose trained version is deployed"),
            FieldDefinition(
                "minProvisionedTPS", .integer(1...1_000_000), update: .inPlace,
                "Minimum provisioned transactions per second"),
            FieldDefinition(
                "followLatest", .boolean, update: .inPlace,
                "Serve the solution's newest version, automatic ones included ($LATEST)"),
            FieldDefinition(
                "promote",
                .object([
                    FieldDefinition("metric", .oneOf(metrics), required: true, "Offline metric to compare"),
                    FieldDefinition(
                        "minDelta", .number, "How much better than the deployed version it must be (default 0)"),
                ]), update: .inPlace, "Quality gate: deploy a new version only if its metric is at least as good"),
            .itemExplorationConfig,
            .enableMetadataWithRecommendations,
        ],
        supportsTags: true,
        parse: { spec, context in
            let solution = context.reference(.solution, spec, "solution")
            let promote = spec.mapping("promote").flatMap(PromotionPolicy.init(parsing:))
            let followLatest = spec.bool("followLatest")
            if followLatest == true, spec.value("promote") != nil {
                context.report(
                    spec.location("promote"),
                    "'spec.promote' cannot be combined with 'followLatest: true' (the engine moves a following "
                        + "campaign without a gate); remove one")
            }
            let exploration = RecommenderSpec.explorationConfig(spec, &context)
            guard let solution else { return nil }
            return .campaign(
                CampaignSpec(
                    solution: solution, minProvisionedTPS: spec.int("minProvisionedTPS"), followLatest: followLatest,
                    promote: promote, itemExplorationConfig: exploration,
                    enableMetadataWithRecommendations: spec.bool("enableMetadataWithRecommendations")))
        }
    )

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = ["solution": .string(solution)]
        fields["minProvisionedTPS"] = minProvisionedTPS.map(SpecValue.int)
        fields["followLatest"] = followLatest.map(SpecValue.bool)
        fields["promote"] = promote.map { .map(["metric": .string($0.metric), "minDelta": .string($0.minDeltaText)]) }
        fields["itemExplorationConfig"] = itemExplorationConfig.map { .map($0.mapValues(SpecValue.string)) }
        fields["enableMetadataWithRecommendations"] = enableMetadataWithRecommendations.map(SpecValue.bool)
        return fields
    }
}

/// A campaign's `promote`: a new version is deployed only if its `metric` is at least the deployed
/// version's plus `minDelta`.
package struct PromotionPolicy: Hashable, Sendable, Codable {
    /// A GetSolutionMetrics key (`normalized_discounted_cumulative_gain_at_10`).
    package var metric: String
    /// The margin the candidate must beat the deployed version by (may be negative to tolerate a small loss).
    package var minDelta: Double

    init?(parsing spec: MappingView) {
        guard let metric = spec.string("metric"), CampaignSpec.metrics.contains(metric) else { return nil }
        self.metric = metric
        self.minDelta = spec.string("minDelta").flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil } ?? 0
    }

    /// ``minDelta`` as plans show and state records it.
    var minDeltaText: String {
        minDelta == minDelta.rounded() && abs(minDelta) < 1e15 ? String(Int(minDelta)) : String(minDelta)
    }

    /// Whether a candidate with `candidate` passes against a deployed version with `deployed`.
    func passes(candidate: Double, deployed: Double) -> Bool {
        candidate >= deployed + minDelta - 1e-12
    }
}
