import EngineAPI
import Synchronization

/// The campaigns GetRecommendations looked up (their description and deployed model), valid while no resource
/// changed: a request then reads nothing to find its campaign.
///
/// An entry is kept with the resource generation (``DataChangeObserver/resourceGeneration``) read before the
/// lookup, so a change committed during the lookup makes it stale at once; a change of the deployed models
/// (``LocalEngine/deployed``) empties the cache and bumps an epoch, so a lookup that raced with it is not stored.
final class ServedCampaignCache: Sendable {
    struct Entry: Sendable {
        var generation: UInt64
        var model: DeployedModel
        var campaign: Campaign
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var epoch: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The current epoch, to pass back to ``store(_:for:epoch:)``.
    var epoch: UInt64 { state.withLock { $0.epoch } }

    /// The campaign's entry if it was looked up at `generation`.
    func entry(_ campaignArn: String, generation: UInt64) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[campaignArn], entry.generation == generation else { return nil }
            return entry
        }
    }

    /// Keeps `entry` unless the cache was emptied since `epoch` was read.
    func store(_ entry: Entry, for campaignArn: String, epoch: UInt64) {
        state.withLock { state in
            guard state.epoch == epoch else { return }
            state.entries[campaignArn] = entry
        }
    }

    func removeAll() {
        state.withLock { state in
            state.entries = [:]
            state.epoch += 1
        }
    }
}

extension ServingRuntime {
    /// ``deployedCampaign(campaignArn:)``, from ``servedCampaigns`` while no resource changed since it was read.
    func servedCampaign(campaignArn: String) async throws -> (model: DeployedModel, campaign: Campaign) {
        let generation = dataChanges.resourceGeneration
        if let entry = servedCampaigns.entry(campaignArn, generation: generation) {
            return (entry.model, entry.campaign)
        }
        let epoch = servedCampaigns.epoch
        let (model, campaign) = try await deployedCampaign(campaignArn: campaignArn)
        servedCampaigns.store(
            .init(generation: generation, model: model, campaign: campaign), for: campaignArn, epoch: epoch)
        return (model, campaign)
    }
}
