/// The types of Personalize resource, named as their ARNs name them (`arn:aws:personalize:...:dataset-group/NAME`):
/// what the engine stores and the planner reads back from ARNs.
package enum ResourceType: String, Sendable, Hashable, CaseIterable {
    case datasetGroup = "dataset-group"
    case schema
    case dataset
    case datasetImportJob = "dataset-import-job"
    case solution
    case solutionVersion = "solution-version"
    case campaign
    case eventTracker = "event-tracker"
    case datasetExportJob = "dataset-export-job"
    case dataDeletionJob = "data-deletion-job"
    case batchInferenceJob = "batch-inference-job"
    case recommender
    case batchSegmentJob = "batch-segment-job"
    case filter
    case metricAttribution = "metric-attribution"

    /// The name Personalize's messages use for the kind.
    package var displayName: String {
        switch self {
        case .datasetGroup: "dataset group"
        case .schema: "schema"
        case .dataset: "dataset"
        case .datasetImportJob: "dataset import job"
        case .solution: "solution"
        case .solutionVersion: "solution version"
        case .campaign: "campaign"
        case .eventTracker: "event tracker"
        case .datasetExportJob: "dataset export job"
        case .dataDeletionJob: "data deletion job"
        case .batchInferenceJob: "batch inference job"
        case .recommender: "recommender"
        case .batchSegmentJob: "batch segment job"
        case .filter: "filter"
        case .metricAttribution: "metric attribution"
        }
    }
}
