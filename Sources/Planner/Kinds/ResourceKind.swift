package import PersonalizeRules

/// The kinds of resource a manifest can declare.
///
/// Each kind's fields, update rules and parsing live in its ``KindDefinition`` (``definition``); its engine
/// operations live in its driver under `Apply/`. Adding a kind means adding a case, a definition and a driver.
package enum ResourceKind: String, CaseIterable, Sendable, Codable, Hashable {
    case datasetGroup = "DatasetGroup"
    case schema = "Schema"
    case dataset = "Dataset"
    case solution = "Solution"
    case campaign = "Campaign"
    case eventTracker = "EventTracker"
    case filter = "Filter"
    case datasetExport = "DatasetExport"
    case dataDeletion = "DataDeletion"
    case recommender = "Recommender"
    case metricAttribution = "MetricAttribution"
    case batchInferenceJob = "BatchInferenceJob"
    case batchSegmentJob = "BatchSegmentJob"

    /// The first part of an address (`dataset-group/movielens`).
    package var addressPrefix: String {
        switch self {
        case .datasetGroup: "dataset-group"
        case .schema: "schema"
        case .dataset: "dataset"
        case .solution: "solution"
        case .campaign: "campaign"
        case .eventTracker: "event-tracker"
        case .filter: "filter"
        case .datasetExport: "dataset-export"
        case .dataDeletion: "data-deletion"
        case .recommender: "recommender"
        case .metricAttribution: "metric-attribution"
        case .batchInferenceJob: "batch-inference-job"
        case .batchSegmentJob: "batch-segment-job"
        }
    }

    /// The type of the service's resource the kind manages, as its ARNs name it.
    package var resourceType: ResourceType {
        switch self {
        case .datasetGroup: .datasetGroup
        case .schema: .schema
        case .dataset: .dataset
        case .solution: .solution
        case .campaign: .campaign
        case .eventTracker: .eventTracker
        case .filter: .filter
        case .datasetExport: .datasetExportJob
        case .dataDeletion: .dataDeletionJob
        case .recommender: .recommender
        case .metricAttribution: .metricAttribution
        case .batchInferenceJob: .batchInferenceJob
        case .batchSegmentJob: .batchSegmentJob
        }
    }

    /// The kind with this address prefix.
    package init?(addressPrefix: String) {
        guard let kind = Self.allCases.first(where: { $0.addressPrefix == addressPrefix }) else { return nil }
        self = kind
    }

    /// The kind with this address prefix or this name in lower camel case (`eventTracker`, as
    /// `${eventTracker.NAME.trackingId}` writes it).
    package init?(referencePrefix: String) {
        if let kind = ResourceKind(addressPrefix: referencePrefix) {
            self = kind
            return
        }
        guard let kind = Self.allCases.first(where: { $0.camelName == referencePrefix }) else { return nil }
        self = kind
    }

    /// The kind's name in lower camel case: `datasetGroup`, `eventTracker`.
    package var camelName: String { rawValue.prefix(1).lowercased() + rawValue.dropFirst() }

    /// Whether the kind is a job: it runs once, cannot be changed or deleted in the engine (a change runs a
    /// new job; removing it from the manifests only forgets it).
    package var isJob: Bool {
        switch self {
        case .datasetExport, .dataDeletion, .batchInferenceJob, .batchSegmentJob: true
        case .datasetGroup, .schema, .dataset, .solution, .campaign, .eventTracker, .filter, .recommender,
            .metricAttribution:
            false
        }
    }

    /// How messages name a resource of the kind: "dataset group", "solution", ...
    package var noun: String {
        switch self {
        case .datasetGroup: "dataset group"
        case .schema: "schema"
        case .dataset: "dataset"
        case .solution: "solution"
        case .campaign: "campaign"
        case .eventTracker: "event tracker"
        case .filter: "filter"
        case .datasetExport: "dataset export"
        case .dataDeletion: "data deletion"
        case .recommender: "recommender"
        case .metricAttribution: "metric attribution"
        case .batchInferenceJob: "batch inference job"
        case .batchSegmentJob: "batch segment job"
        }
    }

    /// The dependency layer: a resource only references kinds of a lower rank, so sorting by rank is a
    /// topological order (creates go up the ranks, deletes come down).
    package var rank: Int {
        switch self {
        case .datasetGroup, .schema: 0
        case .dataset, .eventTracker: 1
        case .filter, .datasetExport, .dataDeletion, .metricAttribution: 2
        case .solution, .recommender: 3
        case .campaign, .batchInferenceJob, .batchSegmentJob: 4
        }
    }

    /// The kind's fields, update rules and parser.
    var definition: KindDefinition {
        switch self {
        case .datasetGroup: DatasetGroupSpec.definition
        case .schema: SchemaSpec.definition
        case .dataset: DatasetSpec.definition
        case .solution: SolutionSpec.definition
        case .campaign: CampaignSpec.definition
        case .eventTracker: EventTrackerSpec.definition
        case .filter: FilterSpec.definition
        case .datasetExport: DatasetExportSpec.definition
        case .dataDeletion: DataDeletionSpec.definition
        case .recommender: RecommenderSpec.definition
        case .metricAttribution: MetricAttributionSpec.definition
        case .batchInferenceJob: BatchInferenceJobSpec.definition
        case .batchSegmentJob: BatchSegmentJobSpec.definition
        }
    }
}

/// A resource's identity in manifests, plans and state: `kind/name`, e.g. `solution/top-picks`.
package struct ResourceAddress: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The resource's kind.
    package var kind: ResourceKind
    /// The resource's name (`metadata.name`), which is also its name in the engine.
    package var name: String

    package init(_ kind: ResourceKind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// Parses `dataset-group/movielens`; nil when the prefix is not a kind's.
    package init?(_ string: String) {
        guard let slash = string.firstIndex(of: "/"),
            let kind = ResourceKind(addressPrefix: String(string[..<slash]))
        else { return nil }
        let name = String(string[string.index(after: slash)...])
        guard !name.isEmpty else { return nil }
        self.init(kind, name)
    }

    package var description: String { "\(kind.addressPrefix)/\(name)" }

    /// Dependency order: by rank, then kind, then name.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        let left = ResourceKind.allCases.firstIndex(of: lhs.kind) ?? 0
        let right = ResourceKind.allCases.firstIndex(of: rhs.kind) ?? 0
        return (lhs.kind.rank, left, lhs.name) < (rhs.kind.rank, right, rhs.name)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let address = ResourceAddress(string) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(string)' is not a resource address (kind/name)")
        }
        self = address
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
