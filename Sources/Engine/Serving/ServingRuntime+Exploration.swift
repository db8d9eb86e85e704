import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import Recipes
import Synchronization

/// An exploration pool is kept per model and age cut-off.
struct ExplorationPoolKey: Hashable, Sendable {
    var solutionVersionArn: String
    var itemAgeCutOffDays: Double
}

extension ServingRuntime {
    /// How long a pool is used without looking at the data again: new items and interactions reach
    /// exploration within this time.
    static let explorationPoolRecheck: TimeInterval = 5

    /// The items the model of `model` may explore under `settings`: every item of the Items dataset and of
    /// the interactions whose age (from `CREATION_TIMESTAMP`, else its first interaction; an item with
    /// neither is new) is at most `itemAgeCutOffDays`, counted back from the latest interaction in the
    /// dataset, with its interaction count. Cached per model and cut-off, recomputed when the datasets
    /// changed (checked at most every ``explorationPoolRecheck`` seconds).
    ///
    /// Only the first request for a pool waits for it. Once a pool exists, a request after the recheck interval
    /// gets it at once and starts its refresh in the background (one at a time), so requests never queue behind
    /// a scan of the interactions while events keep arriving; the refreshed pool serves the requests after it.
    func explorationPool(for model: DeployedModel, settings: ExplorationSettings) async throws -> ExplorationPool {
        guard model.datasetGroupArn != nil else { return ExplorationPool([]) }
        if let pool = checkedExplorationPool(for: model, settings: settings) { return pool }
        let key = Self.explorationPoolKey(model, settings)
        let refresh = work.withLock { work -> Task<ExplorationPool, any Error> in
            if let running = work.explorationRefreshes[key] { return running.task }
            let token = UUID()
            let refresh = jobs.start("exploration-pool", kind: .auxiliary, priority: nil) { [weak self] in
                guard let self else { throw CancellationError() }
                do {
                    let pool = try await self.refreshExplorationPool(for: model, settings: settings, key: key)
                    self.refreshFinished(key, token)
                    return pool
                } catch {
                    self.refreshFinished(key, token)
                    throw error
                }
            }
            work.explorationRefreshes[key] = (token, refresh)
            return refresh
        }
        if let stale = inSnapshot({ $0.explorationPools[key]?.value }) { return stale }
        return try await refresh.value
    }

    private func refreshFinished(_ key: ExplorationPoolKey, _ token: UUID) {
        work.withLock { work in
            if work.explorationRefreshes[key]?.token == token { work.explorationRefreshes[key] = nil }
        }
    }

    /// The cached pool of ``explorationPool(for:settings:)`` when it was checked less than
    /// ``explorationPoolRecheck`` seconds ago (what that function would return without reading anything), else nil.
    func checkedExplorationPool(for model: DeployedModel, settings: ExplorationSettings) -> ExplorationPool? {
        guard model.datasetGroupArn != nil else { return ExplorationPool([]) }
        let date = clock.now()
        guard let cached = inSnapshot({ $0.explorationPools[Self.explorationPoolKey(model, settings)] }),
            date.timeIntervalSince(cached.checked) < Self.explorationPoolRecheck
        else { return nil }
        return cached.value
    }

    private static func explorationPoolKey(_ model: DeployedModel, _ settings: ExplorationSettings)
        -> ExplorationPoolKey
    {
        ExplorationPoolKey(solutionVersionArn: model.solutionVersionArn, itemAgeCutOffDays: settings.itemAgeCutOffDays)
    }

    private func refreshExplorationPool(
        for model: DeployedModel, settings: ExplorationSettings, key: ExplorationPoolKey
    ) async throws -> ExplorationPool {
        let group = model.datasetGroupArn ?? ""
        let date = clock.now()
        let version = try await read { db in try Self.explorationDataVersion(db, group: group) }
        if var cached = inSnapshot({ $0.explorationPools[key] }), cached.dataVersion == version {
            cached.checked = date
            publish { $0.explorationPools[key] = cached }
            return cached.value
        }
        let cutoff = Int64(settings.itemAgeCutOffDays * 86_400)
        let computed = try await read { db in
            try Self.computeExplorationPool(db, group: group, cutoff: cutoff, model: model)
        }
        return publish { snapshot in
            // The same candidates keep the same pool, so answers precomputed from it stay valid.
            var pool = computed
            if let cached = snapshot.explorationPools[key], cached.value.candidates == pool.candidates {
                pool = cached.value
            }
            snapshot.explorationPools[key] = CachedDerivation(value: pool, dataVersion: version, checked: date)
            return pool
        }
    }

    /// The largest rowids of the group's interactions and items tables: they change with every write.
    static func explorationDataVersion(_ db: Database, group: String) throws -> [Int64] {
        var version: [Int64] = []
        for type in [DatasetType.interactions, .items] {
            guard let table = try? DatasetTable.find(db, group: group, type: type) else {
                version.append(-1)
                continue
            }
            version += try table.dataVersion(db)
        }
        return version
    }

    private static func computeExplorationPool(
        _ db: Database, group: String, cutoff: Int64, model: DeployedModel
    ) throws -> ExplorationPool {
        var firstSeen: [String: Int64] = [:]
        var counts: [String: Int] = [:]
        var latest: Int64?
        if let interactions = try? DatasetTable.find(db, group: group, type: .interactions) {
            try interactions.forEachItemFirstInteraction(db) { id, first, count in
                firstSeen[id] = first
                counts[id] = count
            }
            latest = try interactions.latestTimestamp(db)
        }
        var created: [String: Int64?] = [:]
        if let items = try? DatasetTable.find(db, group: group, type: .items) {
            let column = items.schema.field("CREATION_TIMESTAMP") != nil ? "CREATION_TIMESTAMP" : nil
            try items.forEachRecord(db, columns: ["ITEM_ID", column]) { row in
                let id: String = row[0]
                let timestamp: Int64? = row[1]
                created[id] = timestamp
            }
        }
        var candidates: [ExplorationPool.Candidate] = []
        for id in Set(firstSeen.keys).union(created.keys).sorted() {
            let age = (created[id] ?? nil) ?? firstSeen[id]
            if let latest, let age, latest - age > cutoff { continue }
            candidates.append(.init(itemID: id, modelIndex: model.modelIndex(of: id), interactions: counts[id] ?? 0))
        }
        return ExplorationPool(candidates)
    }

    /// The metadata similarity of the Items dataset of `model`'s dataset group (`aws-similar-items`), leaving
    /// out the columns its solution excluded from training, or nil without an Items dataset. Cached per group and refreshed when the Items dataset changes (checked at
    /// most every ``explorationPoolRecheck`` seconds).
    func metadataIndex(for model: DeployedModel) async throws -> MetadataSimilarity? {
        guard let group = model.datasetGroupArn else { return nil }
        let excluded = model.excludedColumns["ITEMS"] ?? []
        let key = group + "|" + excluded.sorted().joined(separator: ",")
        let date = clock.now()
        let cached = inSnapshot { $0.metadataIndexes[key] }
        if let cached, date.timeIntervalSince(cached.checked) < Self.explorationPoolRecheck {
            return cached.value.isEmpty ? nil : cached.value
        }
        let version = try await read { db in try Self.explorationDataVersion(db, group: group) }
        if var cached, cached.dataVersion.suffix(2) == version.suffix(2) {
            cached.checked = date
            publish { $0.metadataIndexes[key] = cached }
            return cached.value.isEmpty ? nil : cached.value
        }
        let index = try await read { db in try Self.computeMetadataIndex(db, group: group, excluding: excluded) }
        publish { $0.metadataIndexes[key] = CachedDerivation(value: index, dataVersion: version, checked: date) }
        return index.isEmpty ? nil : index
    }

    private static func computeMetadataIndex(_ db: Database, group: String, excluding excluded: Set<String>) throws
        -> MetadataSimilarity
    {
        guard let items = try? DatasetTable.find(db, group: group, type: .items) else {
            return MetadataSimilarity(items: [])
        }
        let fields = items.schema.fields.filter {
            $0.type == .string && $0.name != "ITEM_ID" && !excluded.contains($0.name)
        }
        guard !fields.isEmpty else { return MetadataSimilarity(items: []) }
        var entries: [(id: String, tokens: [String])] = []
        try items.forEachRecord(db, columns: ["ITEM_ID"] + fields.map(\.name), orderedBy: "ITEM_ID") { row in
            var categorical: [(field: String, value: String)] = []
            var text: [(field: String, value: String)] = []
            var other: [(field: String, value: String)] = []
            for (offset, field) in fields.enumerated() {
                guard let value: String = row[offset + 1] else { continue }
                if field.categorical {
                    categorical.append((field.name, value))
                } else if field.textual {
                    text.append((field.name, value))
                } else {
                    other.append((field.name, value))
                }
            }
            entries.append(
                (row[0], MetadataSimilarity.tokens(categorical: categorical, text: text, other: other)))
        }
        return MetadataSimilarity(items: entries)
    }
}
