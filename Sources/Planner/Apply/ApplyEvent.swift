/// What apply reports while it works; the CLI renders these as a TTY progress display or plain lines.
package enum ApplyEvent: Sendable, Hashable {
    /// Work on a resource started.
    case started(ResourceAddress, ChangeAction)
    /// A step started or something notable happened ("creating", "importing data/ratings.csv", "adopted ...").
    case step(ResourceAddress, String)
    /// A poll while waiting: what is awaited, the engine's status, time waited, and whether the status changed
    /// since the previous poll (plain-line renderers print only those).
    case waiting(ResourceAddress, what: String, status: String, elapsed: Duration, statusChanged: Bool)
    /// A solution version finished training, with its offline metrics.
    case metrics(ResourceAddress, versionArn: String, metrics: [String: Double])
    /// A campaign's quality gate kept the deployed version: the candidate's metric is not good enough. Apply
    /// goes on (the campaign's other changes are applied) and state records the candidate so that later plans
    /// do not propose it again.
    case heldBack(ResourceAddress, versionArn: String, reason: String)
    /// Work on a resource finished.
    case completed(ResourceAddress, ChangeAction, elapsed: Duration)
    /// Work on a resource failed; apply goes on with what does not depend on it.
    case failed(ResourceAddress, ChangeAction, message: String)
    /// A resource was not touched because something it depends on failed.
    case skipped(ResourceAddress, ChangeAction, reason: String)
    /// State was written (after every resource step).
    case stateSaved(serial: Int)
}

/// How apply ended for each resource.
package struct ApplySummary: Sendable, Hashable {
    /// The outcome of one resource.
    package enum Outcome: Sendable, Hashable {
        case done(ChangeAction)
        case failed(ChangeAction, message: String)
        case skipped(ChangeAction, reason: String)
    }

    /// One resource's outcome.
    package struct Entry: Sendable, Hashable {
        /// The resource.
        package var address: ResourceAddress
        /// How it ended.
        package var outcome: Outcome
    }

    /// Outcomes in the order apply reached them.
    package var outcomes: [Entry] = []
    /// The state serial after apply.
    package var serial: Int = 0
    /// The state serial before apply.
    package var priorSerial: Int = 0

    /// An empty summary.
    package init() {}

    /// Whether every resource was applied.
    package var succeeded: Bool {
        outcomes.allSatisfy { if case .done = $0.outcome { true } else { false } }
    }

    /// The outcome of `address`, if apply reached it.
    package func outcome(of address: ResourceAddress) -> Outcome? {
        outcomes.last { $0.address == address }?.outcome
    }

    /// Whether anything was changed before a failure (the CLI's "partial" exit code): a resource finished, or
    /// the state was written (a resource created before its import failed, a job started).
    package var changedSomething: Bool {
        serial != priorSerial || outcomes.contains { if case .done = $0.outcome { true } else { false } }
    }

    /// `Apply complete! Resources: 2 added, 1 changed, 0 destroyed.` counts: the changes that were done.
    package var counts: (added: Int, changed: Int, destroyed: Int) {
        let done = ChangeCounts(outcomes.compactMap { if case .done(let action) = $0.outcome { action } else { nil } })
        return (done.add, done.change, done.destroy)
    }
}

/// How long apply waits for each kind of long operation before giving up (the engine keeps working; the
/// next apply resumes waiting).
package struct ApplyTimeouts: Sendable, Hashable {
    /// Creating a dataset group, schema, dataset, solution or campaign.
    package var create: Duration
    /// An in-place update (UpdateCampaign, UpdateSolution, UpdateDataset).
    package var update: Duration
    /// A delete.
    package var delete: Duration
    /// A dataset import job.
    package var importData: Duration
    /// Training a solution version or a recommender (hours on the real service).
    package var training: Duration
    /// A job: dataset export, data deletion, batch inference or batch segment job.
    package var job: Duration

    package init(
        create: Duration = .seconds(30 * 60), update: Duration = .seconds(60 * 60),
        delete: Duration = .seconds(60 * 60),
        importData: Duration = .seconds(6 * 3600), training: Duration = .seconds(24 * 3600),
        job: Duration = .seconds(6 * 3600)
    ) {
        self.create = create
        self.update = update
        self.delete = delete
        self.importData = importData
        self.training = training
        self.job = job
    }

    /// The defaults: 30 minutes to create, an hour to update or delete, 6 hours to import or run a job, 24 to
    /// train.
    package static let standard = ApplyTimeouts()

    /// How long a new resource of `kind` may take to become ACTIVE: a recommender trains, a job runs.
    package func creating(_ kind: ResourceKind) -> Duration {
        switch kind {
        case .recommender: training
        case .datasetExport, .dataDeletion, .batchInferenceJob, .batchSegmentJob: job
        case .datasetGroup, .schema, .dataset, .solution, .campaign, .eventTracker, .filter, .metricAttribution:
            create
        }
    }
}
