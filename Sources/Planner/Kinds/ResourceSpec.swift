/// A kind's typed, validated `spec`: what the manifest asks for.
protocol KindSpec: Hashable, Sendable, Codable {
    /// The kind's fields, update rules and parser.
    static var definition: KindDefinition { get }
    /// The normalised values of the fields the manifest sets, keyed by top-level field: what plans compare
    /// and state records.
    var fields: [String: SpecValue] { get }
}

/// The spec of one resource, whatever its kind.
package enum ResourceSpec: Hashable, Sendable, Codable {
    case datasetGroup(DatasetGroupSpec)
    case schema(SchemaSpec)
    case dataset(DatasetSpec)
    case solution(SolutionSpec)
    case campaign(CampaignSpec)
    case eventTracker(EventTrackerSpec)
    case filter(FilterSpec)
    case datasetExport(DatasetExportSpec)
    case dataDeletion(DataDeletionSpec)
    case recommender(RecommenderSpec)
    case metricAttribution(MetricAttributionSpec)
    case batchInferenceJob(BatchInferenceJobSpec)
    case batchSegmentJob(BatchSegmentJobSpec)

    /// The resource's kind, as the typed spec's ``KindDefinition`` names it.
    package var kind: ResourceKind { type(of: body).definition.kind }

    /// The typed spec.
    var body: any KindSpec {
        switch self {
        case .datasetGroup(let spec): spec
        case .schema(let spec): spec
        case .dataset(let spec): spec
        case .solution(let spec): spec
        case .campaign(let spec): spec
        case .eventTracker(let spec): spec
        case .filter(let spec): spec
        case .datasetExport(let spec): spec
        case .dataDeletion(let spec): spec
        case .recommender(let spec): spec
        case .metricAttribution(let spec): spec
        case .batchInferenceJob(let spec): spec
        case .batchSegmentJob(let spec): spec
        }
    }

    /// The normalised values of the fields the manifest sets.
    package var fields: [String: SpecValue] { body.fields }
}

/// One resource declared in the manifests.
package struct ManifestResource: Hashable, Sendable, Codable {
    /// `kind/name`.
    package var address: ResourceAddress
    /// `metadata.tags`.
    package var tags: [String: String]
    /// The validated spec.
    package var spec: ResourceSpec
    /// The references to other resources, with where they are written.
    package var references: [ResourceReference]
    /// Where the document starts.
    package var location: SourceLocation
    /// The dotted paths of fields whose value came from a secret (`${env.X}`, a sensitive variable): plans,
    /// saved plans and state hold a digest of them, never the clear value.
    package var sensitivePaths: [String] = []
    /// The lifecycle rules (`lifecycle:` beside `spec`).
    package var lifecycle: Lifecycle = Lifecycle()
    /// `${KIND.NAME.ATTRIBUTE}` references in its values, resolved when the values are known.
    package var attributeReferences: [AttributeReference] = []
    /// The interpolated document, kept when it has attribute references (it is parsed again once they
    /// are resolved).
    package var template: YAMLNode?
    /// The folder of its manifest file (where relative paths start), and of each file that patched it.
    package var folders: [String: String] = [:]

    /// The normalised fields plans compare: the spec's, plus `tags` when the manifest sets any; sensitive
    /// values replaced by their digest.
    package var fields: [String: SpecValue] {
        var fields = spec.fields
        if !tags.isEmpty { fields["tags"] = .map(tags.mapValues(SpecValue.string)) }
        return sensitivePaths.isEmpty
            ? fields : Redaction.redact(fields, paths: sensitivePaths, salt: address.description)
    }

    /// The addresses this resource references.
    package var dependencies: [ResourceAddress] {
        Array(Set(references.map(\.target))).sorted()
    }
}
