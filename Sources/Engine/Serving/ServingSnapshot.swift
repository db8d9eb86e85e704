import EngineAPI
import Foundation
import Recipes

/// Everything real-time requests read besides SQLite, as one immutable value: the deployed models, the campaigns'
/// candidate lists, the exploration pools, the item-metadata indexes, the context profiles and the campaigns
/// served lately.
///
/// A request looks up what it needs in the current snapshot under its lock (``ServingRuntime/inSnapshot(_:)``), or
/// copies the whole snapshot (``ServingRuntime/snapshot``, a few references) to read it as one value. Every change
/// (a deployment, lists computed, a pool refreshed) publishes a new snapshot under the next ``generation``
/// (``ServingRuntime/publish(_:)``): a request sees a change whole or not at all, and nothing it holds changes
/// under it. Each derived entry says what it was derived from (the model's `loadID`, the data version, the
/// resource generation), so a request can tell whether it still answers exactly.
package struct ServingSnapshot: Sendable {
    /// How many snapshots were published before this one.
    package internal(set) var generation: UInt64 = 0
    /// The model each campaign or recommender serves, loaded from its file on first use in this process.
    var deployed: [String: DeployedModel] = [:]
    /// Each campaign's precomputed answers (computed for `deployed[arn]`'s load).
    var candidateLists: [String: CandidateLists] = [:]
    /// Exploration pools per served model and age cut-off, with the data version they were computed from.
    var explorationPools: [ExplorationPoolKey: CachedDerivation<ExplorationPool>] = [:]
    /// Item-metadata similarity per dataset group and excluded columns (similar-items).
    var metadataIndexes: [String: CachedDerivation<MetadataSimilarity>] = [:]
    /// What the interactions say about each context asked for, per dataset group (contextual metadata).
    var contextProfiles: [String: ContextProfile] = [:]
    /// The campaigns GetRecommendations looked up (description and model), each with the resource generation
    /// (``DataChangeObserver/resourceGeneration``) read before its lookup: valid while no resource changed.
    var servedCampaigns: [String: ServedCampaign] = [:]
}

/// A campaign as GetRecommendations looked it up.
struct ServedCampaign: Sendable {
    var resourceGeneration: UInt64
    var model: DeployedModel
    var campaign: Campaign
}

/// Something derived from a dataset group's data (an exploration pool, a metadata index), with the data version
/// it was computed from and when that was last checked.
struct CachedDerivation<Value: Sendable>: Sendable {
    var value: Value
    var dataVersion: [Int64]
    var checked: Date
}
