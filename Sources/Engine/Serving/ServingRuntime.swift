import Foundation
package import Logging
import Recipes
import Synchronization

/// What real-time requests read besides SQLite: the models deployed campaigns and recommenders serve, and what is
/// precomputed from them (candidate lists, exploration pools, item-metadata indexes, context profiles, the
/// campaigns served lately). `Sendable` and lock-protected: requests read it without any actor; the control plane
/// and the jobs tell it when a deployment changes (``setDeployed(_:for:)``).
package final class ServingRuntime: EngineContext {
    package let configuration: EngineConfiguration
    package let database: EngineDatabase
    package let clock: any EngineClock
    package let logger: Logger
    package let models: ModelStore
    package let userData: UserDataStore
    package let jobs: JobRunner
    package let dataChanges: DataChangeObserver
    /// The campaigns' precomputed answers, read by requests.
    package let candidateLists = CandidateListStore()
    /// The campaigns GetRecommendations served lately, while no resource changed.
    let servedCampaigns = ServedCampaignCache()
    /// Exploration pools per served model, refreshed when their data changed (see `explorationPool`).
    let explorationPools = DerivationCache<ExplorationPoolKey, ExplorationPool>()
    let state = Mutex(State())

    struct State: ~Copyable {
        /// The model each campaign or recommender serves, loaded from its file on first use in this process.
        var deployed: [String: DeployedModel] = [:]
        /// Campaigns whose candidate lists are being computed (one computation per campaign at a time).
        var candidateListBuilds: Set<String> = []
        /// The model load each campaign's lists were last computed (or attempted) for.
        var candidateListAttempts: [String: UUID] = [:]
        /// The refresh of each exploration pool in progress: requests that find it stale wait for the one refresh.
        var explorationRefreshes: [ExplorationPoolKey: (token: UUID, task: Task<ExplorationPool, any Error>)] = [:]
        /// Item-metadata similarity per dataset group (similar-items), refreshed like the exploration pools.
        var metadataIndexes: [String: CachedDerivation<MetadataSimilarity>] = [:]
        /// What the interactions say about each context asked for, per dataset group (contextual metadata).
        var contextProfiles: [String: ContextProfile] = [:]
    }

    init(
        configuration: EngineConfiguration, database: EngineDatabase, clock: any EngineClock, logger: Logger,
        models: ModelStore, userData: UserDataStore, jobs: JobRunner, dataChanges: DataChangeObserver
    ) {
        self.configuration = configuration
        self.database = database
        self.clock = clock
        self.logger = logger
        self.models = models
        self.userData = userData
        self.jobs = jobs
        self.dataChanges = dataChanges
    }

    /// The model `arn` (a campaign or a recommender) serves in this process, if loaded.
    package func deployed(_ arn: String) -> DeployedModel? {
        state.withLock { $0.deployed[arn] }
    }

    /// Switches `arn` to `model` (nil: it serves nothing until loaded again). The campaigns served lately are
    /// forgotten; a campaign's candidate lists are computed for its new model in the background, or forgotten.
    package func setDeployed(_ model: DeployedModel?, for arn: String) {
        let previous = state.withLock { state in
            let previous = state.deployed[arn]
            state.deployed[arn] = model
            return previous
        }
        servedCampaigns.removeAll()
        if let model {
            if previous?.loadID != model.loadID && arn.contains(":campaign/") {
                scheduleCandidateLists(campaignArn: arn, model: model)
            }
        } else if previous != nil {
            candidateLists.remove(arn)
        }
    }
}
