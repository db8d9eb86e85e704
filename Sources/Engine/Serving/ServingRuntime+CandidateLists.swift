import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules
import Recipes
import Synchronization

extension ServingRuntime {
    /// The least time between two computations of one campaign's candidate lists after its data changed.
    static let candidateListsRebuildInterval: TimeInterval = 30

    /// The campaign's precomputed answers for `userID`, when they are exactly what scoring the catalogue now
    /// would give: lists of this model load, computed from the user's interactions as they still are.
    ///
    /// The check reads no data: ``DataChangeObserver`` knows of every commit. Only after a resource changed
    /// (a dataset deleted and created again, say) is the campaign's interactions table looked up once more.
    func precomputedAnswer(
        campaignArn: String, model: DeployedModel, userID: String
    ) async throws -> PrecomputedAnswer? {
        guard let lists = inSnapshot({ $0.candidateLists[campaignArn] }), lists.model.loadID == model.loadID,
            let row = lists.rows[userID]
        else { return nil }
        guard dataChanges.isUnchanged(table: lists.table, user: userID, since: lists.snapshot) else {
            countCandidateListUse { $0.stale += 1 }
            if !dataChanges.isTableUnchanged(lists.table, since: lists.snapshot) {
                rebuildCandidateLists(campaignArn: campaignArn)
            }
            return nil
        }
        let generation = dataChanges.resourceGeneration
        if work.withLock({ $0.candidateListsConfirmed[campaignArn] }) != generation {
            let group = model.datasetGroupArn ?? ""
            let table = try? await read { db in try DatasetTable.find(db, group: group, type: .interactions).name }
            guard table == lists.table else { return nil }
            work.withLock {
                $0.candidateListsConfirmed[campaignArn] = max($0.candidateListsConfirmed[campaignArn] ?? 0, generation)
            }
        }
        countCandidateListUse { $0.fresh += 1 }
        return PrecomputedAnswer(lists: lists, row: row, userID: userID, runtime: self)
    }

    /// Forgets the campaign's lists (its requests score the catalogue until it is deployed again).
    package func forgetCandidateLists(campaignArn: String) {
        publish { $0.candidateLists[campaignArn] = nil }
        work.withLock { _ = $0.candidateListsConfirmed.removeValue(forKey: campaignArn) }
    }

    /// The campaign's lists in the current snapshot.
    package func candidateLists(for campaignArn: String) -> CandidateLists? {
        inSnapshot { $0.candidateLists[campaignArn] }
    }

    /// How requests used the lists so far.
    package var candidateListUsage: CandidateListUsage { work.withLock { $0.candidateListUsage } }

    func countCandidateListUse(_ update: (inout CandidateListUsage) -> Void) {
        work.withLock { update(&$0.candidateListUsage) }
    }

    /// Per campaign with lists: the users precomputed, the bytes they hold and the seconds they took.
    package var candidateListSummary: [(campaignArn: String, users: Int, bytes: Int, seconds: Double)] {
        snapshot.candidateLists.map { arn, lists in
            let seconds =
                Double(lists.duration.components.seconds) + Double(lists.duration.components.attoseconds) / 1e18
            return (arn, lists.userCount, lists.bytes, seconds)
        }
    }

    /// Rebuilds the campaign's lists after its data changed as a whole, at most once per
    /// ``candidateListsRebuildInterval``; meanwhile its requests score the catalogue.
    private func rebuildCandidateLists(campaignArn: String) {
        guard deployed(campaignArn) != nil,
            work.withLock({ $0.candidateListRebuilds.insert(campaignArn).inserted })
        else { return }
        let elapsed = candidateLists(for: campaignArn).map { clock.now().timeIntervalSince($0.computed) } ?? 0
        let wait = max(0, Self.candidateListsRebuildInterval - elapsed)
        // The wait is a timer, not a job (tests need not wait for it; shutdown cancels it); the computation is a job.
        jobs.later("candidate-lists-rebuild|\(campaignArn)", after: wait) { [weak self] in
            guard let self else { return }
            _ = self.work.withLock { $0.candidateListRebuilds.remove(campaignArn) }
            if let model = self.deployed(campaignArn) {
                self.scheduleCandidateLists(campaignArn: campaignArn, model: model, force: true)
            }
        }
    }

    /// Starts computing the campaign's lists for `model`, unless they are being computed (that computation
    /// looks again when it ends) or, without `force`, were computed (or attempted) for it already.
    func scheduleCandidateLists(campaignArn: String, model: DeployedModel, force: Bool = false) {
        let settings = configuration.candidateLists
        guard settings.users > 0, settings.depth > 0, model.usesHistory,
            model.recipe.exploresItems
        else { return }
        let start = work.withLock { work in
            guard force || work.candidateListAttempts[campaignArn] != model.loadID,
                work.candidateListBuilds.insert(campaignArn).inserted
            else { return false }
            work.candidateListAttempts[campaignArn] = model.loadID
            return true
        }
        guard start else { return }
        startBackgroundJob("candidate-lists|\(campaignArn)|\(model.loadID)") { [weak self] in
            guard let self else { return }
            await self.computeCandidateLists(campaignArn: campaignArn, model: model)
            self.candidateListsComputed(campaignArn: campaignArn)
        }
    }

    /// After a computation: the campaign's model may have changed meanwhile.
    private func candidateListsComputed(campaignArn: String) {
        _ = work.withLock { $0.candidateListBuilds.remove(campaignArn) }
        if let model = deployed(campaignArn) { scheduleCandidateLists(campaignArn: campaignArn, model: model) }
    }

    /// Computes and publishes the lists of `model` for the campaign's most active users.
    func computeCandidateLists(campaignArn: String, model: DeployedModel) async {
        do {
            guard let lists = try await candidateListsInput(campaignArn: campaignArn, model: model) else { return }
            let settings = configuration.candidateLists
            let computed = now
            let result = try await compute {
                Self.candidateLists(lists, model: model, settings: settings, computed: computed)
            }
            // Published only while the campaign still serves the model the lists were computed for.
            let published = publish { snapshot in
                guard snapshot.deployed[campaignArn]?.loadID == model.loadID else { return false }
                snapshot.candidateLists[campaignArn] = result
                return true
            }
            guard published else { return }
            work.withLock { $0.candidateListsConfirmed[campaignArn] = result.resourceGeneration }
            let seconds =
                Double(result.duration.components.seconds)
                + Double(result.duration.components.attoseconds) / 1e18
            logger.info(
                "candidate lists ready",
                metadata: [
                    "campaign": "\(campaignArn)", "users": "\(result.userCount)", "depth": "\(result.depth)",
                    "seconds": "\(String(format: "%.2f", seconds))", "megabytes": "\(result.bytes / 1_000_000)",
                ])
        } catch {
            logger.warning("candidate lists not computed: \(error)", metadata: ["campaign": "\(campaignArn)"])
        }
    }

    /// What the lists are computed from: the most active users' histories, as serving reads them, and the
    /// campaign's exploration pool.
    private func candidateListsInput(campaignArn: String, model: DeployedModel) async throws -> CandidateListsInput? {
        guard let group = model.datasetGroupArn else { return nil }
        let campaign = try await read { db in
            try ResourceStore.load(db, Campaign.self, arn: campaignArn, kind: .campaign)
        }
        var exploration: (pool: ExplorationPool, weight: Double)?
        if let settings = ExplorationSettings.resolve(
            recipe: model.recipe, config: campaign.campaignConfig?.itemExplorationConfig), settings.weight > 0
        {
            exploration = (try await explorationPool(for: model, settings: settings), settings.weight)
        }
        let resourceGeneration = dataChanges.resourceGeneration
        let name = try await read { db in try DatasetTable.find(db, group: group, type: .interactions).name }
        // Where the table's changes stand before its rows are read (and before the read transaction begins): a
        // change counted in it is visible to the read, any later one makes its user stale.
        let snapshot = dataChanges.snapshot(table: name)
        let limit = configuration.candidateLists.users
        let poolAndWeight = exploration
        return try await read { db in
            let table = try DatasetTable.find(db, group: group, type: .interactions)
            guard table.name == name else { return nil }
            let users = try table.mostActiveUsers(db, limit: limit)
            var histories: [(user: String, history: [String])] = []
            histories.reserveCapacity(users.count)
            for user in users {
                histories.append((user, try table.recentItems(db, userID: user)))
            }
            return CandidateListsInput(
                table: table.name, snapshot: snapshot, resourceGeneration: resourceGeneration, users: histories,
                exploration: poolAndWeight)
        }
    }
}

/// The data a campaign's ``CandidateLists`` are computed from.
struct CandidateListsInput: Sendable {
    var table: String
    var snapshot: DataChangeObserver.Snapshot
    var resourceGeneration: UInt64
    var users: [(user: String, history: [String])]
    var exploration: (pool: ExplorationPool, weight: Double)?
}
