/// Personalize's resource lifecycles as state machines: the status a resource starts in and the statuses that
/// may follow each one, per family of resources (the guide's lifecycles; part 1 §4 and each resource's chapter).
///
/// The engine's store checks every status change against these (``problem(from:to:creating:arn:)``), so a job or an operation
/// that moved a resource where Personalize never goes fails, rolled back, instead of leaving a state a client cannot
/// read.
package enum Lifecycle: Sendable, CaseIterable {
    /// Dataset groups, schemas, datasets, solutions, campaigns, recommenders, event trackers, filters, metric
    /// attributions: created, updated (campaigns, recommenders, metric attributions; recommenders also stop and
    /// start), deleted.
    case resource
    /// Dataset import and export jobs and solution versions: created once, then ACTIVE, failed or stopped.
    case creationJob
    /// Batch inference and batch segment jobs.
    case batchJob
    /// Data deletion jobs.
    case dataDeletionJob

    package init(_ type: ResourceType) {
        switch type {
        case .datasetImportJob, .datasetExportJob, .solutionVersion: self = .creationJob
        case .batchInferenceJob, .batchSegmentJob: self = .batchJob
        case .dataDeletionJob: self = .dataDeletionJob
        case .datasetGroup, .schema, .dataset, .solution, .campaign, .eventTracker, .recommender, .filter,
            .metricAttribution:
            self = .resource
        }
    }

    /// The statuses a resource of this family is stored with when created (nil: a resource without a status, a
    /// schema).
    package var initialStatuses: Set<String?> {
        switch self {
        case .resource: [nil, Status.active, Status.createPending, Status.createInProgress]
        case .creationJob: [Status.createPending, Status.createInProgress]
        case .batchJob: [Status.Batch.pending]
        case .dataDeletionJob: [Status.DataDeletion.pending]
        }
    }

    /// The statuses that may follow `status` (the same status may always be written again: an update of the
    /// description).
    package func successors(of status: String) -> Set<String> {
        switch self {
        case .resource:
            switch status {
            case Status.createPending:
                [Status.createInProgress, Status.active, Status.createFailed, Status.deletePending]
            case Status.createInProgress: [Status.active, Status.createFailed, Status.deletePending]
            case Status.active:
                [
                    Status.updatePending, Status.updateInProgress, Status.Recommender.inactive,
                    Status.Recommender.stopPending, Status.deletePending,
                ]
            case Status.updatePending: [Status.updateInProgress, Status.active, Status.createFailed]
            case Status.updateInProgress: [Status.active, Status.createFailed]
            case Status.Recommender.stopPending: [Status.Recommender.inactive]
            case Status.Recommender.inactive: [Status.Recommender.startPending, Status.active, Status.deletePending]
            case Status.Recommender.startPending: [Status.active]
            // A campaign whose deployment failed is deployed again by UpdateCampaign or the campaign sync.
            case Status.createFailed: [Status.createPending, Status.active, Status.deletePending]
            case Status.deletePending: [Status.deleteInProgress]
            default: []
            }
        case .creationJob:
            switch status {
            case Status.createPending:
                [Status.createInProgress, Status.createFailed, Status.createStopping, Status.createStopped]
            case Status.createInProgress: [Status.active, Status.createFailed, Status.createStopping]
            case Status.createStopping: [Status.createStopped, Status.createFailed]
            default: []
            }
        case .batchJob:
            switch status {
            case Status.Batch.pending: [Status.Batch.inProgress, Status.createFailed]
            case Status.Batch.inProgress: [Status.active, Status.createFailed]
            // A job stored with a legacy spelling by an older Tailor is only ever failed as interrupted.
            case let legacy where Status.Batch.legacyUnfinished.contains(legacy): [Status.createFailed]
            default: []
            }
        case .dataDeletionJob:
            switch status {
            case Status.DataDeletion.pending: [Status.DataDeletion.inProgress, Status.DataDeletion.failed]
            case Status.DataDeletion.inProgress: [Status.DataDeletion.completed, Status.DataDeletion.failed]
            default: []
            }
        }
    }

    /// Whether a resource of this family may go from `from` (nil: being created) to `to`.
    package func allows(from: String?, to: String?, creating: Bool) -> Bool {
        if creating { return initialStatuses.contains(to) }
        if from == to { return true }
        guard let from, let to else { return false }
        return successors(of: from).contains(to)
    }

    /// The problem with moving `arn` from `from` to `to`, or nil when the lifecycle allows it.
    package func problem(from: String?, to: String?, creating: Bool, arn: String) -> String? {
        guard !allows(from: from, to: to, creating: creating) else { return nil }
        return creating
            ? "\(arn) cannot be created with status \(to ?? "none")."
            : "\(arn) cannot move from status \(from ?? "none") to \(to ?? "none")."
    }
}
