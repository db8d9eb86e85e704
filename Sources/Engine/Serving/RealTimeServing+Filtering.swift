import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension RealTimeServing {
    /// The model's top `count` items that filter `filterArn` keeps; `recommend(n)` gives the model's best `n`.
    ///
    /// The model is asked for more candidates than `count` (and more again while the filter drops
    /// too many), so `numResults` holds whenever the catalogue has enough items that pass.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown filter; `InvalidInputException` for missing
    ///   or malformed `filterValues` and filters that do not suit the request.
    ///
    /// - Parameter prepared: The filter already bound to this request (``filterEvaluator(_:request:model:)``), so
    ///   that two passes of one request (its items and its exploration) read the user's data once.
    func filteredRecommendations(
        _ request: GetRecommendationsRequest, filterArn: String, model: DeployedModel, count: Int,
        candidates recommend: @Sendable (Int) -> [PredictedItem], prepared: FilterEvaluator? = nil
    ) async throws -> [PredictedItem] {
        let evaluator: FilterEvaluator
        if let prepared {
            evaluator = prepared
        } else {
            evaluator = try await filterEvaluator(filterArn, request: request, model: model)
        }
        let group = model.datasetGroupArn ?? ""
        let catalogue = model.artifact.header.itemIDs.count
        var decisions: [String: Bool] = [:]
        var asked = min(catalogue, max(count * 2, count + 25))
        while true {
            let candidates = recommend(asked)
            let undecided = candidates.compactMap(\.itemId).filter { decisions[$0] == nil }
            let decided = try await read { db in try self.decide(db, undecided, with: evaluator, group: group) }
            decisions.merge(decided) { _, new in new }
            let kept = candidates.filter { decisions[$0.itemId ?? ""] == true }
            if kept.count >= count || candidates.count < asked || asked >= catalogue {
                return Array(kept.prefix(count))
            }
            // Ask for what the observed pass rate says is needed, with a margin (and at least twice as many).
            let rate = Double(max(kept.count, 1)) / Double(candidates.count)
            asked = min(catalogue, max(asked * 2, Int(Double(count) / rate * 1.5)))
        }
    }

    /// Filter `filterArn` bound to `request`: its parameter values and the user's latest interactions and records.
    func filterEvaluator(
        _ filterArn: String, request: GetRecommendationsRequest, model: DeployedModel
    ) async throws -> FilterEvaluator {
        let values = try FilterValues(request.filterValues)
        let limit = configuration.limits.filterInteractionsPerEventType
        return try await read { db in
            let group = model.datasetGroupArn ?? ""
            let (expression, schemas) = try self.activeFilter(db, filterArn, group: group)
            try Self.checkApplicable(expression, filterArn: filterArn, request: request, recipe: model.recipe)
            var context = FilterContext(values: values)
            context.schemas = schemas
            if let userID = request.userId, schemas[.users] != nil {
                context.currentUser = try self.records(db, group: group, type: .users, ids: [userID])[userID]
            }
            if let itemID = request.itemId, schemas[.items] != nil {
                context.currentItem = try self.records(db, group: group, type: .items, ids: [itemID])[itemID]
            }
            let bound = try FilterEvaluator(expression, context: context)
            guard bound.uses(.interactions), let userID = request.userId else { return bound }
            context.interactions = try self.latestEventTypes(db, group: group, userID: userID, limit: limit)
            return try FilterEvaluator(expression, context: context)
        }
    }

    /// The ACTIVE filter `filterArn` of dataset group `group`, its expression resolved against the group's
    /// schemas (which come back too).
    ///
    /// - Throws: `ResourceInUseException` while the filter is not ACTIVE; `InvalidInputException` for a filter of
    ///   another dataset group or one that no longer fits its datasets.
    func activeFilter(_ db: Database, _ filterArn: String, group: String) throws -> (
        expression: FilterExpression, schemas: [DatasetType: AvroSchema]
    ) {
        let filter = try ResourceStore.load(db, EngineAPI.Filter.self, arn: filterArn, kind: .filter)
        guard filter.status == Status.active else {
            throw PersonalizeError.inUse(
                "Filter \(filterArn) is \(filter.status ?? "not active"); it can be used once ACTIVE.")
        }
        guard filter.datasetGroupArn == group else {
            throw PersonalizeError.invalidInput(
                "Filter \(filterArn) belongs to dataset group \(filter.datasetGroupArn ?? "?"), not to the "
                    + "dataset group of the campaign's solution (\(group.isEmpty ? "?" : group)).")
        }
        let schemas = try datasetControl.filterSchemas(db, group: group)
        do {
            return (
                try FilterSchemaRules.resolve(try FilterParser.parse(filter.filterExpression ?? ""), schemas: schemas),
                schemas
            )
        } catch let error as FilterExpressionError {
            throw PersonalizeError.invalidInput("Filter \(filterArn) no longer fits its datasets: \(error)")
        }
    }

    /// Item recommendations take ItemID expressions; `CurrentItem` needs a related-items request.
    private static func checkApplicable(
        _ expression: FilterExpression, filterArn: String, request: GetRecommendationsRequest, recipe: BuiltInRecipe
    ) throws {
        if let other = expression.statements.first(where: { $0.target != .itemID }) {
            throw PersonalizeError.invalidInput(
                "Filter \(filterArn) filters \(other.target.rawValue)s; GetRecommendations needs a filter on ItemID.")
        }
        let usesCurrentItem = expression.statements.contains { statement in
            statement.predicates.contains { if case .field = $0.value { true } else { false } }
        }
        guard usesCurrentItem else { return }
        guard recipe.type == .relatedItems, request.itemId != nil else {
            throw PersonalizeError.invalidInput(
                "Filter \(filterArn) uses CurrentItem, which applies only to related-items recommendations "
                    + "(a RELATED_ITEMS recipe and an itemId); this campaign's recipe is \(recipe).")
        }
    }

    /// Which of `itemIDs` the filter keeps.
    private func decide(
        _ db: Database, _ itemIDs: [String], with evaluator: FilterEvaluator, group: String
    ) throws -> [String: Bool] {
        guard !itemIDs.isEmpty else { return [:] }
        let records =
            evaluator.uses(.items) && evaluator.context.schemas[.items] != nil
            ? try records(db, group: group, type: .items, ids: itemIDs) : [:]
        var decisions: [String: Bool] = [:]
        for id in itemIDs {
            decisions[id] = try evaluator.keeps(itemID: id, record: records[id])
        }
        return decisions
    }

    /// The records of `ids` in the dataset of `type` (Items, Users, Actions), keyed by ID.
    func records(
        _ db: Database, group: String, type: DatasetType, ids: [String]
    ) throws -> [String: FilterRecord] {
        guard type.keyField != nil else { return [:] }
        return try DatasetTable.find(db, group: group, type: type).filterRecords(db, ids: ids)
    }

    /// Item ID → lower-cased event types of `userID`'s latest `limit` interactions per event type, as
    /// the engine holds them now (bulk data and events recorded a moment ago alike).
    private func latestEventTypes(
        _ db: Database, group: String, userID: String, limit: Int
    ) throws -> [String: Set<String>] {
        try DatasetTable.find(db, group: group, type: .interactions).latestEventTypes(db, userID: userID, limit: limit)
    }
}
