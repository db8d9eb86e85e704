import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension RealTimeServing {
    static let defaultActionResults = 5
    static let maximumActionResults = 100

    /// `GetActionRecommendations`: the actions a user is most likely to take, from a campaign of
    /// `aws-next-best-action`, scored by propensity, with the guide's automatic exclusions (expired actions, and
    /// actions the user interacted with within their `REPEAT_FREQUENCY` days) and an optional ActionID filter.
    /// Exploration (the campaign's `explorationWeight`, default 0.3) gives `round(numResults × weight / 2)` slots
    /// to actions the model cannot score yet (new ones, ones with few outcomes), with score 0.0 as the guide says.
    func getActionRecommendations(_ request: GetActionRecommendationsRequest) async throws
        -> GetActionRecommendationsResponse
    {
        guard let campaignArn = request.campaignArn, !campaignArn.isEmpty else {
            throw PersonalizeError.invalidInput("campaignArn is required.")
        }
        guard let userID = request.userId, !userID.isEmpty else {
            throw PersonalizeError.invalidInput(
                "userId is required (for an anonymous user, give the sessionId of their action interactions).")
        }
        let count = request.numResults ?? Self.defaultActionResults
        guard (0...Self.maximumActionResults).contains(count) else {
            throw PersonalizeError.invalidInput(
                "numResults must be between 0 and \(Self.maximumActionResults); got \(count).")
        }
        let (model, campaign) = try await serving.deployedCampaign(campaignArn: campaignArn)
        guard model.artifact.actions != nil, let group = model.datasetGroupArn else {
            throw PersonalizeError.invalidInput(
                "Campaign \(campaignArn) serves \(model.recipe) (\(model.recipeType)); "
                    + "GetActionRecommendations needs a campaign of a PERSONALIZED_ACTIONS recipe "
                    + "(aws-next-best-action).")
        }
        let now = Int64(clock.now().timeIntervalSince1970)
        let context = try await read { db in try self.actionContext(db, group: group, userID: userID, now: now) }
        var ranked = model.rankedActions(
            actions: context.actions, items: context.items, catalogue: context.catalogue, excluded: context.excluded)
        if let filterArn = request.filterArn {
            let evaluator = try await actionFilterEvaluator(filterArn, request: request, group: group)
            let candidates = ranked
            ranked = try await read { db in
                RankedActions(
                    scored: try self.kept(db, candidates.scored, evaluator: evaluator, group: group, count: count),
                    unscored: try self.kept(db, candidates.unscored, evaluator: evaluator, group: group, count: count))
            }
        }
        let exploration = try ExplorationSettings.parse(campaign.campaignConfig?.itemExplorationConfig)
        return GetActionRecommendationsResponse(
            actionList: ranked.list(count: count, explorationSlots: exploration.slots(of: count)),
            recommendationId: RecommendationID.make(source: campaignArn))
    }

    /// What the engine knows of a user for action recommendations, read as it is now.
    private struct ActionContext: Sendable {
        /// The Actions dataset's records.
        var catalogue: [ActionRecord]
        /// The user's latest action interactions.
        var actions: [(id: String, type: ActionEventType)]
        /// The items of the user's latest item interactions.
        var items: [String]
        /// Expired actions, and those the user interacted with within their repeat frequency.
        var excluded: Set<String>
    }

    private func actionContext(
        _ db: Database, group: String, userID: String, now: Int64
    ) throws -> ActionContext {
        let limit = DatasetTable.foldInHistoryLimit
        let catalogue = try ActionRecord.all(db, table: try DatasetTable.find(db, group: group, type: .actions))
        var excluded = Set(catalogue.filter { ($0.expires ?? .max) <= now }.map(\.id))
        var actions: [(id: String, type: ActionEventType)] = []
        if let table = try? DatasetTable.find(db, group: group, type: .actionInteractions) {
            actions = try table.latestActionInteractions(db, userID: userID, limit: limit).compactMap { row in
                ActionEventType(parsing: row.eventType).map { (id: row.actionID, type: $0) }
            }
            let repeats = Dictionary(
                catalogue.compactMap { record in record.repeatDays.map { (record.id, $0) } },
                uniquingKeysWith: { first, _ in first })
            for (id, time) in try table.lastActionInteractionTimes(db, userID: userID) {
                if let days = repeats[id], days > 0, now < time + days * 86_400 { excluded.insert(id) }
            }
        }
        var items: [String] = []
        if let table = try? DatasetTable.find(db, group: group, type: .interactions) {
            items = try table.recentItems(db, userID: userID)
        }
        return ActionContext(catalogue: catalogue, actions: actions, items: items, excluded: excluded)
    }

    /// The filter `filterArn` bound to an action request: ActionID statements only, the user's Users record for
    /// `IF CurrentUser`, and their latest action interactions per event type for `Action_Interactions`.
    private func actionFilterEvaluator(
        _ filterArn: String, request: GetActionRecommendationsRequest, group: String
    ) async throws -> FilterEvaluator {
        let values = try FilterValues(request.filterValues)
        let limit = configuration.limits.filterActionInteractionsPerEventType
        let userID = request.userId ?? ""
        return try await read { db in
            let (expression, schemas) = try self.activeFilter(db, filterArn, group: group)
            if let other = expression.statements.first(where: { $0.target != .actionID }) {
                throw PersonalizeError.invalidInput(
                    "Filter \(filterArn) filters \(other.target.rawValue)s; GetActionRecommendations needs a filter "
                        + "on ActionID.")
            }
            var context = FilterContext(values: values)
            context.schemas = schemas
            if schemas[.users] != nil {
                context.currentUser = try self.records(db, group: group, type: .users, ids: [userID])[userID]
            }
            let bound = try FilterEvaluator(expression, context: context)
            guard bound.uses(.actionInteractions) else { return bound }
            context.actionInteractions = try Self.latestActionEventTypes(
                db, table: try DatasetTable.find(db, group: group, type: .actionInteractions), userID: userID,
                limit: limit)
            return try FilterEvaluator(expression, context: context)
        }
    }

    /// The first `count` of `ranked` that the filter keeps, in order.
    private func kept(
        _ db: Database, _ ranked: [PredictedAction], evaluator: FilterEvaluator, group: String, count: Int
    ) throws -> [PredictedAction] {
        let ids = ranked.compactMap(\.actionId)
        let records =
            evaluator.uses(.actions) ? try records(db, group: group, type: .actions, ids: ids) : [:]
        var kept: [PredictedAction] = []
        for action in ranked where kept.count < count {
            let id = action.actionId ?? ""
            if try evaluator.keeps(id, target: .actionID, record: records[id]) { kept.append(action) }
        }
        return kept
    }

    /// Action ID → the event types (``ActionEventType/key(_:)``) of the user's latest `limit` action
    /// interactions per event type.
    private static func latestActionEventTypes(
        _ db: Database, table: DatasetTable, userID: String, limit: Int
    ) throws -> [String: Set<String>] {
        var types: [String: Set<String>] = [:]
        for row in try table.latestActionInteractionsPerEventType(db, userID: userID, limit: limit) {
            types[row.actionID, default: []].insert(ActionEventType.key(row.eventType))
        }
        return types
    }
}
