import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import Synchronization

/// A user's latest interactions with what the request's context says about the items.
struct ContextualHistory: Sendable {
    /// The user's latest interactions, newest first.
    var items: [String]
    /// Per item, the log-ratio of its share of interactions made in the context to the average share.
    var affinity: [String: Float] = [:]
    /// For a user without interactions: the items most interacted with in the context, and how often.
    var standIn: [(item: String, count: Int)] = []
}

/// What the interactions say about one context: each item's affinity and the items most used in it.
struct ContextProfile: Sendable {
    var affinity: [String: Float]
    var standIn: [(item: String, count: Int)]
    var checked: Date
}

extension ServingRuntime {
    /// How many of the items most interacted with in a context stand in for the history of a user without one.
    static let contextStandInItems = 50

    /// Checks `context` against the guide's limits (150 entries, keys `[A-Za-z0-9_]+` of at most 150 characters,
    /// values of at most 1,000) and, for a model that uses context, that each key is a field of the Item
    /// interactions dataset.
    func checkContext(_ context: [String: String]?, model: DeployedModel) async throws {
        guard let context, !context.isEmpty else { return }
        guard context.count <= 150 else {
            throw PersonalizeError.invalidInput("context can hold at most 150 entries; it has \(context.count).")
        }
        for (key, value) in context {
            guard key.count <= 150, key.wholeMatch(of: /[A-Za-z0-9_]+/) != nil else {
                throw PersonalizeError.invalidInput(
                    "Invalid context key '\(key)': use 1 to 150 letters, digits or underscores.")
            }
            guard value.count <= 1000 else {
                throw PersonalizeError.invalidInput("The context value of \(key) is longer than 1000 characters.")
            }
        }
        guard model.recipe.usesContext else { return }
        if let key = context.keys.sorted().first(where: { model.excludedColumns["INTERACTIONS"]?.contains($0) == true })
        {
            throw PersonalizeError.invalidInput(
                "The context key \(key) is a column the solution excluded from training (excludedDatasetColumns).")
        }
        // That each key is a field of the interactions is checked where the context's profile is read from
        // them (``contextProfile(group:keys:values:)``): once per context, not once per request.
    }

    /// Throws `InvalidInputException` unless every one of `keys` is a contextual field of `schema`.
    private static func checkContextFields(_ keys: [String], schema: AvroSchema) throws {
        for key in keys where schema.field(key) == nil || ["USER_ID", "ITEM_ID", "TIMESTAMP"].contains(key) {
            throw PersonalizeError.invalidInput(
                "The context key \(key) is not a contextual metadata field of the Item interactions dataset; "
                    + "its fields are \(schema.fields.map(\.name).joined(separator: ", ")).")
        }
    }

    /// The user's latest interactions (newest first, as ``recentItems(of:for:)``) and what the interactions say
    /// about the request's context (``contextProfile(group:keys:values:)``).
    func contextualHistory(
        of userID: String?, for model: DeployedModel, context: [String: String]?
    ) async throws -> ContextualHistory {
        var history = ContextualHistory(items: try await recentItems(of: userID, for: model))
        guard let context, !context.isEmpty, model.recipe.usesContext, model.usesHistory,
            let group = model.datasetGroupArn
        else { return history }
        let keys = context.keys.sorted()
        let profile = try await contextProfile(group: group, keys: keys, values: keys.map { context[$0] ?? "" })
        history.affinity = profile.affinity
        if history.items.isEmpty { history.standIn = profile.standIn }
        return history
    }

    /// For every item, `log((in-context interactions + 1) / (interactions + 2) ÷ overall in-context share)`
    /// where every context field matches, and the ``contextStandInItems`` items most interacted with in it.
    /// Cached per dataset group and context for a few seconds.
    private func contextProfile(group: String, keys: [String], values: [String]) async throws -> ContextProfile {
        let key = group + "|" + zip(keys, values).map { "\($0)=\($1)" }.joined(separator: "|")
        let date = clock.now()
        if let cached = inSnapshot({ $0.contextProfiles[key] }),
            date.timeIntervalSince(cached.checked) < Self.explorationPoolRecheck
        {
            return cached
        }
        let rows = try await read { db in
            let table = try DatasetTable.find(db, group: group, type: .interactions)
            try Self.checkContextFields(keys, schema: table.schema)
            return try table.interactionCounts(db, whereAll: keys, equal: values)
        }
        let inContext = rows.reduce(0) { $0 + $1.inContext }
        let total = rows.reduce(0) { $0 + $1.total }
        var profile = ContextProfile(affinity: [:], standIn: [], checked: date)
        if inContext > 0, total > 0 {
            let base = Float(inContext) / Float(total)
            for row in rows {
                let share = (Float(row.inContext) + base) / (Float(row.total) + 1)
                profile.affinity[row.item] = log(share / base)
            }
            profile.standIn = rows.filter { $0.inContext > 0 }
                .sorted { ($1.inContext, $0.item) < ($0.inContext, $1.item) }
                .prefix(Self.contextStandInItems).map { (item: $0.item, count: $0.inContext) }
        }
        publish { snapshot in
            if snapshot.contextProfiles.count > 1000 { snapshot.contextProfiles.removeAll() }
            snapshot.contextProfiles[key] = profile
        }
        return profile
    }

    /// The items `userID` interacted with, newest first, as the engine holds them now (bulk imports and
    /// events recorded a moment ago alike).
    func recentItems(of userID: String?, for model: DeployedModel) async throws -> [String] {
        guard model.usesHistory, let userID, let group = model.datasetGroupArn else { return [] }
        return try await read { db in
            try DatasetTable.find(db, group: group, type: .interactions).recentItems(db, userID: userID)
        }
    }
}
