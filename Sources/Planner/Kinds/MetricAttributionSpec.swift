/// `kind: MetricAttribution`: the dataset group's metric attribution (one per group), which reports the events
/// of each metric's type per campaign or recommender. Metrics are compared by name, in any order; added,
/// removed and changed metrics and a new output are applied in place (UpdateMetricAttribution); another dataset
/// group replaces it. It is created after the group's datasets, whose columns its `SUM()`s read.
///
/// ```yaml
/// kind: MetricAttribution
/// metadata: {name: shop-metrics}
/// spec:
///   datasetGroup: shop
///   metrics:
///     - {metricName: revenue, eventType: purchase, expression: SUM(Items.PRICE)}
///     - {metricName: clicks, eventType: click, expression: SAMPLECOUNT()}
///   output:
///     path: reports/attribution    # optional: where import jobs publish their reports, relative to this file
///     roleArn: arn:aws:iam::123456789012:role/personalize   # optional for the embedded engine
/// ```
package struct MetricAttributionSpec: KindSpec {
    /// The dataset group's name.
    package var datasetGroup: String
    /// The metrics, sorted by name.
    package var metrics: [AttributionMetric]
    /// `output.roleArn`, when set.
    package var roleArn: String?
    /// `output.path` as written, when set.
    package var output: String?
    /// `output.path` as an absolute path, when set.
    package var outputPath: String?

    /// The service's limit on metrics per attribution.
    static let maximumMetrics = 10

    static let definition = KindDefinition(
        kind: .metricAttribution,
        fields: [
            FieldDefinition(
                "datasetGroup", .reference(.datasetGroup), required: true, "Dataset group whose events it reports"),
            FieldDefinition(
                "metrics",
                .list(
                    .object([
                        FieldDefinition("metricName", .string, required: true, "The metric's name (unique)"),
                        FieldDefinition("eventType", .string, required: true, "The event type it counts"),
                        FieldDefinition(
                            "expression", .string, required: true,
                            "SAMPLECOUNT() or SUM(Items.COLUMN) / SUM(Interactions.COLUMN) of a numeric column"),
                    ])), required: true, update: .inPlace, "1 to 10 metrics, compared by name"),
            FieldDefinition(
                "output",
                .object([
                    FieldDefinition(
                        "path", .string, update: .inPlace,
                        "Folder import jobs publish reports to, relative to the manifest's folder"),
                    FieldDefinition(
                        "roleArn", .string, update: .inPlace, "IAM role that may write the reports (service only)"),
                ]), update: .inPlace, "Where reports go"),
        ],
        supportsTags: false,
        parse: parse
    )

    private static func parse(_ spec: MappingView, _ context: inout ParseContext) -> ResourceSpec? {
        let group = context.reference(.datasetGroup, spec, "datasetGroup")
        let metrics = parseMetrics(spec, &context)
        let output = spec.mapping("output")
        let written = output?.string("path")
        var path: String?
        if let written, let output {
            path = LocalPath.resolve(written, at: output.location("path"), context: &context, what: "output path")
            if path == nil { return nil }
        }
        guard let group, let metrics else { return nil }
        return .metricAttribution(
            MetricAttributionSpec(
                datasetGroup: group, metrics: metrics, roleArn: output.flatMap { context.roleArn($0) }, output: written,
                outputPath: path))
    }

    private static func parseMetrics(_ spec: MappingView, _ context: inout ParseContext) -> [AttributionMetric]? {
        guard let items = spec.list("metrics") else { return nil }
        if !(1...maximumMetrics).contains(items.count) {
            context.report(
                spec.location("metrics"),
                "a metric attribution has 1 to \(maximumMetrics) metrics; this one has \(items.count)")
        }
        var metrics: [AttributionMetric] = []
        var seen: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            let view = MappingView(node: item, path: "spec.metrics[\(index)]")
            guard let name = view.string("metricName"), let eventType = view.string("eventType"),
                let expression = view.string("expression")
            else { continue }
            if let first = seen[name] {
                context.report(view.location("metricName"), "duplicate metric '\(name)'; first declared at \(first)")
                continue
            }
            seen[name] = view.location("metricName")
            guard let parsed = MetricExpressionText(expression) else {
                context.report(
                    view.location("expression"),
                    "invalid expression '\(expression)' for metric '\(name)'; expected SAMPLECOUNT(), "
                        + "SUM(Items.COLUMN) or SUM(Interactions.COLUMN)")
                continue
            }
            metrics.append(
                AttributionMetric(
                    metricName: name, eventType: eventType, expression: parsed.text,
                    location: view.location("expression"))
            )
        }
        return metrics.sorted { $0.metricName < $1.metricName }
    }

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = [
            "datasetGroup": .string(datasetGroup),
            "metrics": Self.metricsValue(metrics.map { ($0.metricName, $0.eventType, $0.expression) }),
        ]
        var output: [String: SpecValue] = [:]
        output["path"] = self.output.map(SpecValue.string)
        output["roleArn"] = roleArn.map(SpecValue.string)
        if !output.isEmpty { fields["output"] = .map(output) }
        return fields
    }

    /// The metrics as plans compare them: keyed by name, so an added, removed or changed metric is its own
    /// change whatever the order.
    static func metricsValue(_ metrics: [(metricName: String, eventType: String, expression: String)]) -> SpecValue {
        var value: [String: SpecValue] = [:]
        for metric in metrics where value[metric.metricName] == nil {
            value[metric.metricName] = .map([
                "eventType": .string(metric.eventType), "expression": .string(metric.expression),
            ])
        }
        return .map(value)
    }
}

/// One metric of a metric attribution.
package struct AttributionMetric: Hashable, Sendable, Codable {
    /// The metric's name.
    package var metricName: String
    /// The event type whose events it counts.
    package var eventType: String
    /// The expression, normalised (``MetricExpressionText``).
    package var expression: String
    /// Where the expression is written.
    package var location: SourceLocation
}

/// A metric expression as text: `SAMPLECOUNT()` or `SUM(Items.COLUMN)` / `SUM(Interactions.COLUMN)`, normalised
/// (no whitespace, the function upper-cased, the dataset spelt as the guide spells it) so cosmetic edits are no
/// change.
struct MetricExpressionText {
    /// The normalised text.
    let text: String
    /// For a `SUM`: the dataset type (`ITEMS`, `INTERACTIONS`) and the column.
    let sum: (datasetType: String, column: String)?

    init?(_ written: String) {
        let compact = written.filter { !$0.isWhitespace }
        let upper = compact.uppercased()
        if upper == "SAMPLECOUNT()" {
            text = "SAMPLECOUNT()"
            sum = nil
            return
        }
        guard upper.hasPrefix("SUM("), upper.hasSuffix(")") else { return nil }
        let parts = compact.dropFirst(4).dropLast().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        let datasets = [("ITEMS", "Items"), ("INTERACTIONS", "Interactions")]
        guard let dataset = datasets.first(where: { $0.0 == parts[0].uppercased() }) else { return nil }
        text = "SUM(\(dataset.1).\(parts[1]))"
        sum = (dataset.0, String(parts[1]))
    }
}
