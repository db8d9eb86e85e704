import Foundation
import Recipes
import Synchronization

/// What real-time requests read besides SQLite: the models deployed campaigns and recommenders serve, and what is
/// precomputed from them (candidate lists, exploration pools, item-metadata indexes, context profiles, the
/// campaigns served lately). `Sendable` and lock-protected: requests read it without any actor; the control plane
/// and the jobs tell it when a deployment changes (``setDeployed(_:for:)``).
package final class ServingRuntime: EngineContext {
    package let services: EngineServices
    private let published = Mutex(ServingSnapshot())
    /// The coordination of the background work behind the snapshots; requests do not answer from it.
    let work = Mutex(Work())

    struct Work: ~Copyable {
        /// Campaigns whose candidate lists are being computed (one computation per campaign at a time).
        var candidateListBuilds: Set<String> = []
        /// The model load each campaign's lists were last computed (or attempted) for.
        var candidateListAttempts: [String: UUID] = [:]
        /// Campaigns whose lists are waiting to be rebuilt after their data changed.
        var candidateListRebuilds: Set<String> = []
        /// Per campaign, the resource generation at which its lists' table was last confirmed.
        var candidateListsConfirmed: [String: UInt64] = [:]
        /// How requests used the lists so far.
        var candidateListUsage = CandidateListUsage()
        /// The refresh of each exploration pool in progress: requests that find it stale wait for the one refresh.
        var explorationRefreshes: [ExplorationPoolKey: (token: UUID, task: Task<ExplorationPool, any Error>)] = [:]
        /// The model load in progress per campaign or recommender (one at a time, whatever the traffic): what it
        /// loads, its task, and how many requests wait for it.
        var modelLoads: [String: ModelLoad] = [:]
    }

    /// One model load in flight.
    struct ModelLoad {
        /// The solution version (or recommender) whose model is loading.
        var source: String
        var task: Task<DeployedModel, any Error>
        var started: ContinuousClock.Instant
        var waiting = 0
    }

    init(services: EngineServices) {
        self.services = services
    }

    /// The current snapshot: what a request reads, as one value (see ``ServingSnapshot``).
    package var snapshot: ServingSnapshot { published.withLock { $0 } }

    /// What `body` reads from the current snapshot, under the lock (cheaper than copying the snapshot for one
    /// lookup; `body` must only read).
    func inSnapshot<T>(_ body: (borrowing ServingSnapshot) -> T) -> T {
        published.withLock { body($0) }
    }

    /// Publishes the next snapshot: `change` edits it under the lock, then its generation goes up by one.
    @discardableResult
    func publish<T>(_ change: (inout ServingSnapshot) -> T) -> T {
        published.withLock { snapshot in
            let result = change(&snapshot)
            snapshot.generation &+= 1
            return result
        }
    }

    /// The model `arn` (a campaign or a recommender) serves in this process, if loaded.
    package func deployed(_ arn: String) -> DeployedModel? {
        inSnapshot { $0.deployed[arn] }
    }

    /// Switches `arn` to `model` (nil: it serves nothing until loaded again), in one snapshot that also forgets the
    /// campaigns served lately and, with the model, the campaign's candidate lists. Lists for a newly loaded
    /// campaign model are then computed in the background.
    package func setDeployed(_ model: DeployedModel?, for arn: String) {
        let previous = publish { snapshot in
            let previous = snapshot.deployed[arn]
            snapshot.deployed[arn] = model
            snapshot.servedCampaigns = [:]
            if model == nil { snapshot.candidateLists[arn] = nil }
            return previous
        }
        if let model, previous?.loadID != model.loadID, arn.contains(":campaign/") {
            scheduleCandidateLists(campaignArn: arn, model: model)
        }
        if model == nil { work.withLock { _ = $0.candidateListsConfirmed.removeValue(forKey: arn) } }
    }
}
